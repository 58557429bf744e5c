// Prints the plain closing line `N passed, N failed, N skipped` that CI reads, after vitest's own report,
// and before it one line per reason tests were skipped (test/requires.ts: what is missing, how to install it).
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons = new Map<string, number>();
    for (const module of modules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          if (result.state === 'skipped' && result.note) reasons.set(result.note, (reasons.get(result.note) ?? 0) + 1);
        }
      }
    }
    process.stdout.write('\n');
    for (const [note, n] of reasons) process.stdout.write(`skipped ${n} test${n === 1 ? '' : 's'}: ${note}\n`);
    process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
