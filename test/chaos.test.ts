// A batch is trusted when it never hangs and never loses work: the built CLI, with the default flags a
// user runs, scans the fixtures and pdf.js's and the mail parsers' own test files (../shared/peers),
// is interrupted at a random moment by SIGINT, SIGTERM or SIGKILL, and is finished with --resume, over
// and over. The result must equal one clean run record for record, and a process asked to stop must be
// gone within 5 s.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../fixtures/make/layout/model.js';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { needs, PEERS, requires } from './requires.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
const ROUNDS = 4;

interface Interrupted {
  signal: (typeof SIGNALS)[number];
  afterMs: number;
  /** From the signal to the process's end. */
  goneMs: number;
  code: number | null;
  stderr: string;
  finishedFirst: boolean;
}

/** Starts a scan into `out`, sends `signal` after `afterMs`, and reports how the process ended. */
function interrupt(args: string[], signal: Interrupted['signal'], afterMs: number): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let sentAt = 0;
    const timer = setTimeout(() => {
      sentAt = Date.now();
      child.kill(signal);
    }, afterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ signal, afterMs, goneMs: sentAt ? Date.now() - sentAt : 0, code, stderr, finishedFirst: sentAt === 0 });
    });
  });
}

describe('a scan interrupted at random moments', () => {
  needs(requires.peers);

  it('finishes with --resume to exactly the records of a clean run, and stops within 5 s when asked', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
    // Seeded, so a failing round can be replayed with CHAOS_SEED.
    const next = rng(seed);
    const dir = mkdtempSync(join(tmpdir(), 'rta-chaos-'));
    const paths = [DOCUMENTS, PEERS];

    const reference = join(dir, 'clean.ndjson');
    const t0 = Date.now();
    const clean = spawnSync(process.execPath, [CLI, 'scan', '-q', '--out', reference, ...paths], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 200_000,
    });
    const cleanMs = Date.now() - t0;
    expect([0, 3], clean.stderr).toContain(clean.status);
    const expected = readFileSync(reference, 'utf8');

    const out = join(dir, 'chaos.ndjson');
    const log: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const signal = SIGNALS[Math.floor(next() * SIGNALS.length)]!;
      // Somewhere in the first two thirds of a clean run's time, so most rounds land mid-scan.
      const afterMs = 500 + Math.floor(next() * Math.max(1000, (cleanMs * 2) / 3));
      const args = ['scan', '-q', '--out', out, ...(round > 0 ? ['--resume'] : []), ...paths];
      const r = await interrupt(args, signal, afterMs);
      log.push(
        `round ${round}: ${signal} after ${afterMs} ms, gone ${r.goneMs} ms later, exit ${r.code}${r.finishedFirst ? ' (finished first)' : ''}`,
      );
      const where = `seed ${seed}, ${log.join('; ')}\n${r.stderr}`;
      if (r.finishedFirst) {
        expect([0, 3], where).toContain(r.code);
        break;
      }
      if (signal !== 'SIGKILL') {
        expect(r.goneMs, where).toBeLessThan(5_000);
        expect(r.code, where).toBe(signal === 'SIGINT' ? 130 : 143);
        expect(r.stderr, where).toContain(`run again with --resume to finish ${out}`);
      }
    }
    if (!existsSync(out)) {
      const last = spawnSync(process.execPath, [CLI, 'scan', '-q', '--resume', '--out', out, ...paths], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 200_000,
      });
      expect([0, 3], `seed ${seed}, ${log.join('; ')}\n${last.stderr}`).toContain(last.status);
    }
    const got = readFileSync(out, 'utf8');
    // Nothing lost, doubled or changed: the same records, in the same order.
    expect(got.split('\n').length, `seed ${seed}, ${log.join('; ')}`).toBe(expected.split('\n').length);
    // On a difference, name the records that differ and how (their error codes), not just "false".
    const gotLines = got.split('\n');
    const differ = expected
      .split('\n')
      .map((line, i) => [line, gotLines[i] ?? ''] as const)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => {
        const [x, y] = [a, b].map((l) =>
          l ? (JSON.parse(l) as { source: string; index?: number; error: { code: string } | null }) : null,
        );
        return `${x?.source}#${x?.index ?? ''}: clean ${x?.error?.code ?? 'ok'}, resumed ${y?.error?.code ?? 'ok'}`;
      });
    expect(differ, `seed ${seed}, ${log.join('; ')}`).toEqual([]);
  }, 600_000);
});
