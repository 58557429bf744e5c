/**
 * `scan --state`: whatever happens to the files between two scans (added, removed, changed in place
 * with the same size and time, a mailbox appended to or cut, the state file itself cut short), a scan
 * with the state yields byte for byte what a full scan yields. Random trees and steps (fast-check);
 * the library on the calling thread, and the built CLI with its pool threads.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScanOptions, scan } from '../src/index.js';
import type { StateNotice } from '../src/scan/scan.js';
import { CLI, DOCUMENTS } from './helpers.js';

/** An invented account (no real subscriber has it): 7 and thirteen digits. */
const account = (n: number) => `7${String(n).padStart(13, '0')}`;

function message(n: number): string {
  return [
    `From bill@rt.example Thu Nov 20 10:00:${String(n % 60).padStart(2, '0')} 2026`,
    'From: bill@rt.example',
    'To: client@mail.example',
    `Subject: bill ${n}`,
    `Message-ID: <state-${n}@rt.example>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Лицевой счёт ${account(n)}`,
    n % 3 === 0 ? `Договор № ${100000 + n}` : 'К оплате 780,00 руб.',
    '',
  ].join('\n');
}

/** `count` messages from number `first`, each followed by the blank line an mbox puts before the next. */
function messages(first: number, count: number, lastBlank = true): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `${message(first + i)}${i < count - 1 || lastBlank ? '\n' : ''}`;
  return text;
}

const EML = readFileSync(join(DOCUMENTS, 'email', 'alternative-utf8.eml'));

function fileText(n: number): string {
  return `Заметка ${n}\nЛ/С ${account(n)} — оплачивать до 20 числа.\nПоддержка: 8 800 100 0 800.\n`;
}

type Step =
  | { kind: 'add'; n: number; eml: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'change'; pick: number; at: number; keepTime: boolean }
  | { kind: 'append'; pick: number; count: number; blank: boolean }
  | { kind: 'truncate'; pick: number; at: number }
  | { kind: 'cutState'; at: number }
  | { kind: 'same' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), n: fc.nat(99_999), eml: fc.boolean() }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), at: fc.nat(), keepTime: fc.boolean() }),
  fc.record({
    kind: fc.constant('append' as const),
    pick: fc.nat(),
    count: fc.integer({ min: 1, max: 3 }),
    blank: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('truncate' as const), pick: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('cutState' as const), at: fc.nat() }),
  fc.constant({ kind: 'same' as const }),
);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out.sort();
}

let next = 1_000;

/** Does one step to the tree (and its state folder). */
function apply(tree: string, stateDir: string, s: Step): void {
  const all = files(tree);
  const mailboxes = all.filter((f) => f.endsWith('.mbox'));
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  switch (s.kind) {
    case 'add': {
      const sub = join(tree, s.n % 2 ? 'a' : 'b');
      mkdirSync(sub, { recursive: true });
      if (s.eml) writeFileSync(join(sub, `m${s.n}.eml`), EML);
      else writeFileSync(join(sub, `f${s.n}.txt`), fileText(s.n));
      return;
    }
    case 'remove': {
      const file = pick(all, s.pick);
      if (file) rmSync(file);
      return;
    }
    case 'change': {
      // The same size, and (keepTime) the same modification time: only the hashes of its ends tell.
      const file = pick(all, s.pick);
      if (!file) return;
      const info = statSync(file);
      const bytes = readFileSync(file);
      const digits = [...bytes.keys()].filter((i) => bytes[i]! >= 0x30 && bytes[i]! <= 0x39);
      if (digits.length === 0) return;
      const i = digits[s.at % digits.length]!;
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from([bytes[i] === 0x39 ? 0x30 : bytes[i]! + 1]), 0, 1, i);
      closeSync(fd);
      if (s.keepTime) utimesSync(file, info.atime, info.mtime);
      return;
    }
    case 'append': {
      const file = pick(mailboxes, s.pick);
      if (!file) return;
      appendFileSync(file, messages(next, s.count, s.blank));
      next += s.count;
      return;
    }
    case 'truncate': {
      const file = pick(mailboxes, s.pick);
      if (file) truncateSync(file, s.at % Math.max(1, statSync(file).size));
      return;
    }
    case 'cutState': {
      const file = join(stateDir, 'scan-state.ndjson');
      if (existsSync(file)) truncateSync(file, s.at % Math.max(1, statSync(file).size));
      return;
    }
    case 'same':
      return;
  }
}

/** A tree of a few text files, an .eml and two mailboxes. */
function makeTree(seed: number): string {
  const tree = mkdtempSync(join(tmpdir(), 'ra-state-'));
  mkdirSync(join(tree, 'a'));
  for (let i = 0; i < 3; i++) writeFileSync(join(tree, 'a', `f${seed + i}.txt`), fileText(seed + i));
  writeFileSync(join(tree, 'mail.eml'), EML);
  writeFileSync(join(tree, 'export.mbox'), messages(seed, 4));
  writeFileSync(join(tree, 'a', 'old.mbox'), messages(seed + 10, 2));
  // A document that gives an error every time it is read: its record is kept and counted like any other.
  writeFileSync(join(tree, 'a', 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >>\n');
  return tree;
}

async function lines(paths: string[], options: ScanOptions): Promise<string> {
  let out = '';
  for await (const record of scan(paths, { concurrency: 0, ...options })) out += `${JSON.stringify(record)}\n`;
  return out;
}

describe('scan({ state }): the same records as a full scan, whatever changed', () => {
  it('holds over random trees and random steps (the library, on the calling thread)', async () => {
    // The runs did take work from the state: whole files, and mailboxes read on from where they ended.
    const seen = { fromState: 0, grown: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat(50_000), fc.array(step, { minLength: 1, maxLength: 7 }), async (seed, steps) => {
        const tree = makeTree(seed);
        const stateDir = join(tree, '..', `${tree.split('/').pop()}-state`);
        const notices: StateNotice[] = [];
        const withState = () => lines([tree], { state: stateDir, onState: (n) => notices.push(n) });
        try {
          expect(await withState()).toBe(await lines([tree], {}));
          for (const s of steps) {
            apply(tree, stateDir, s);
            notices.length = 0;
            expect(await withState()).toBe(await lines([tree], {}));
            if (s.kind === 'cutState') expect(notices.some((n) => n.kind === 'ignored')).toBe(true);
            const done = notices.at(-1);
            expect(done?.kind).toBe('done');
            // Nothing changed since the last scan: nothing is read.
            if (s.kind === 'same' && done?.kind === 'done')
              expect(done.stats).toMatchObject({ filesRead: 0, grown: 0 });
            if (done?.kind === 'done') {
              seen.fromState += done.stats.filesFromState;
              seen.grown += done.stats.grown;
            }
          }
        } finally {
          rmSync(tree, { recursive: true, force: true });
          rmSync(stateDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
    expect(seen.fromState).toBeGreaterThan(0);
    expect(seen.grown).toBeGreaterThan(0);
  }, 120_000);

  it('reads only what is new: unchanged files and the old messages of a grown mailbox come from the state', async () => {
    const tree = makeTree(1);
    const stateDir = `${tree}-state`;
    const done: StateNotice[] = [];
    const onState = (n: StateNotice) => done.push(n);
    try {
      await lines([tree], { state: stateDir, onState });
      expect(done.at(-1)).toMatchObject({ kind: 'done', stats: { filesFromState: 0, filesRead: 7 } });
      await lines([tree], { state: stateDir, onState });
      expect(done.at(-1)).toMatchObject({ kind: 'done', stats: { filesFromState: 7, filesRead: 0, grown: 0 } });
      appendFileSync(join(tree, 'export.mbox'), messages(500, 2));
      const grown = await lines([tree], { state: stateDir, onState });
      expect(done.at(-1)).toMatchObject({ kind: 'done', stats: { filesFromState: 6, filesRead: 0, grown: 1 } });
      expect(grown).toBe(await lines([tree], {}));
      // The new messages are numbered on: 4 and 5 after the first four.
      const indexes = grown
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.source.endsWith('export.mbox'))
        .map((r) => r.index);
      expect(indexes).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('gives back records of a state larger than one read, every character whole', async () => {
    // Hundreds of Cyrillic records: the state is read in pieces (256 KiB, see test/state-load.test.ts),
    // which cut characters in two.
    const tree = mkdtempSync(join(tmpdir(), 'ra-state-big-'));
    const stateDir = `${tree}-state`;
    try {
      writeFileSync(join(tree, 'big.mbox'), messages(1, 600));
      const full = await lines([tree], {});
      expect(await lines([tree], { state: stateDir })).toBe(full);
      expect(statSync(join(stateDir, 'scan-state.ndjson')).size).toBeGreaterThan(2 * 64 * 1024);
      expect(await lines([tree], { state: stateDir })).toBe(full);
    } finally {
      rmSync(tree, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('keeps the old state when a scan stops early, and clears what a killed scan left', async () => {
    const tree = makeTree(3);
    const stateDir = `${tree}-state`;
    const file = join(stateDir, 'scan-state.ndjson');
    try {
      await lines([tree], { state: stateDir });
      const before = readFileSync(file);
      writeFileSync(join(tree, 'a', 'new.txt'), fileText(42));
      for await (const _ of scan([tree], { concurrency: 0, state: stateDir })) break; // the caller stops
      expect(readFileSync(file).equals(before)).toBe(true);
      // A temporary state of a process that no longer runs (SIGKILL) is deleted by the next scan.
      const stale = join(stateDir, 'scan-state.ndjson.tmp-4194303');
      writeFileSync(stale, 'half a state');
      expect(await lines([tree], { state: stateDir })).toBe(await lines([tree], {}));
      expect(readdirSync(stateDir)).toEqual(['scan-state.ndjson']);
    } finally {
      rmSync(tree, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('is not trusted with other options, and says why', async () => {
    const tree = makeTree(7);
    const stateDir = `${tree}-state`;
    const said: StateNotice[] = [];
    try {
      await lines([tree], { state: stateDir });
      const masked = await lines([tree], { state: stateDir, redact: true, onState: (n) => said.push(n) });
      expect(said[0]).toMatchObject({ kind: 'ignored' });
      expect(said[0]!.message).toContain('redact');
      expect(said.at(-1)).toMatchObject({ kind: 'done', stats: { filesFromState: 0 } });
      expect(masked).toBe(await lines([tree], { redact: true }));
      // Another version of the package: its header says so.
      const file = join(stateDir, 'scan-state.ndjson');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/"version":"\d\.\d\.\d"/, '"version":"9.9.9"'));
      said.length = 0;
      await lines([tree], { state: stateDir, redact: true, onState: (n) => said.push(n) });
      expect(said[0]!.message).toContain('version 9.9.9');
      await expect(lines([tree], { state: stateDir, skip: () => false })).rejects.toThrow(/skip/);
      await expect(lines([tree], { state: join(tree, 'a', 'state') })).rejects.toThrow(/inside/);
    } finally {
      rmSync(tree, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

/** A summary line's counts: documents, messages, accounts, contract numbers, errors by code. */
function counts(stderr: string): string {
  const line = /\d+ documents.*?(?=; [\d.]+ s,)/.exec(stderr)?.[0];
  // Errors by code: the broken PDF's, and a message a truncated mailbox leaves without headers (EMAIL_INVALID).
  expect(line).toMatch(
    /^\d+ documents \(\d+ mailbox messages\), \d+ accounts, \d+ contract numbers, (no errors|\d+ errors? \([A-Z_]+ \d+)/,
  );
  return line!;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rostelecom-account scan --state (the built CLI, pool threads)', () => {
  it('prints what a full scan prints after every step, and says what came from the state', () => {
    fc.assert(
      fc.property(fc.nat(50_000), fc.array(step, { minLength: 2, maxLength: 3 }), (seed, steps) => {
        const tree = makeTree(seed);
        const stateDir = `${tree}-state`;
        try {
          for (const s of [{ kind: 'same' } as Step, ...steps]) {
            apply(tree, stateDir, s);
            const incremental = cli(['scan', '-j', '1', '--state', stateDir, tree]);
            const full = cli(['scan', '-j', '1', tree]);
            expect(incremental.code).toBe(full.code);
            expect(incremental.stdout).toBe(full.stdout);
            // The same counts in the summary (from the state, records are counted without being read);
            // before a step removes it, the broken PDF's error among them.
            expect(counts(incremental.stderr)).toBe(counts(full.stderr));
            if (s.kind === 'same' && existsSync(join(tree, 'a', 'broken.pdf')))
              expect(counts(incremental.stderr)).toContain('1 error (PDF_');
            expect(incremental.stderr).toMatch(/state: \d+ files from state \([\d.]+ [KM]iB\).*, \d+ read/);
            expect(incremental.stderr).not.toMatch(/7\d{13}/);
          }
          // Other formats are made from the records the state gives back.
          for (const format of ['json', 'csv']) {
            const incremental = cli(['scan', '-j', '1', '--format', format, '--state', stateDir, tree]);
            expect(incremental.stdout).toBe(cli(['scan', '-j', '1', '--format', format, tree]).stdout);
          }
        } finally {
          rmSync(tree, { recursive: true, force: true });
          rmSync(stateDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 2 },
    );
  }, 180_000);

  it('finishes an interrupted run into --out when run again, without --resume (which it refuses)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ra-state-int-'));
    const box = join(dir, 'big.mbox');
    const out = join(dir, 'out.ndjson');
    const stateDir = join(dir, 'state');
    try {
      writeFileSync(box, messages(1, 6000));
      // Stopped by SIGINT long before it could end (6 000 messages; a pool thread alone takes longer to load).
      const child = spawn(process.execPath, [CLI, 'scan', '-j', '1', '--state', stateDir, '--out', out, box], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => child.kill('SIGINT'), 400);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect(stderr).toContain(`run again (its state makes that cheap) to finish ${out}`);
      expect(existsSync(`${out}.partial`)).toBe(true);
      // Run again as the line says: the output is written anew, whole, and the state is made.
      const again = cli(['scan', '-j', '1', '--state', stateDir, '--out', out, box]);
      expect(again.code, again.stderr).toBe(0);
      expect(existsSync(`${out}.partial`)).toBe(false);
      const full = join(dir, 'full.ndjson');
      expect(cli(['scan', '-j', '1', '--out', full, box]).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(full, 'utf8'));
      expect(cli(['scan', '-j', '1', '--state', stateDir, '--out', out, box]).stderr).toContain('1 files from state');
      expect(readFileSync(out, 'utf8').split('\n').length).toBe(6001);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses --resume with a usage error (exit 2)', () => {
    const r = cli([
      'scan',
      '--state',
      join(tmpdir(), 'ra-x'),
      '--out',
      join(tmpdir(), 'ra-x.ndjson'),
      '--resume',
      DOCUMENTS,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--state does not go with --resume');
  });
});
