import { defineConfig } from 'vitest/config';

/**
 * Test files that run the built package (dist/: the CLI, the worker threads, the browser build, the
 * published entry points). Only they wait for the build: `npx vitest run test/locate.test.ts` runs the
 * source at once, and a run that selects none of these never builds.
 */
const BUILT = [
  'test/batch.test.ts',
  'test/browser.test.ts',
  'test/chaos.test.ts',
  'test/cli.test.ts',
  'test/email.test.ts',
  'test/faults.test.ts',
  'test/package.test.ts',
  'test/pdf.test.ts',
  'test/pool.test.ts',
  'test/queue.test.ts',
  'test/robustness.test.ts',
  'test/state.test.ts',
  'test/table.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: BUILT } },
      // Vitest runs a project's globalSetup only when one of its files runs: the build happens once per
      // run, and only for these files.
      { extends: true, test: { name: 'built', include: BUILT, globalSetup: ['test/setup/build.ts'] } },
    ],
  },
});
