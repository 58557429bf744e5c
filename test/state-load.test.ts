/**
 * Loading a scan's state (store.ts, `loadState`): the file is read in large pieces, a file's records
 * hashed as one block and counted by their line feeds. A state whose lines straddle those pieces, or
 * hold one record longer than a piece, is used as it is; a state damaged anywhere (a record changed,
 * a count changed under an intact hash, bytes after its end) is never used: the scan is a full one,
 * says why, and its records are a full scan's. A file whose records are several runs has them read
 * into buffers that are read into again once a run is written: the bytes that go out are still the
 * full scan's, whatever is read before them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScanOptions, scan } from '../src/index.js';
import type { StateNotice } from '../src/scan/scan.js';
import { CLI } from './helpers.js';

/** An invented account (no real subscriber has it): 7 and thirteen digits. */
const account = (n: number) => `7${String(n).padStart(13, '0')}`;

/** What the loader reads at a time, and a run's size (load.ts, LOAD_BYTES and RUN_BYTES). */
const PIECE = 256 * 1024;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tree of `files` small notes, each with its account, and one document of `accounts` accounts. */
function makeTree(files: number, accounts: number): { tree: string; stateDir: string } {
  const tree = mkdtempSync(join(tmpdir(), 'ra-state-load-'));
  made.push(tree, `${tree}-state`);
  mkdirSync(join(tree, 'notes'));
  for (let i = 0; i < files; i++)
    writeFileSync(join(tree, 'notes', `n${String(i).padStart(4, '0')}.txt`), `Заметка ${i}\nЛ/С ${account(i)}\n`);
  let long = '';
  for (let i = 0; i < accounts; i++) long += `Лицевой счёт ${account(10_000 + i * 7919)}\n`;
  writeFileSync(join(tree, 'many.txt'), long);
  return { tree, stateDir: `${tree}-state` };
}

async function lines(paths: string[], options: ScanOptions): Promise<string> {
  let out = '';
  for await (const record of scan(paths, { concurrency: 0, ...options })) out += `${JSON.stringify(record)}\n`;
  return out;
}

/** A scan with the state: its output and what it said. */
async function withState(tree: string, stateDir: string): Promise<{ out: string; notices: StateNotice[] }> {
  const notices: StateNotice[] = [];
  const out = await lines([tree], { state: stateDir, onState: (n) => notices.push(n) });
  return { out, notices };
}

describe('loading a state in pieces', () => {
  it('uses a state of many files whose lines straddle the pieces, and one record longer than a piece', async () => {
    const { tree, stateDir } = makeTree(300, 3000);
    const full = await lines([tree], {});
    const longest = Math.max(...full.split('\n').map((l) => Buffer.byteLength(l)));
    expect(longest).toBeGreaterThan(PIECE);
    await withState(tree, stateDir);
    expect(statSync(join(stateDir, 'scan-state.ndjson')).size).toBeGreaterThan(2 * PIECE);
    const again = await withState(tree, stateDir);
    expect(again.out).toBe(full);
    expect(again.notices).toHaveLength(1);
    expect(again.notices[0]).toMatchObject({ kind: 'done', stats: { filesFromState: 301, filesRead: 0 } });
  }, 60_000);

  const damages: Array<[string, (state: string) => string, RegExp]> = [
    [
      'a record changed past the first piece',
      (state) => {
        // A digit of an account in the last note's record: its file's hash no longer matches.
        const at = state.lastIndexOf(account(199));
        return `${state.slice(0, at + 5)}${state[at + 5] === '9' ? '0' : '9'}${state.slice(at + 6)}`;
      },
      /damaged \(a file’s records do not match their hash\)/,
    ],
    [
      'a file’s record count changed under an intact hash',
      (state) => state.replace(/"records":1,/, '"records":2,'),
      /damaged \(a file’s records do not match their hash\)/,
    ],
    [
      'a line after the end line',
      (state) => `${state}{"@end":{"files":0,"bytes":0}}\n`,
      /damaged \(bytes after its end\)/,
    ],
    ['its end line cut', (state) => state.slice(0, -10), /damaged \(cut short \(no end line\)\)/],
    [
      'a cut in a record past the first piece',
      (state) => state.slice(0, state.lastIndexOf(account(100))),
      /damaged \(cut short \(no end line\)\)/,
    ],
  ];

  it.each(damages)(
    'does not use a state with %s: a full scan, and says why',
    async (_, damage, why) => {
      // The long document's record comes first (many.txt, then notes/): the notes lie past the first piece.
      const { tree, stateDir } = makeTree(200, 2000);
      const full = await lines([tree], {});
      await withState(tree, stateDir);
      const file = join(stateDir, 'scan-state.ndjson');
      const state = readFileSync(file, 'utf8');
      expect(state.indexOf(account(0))).toBeGreaterThan(PIECE);
      const damaged = damage(state);
      expect(damaged).not.toBe(state);
      writeFileSync(file, damaged);
      const after = await withState(tree, stateDir);
      expect(after.notices[0]).toMatchObject({ kind: 'ignored' });
      expect(after.notices[0]!.message).toMatch(why);
      expect(after.notices.at(-1)).toMatchObject({ kind: 'done', stats: { filesFromState: 0, filesRead: 201 } });
      expect(after.out).toBe(full);
      // The state written anew is whole again: the next scan takes everything from it.
      const next = await withState(tree, stateDir);
      expect(next.notices).toEqual([
        expect.objectContaining({ kind: 'done', stats: expect.objectContaining({ filesRead: 0 }) }),
      ]);
      expect(next.out).toBe(full);
    },
    60_000,
  );
});

/** A mailbox of `count` bills, each with twenty accounts: about 3 KiB of record a message. */
function bigMailbox(count: number): string {
  let text = '';
  for (let n = 0; n < count; n++) {
    const accounts = Array.from({ length: 20 }, (_, i) => `Лицевой счёт ${account(100_000 + n * 20 + i)}`);
    text += `From bill@rt.example Thu Nov 20 10:00:00 2026\nFrom: bill@rt.example\nSubject: bill ${n}\n`;
    text += `Message-ID: <runs-${n}@rt.example>\nContent-Type: text/plain; charset=utf-8\n\n${accounts.join('\n')}\n\n`;
  }
  return text;
}

function cli(args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout };
}

describe('runs of records read into buffers used again', () => {
  it('gives a full scan’s bytes, with nothing read before the runs and with a file read before them', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'ra-state-runs-'));
    const stateDir = `${tree}-state`;
    made.push(tree, stateDir);
    writeFileSync(join(tree, 'bills.mbox'), bigMailbox(1000));
    const full = await lines([tree], {});
    await withState(tree, stateDir);
    // A dozen runs, all but the first in a buffer used again.
    expect(statSync(join(stateDir, 'scan-state.ndjson')).size).toBeGreaterThan(2.5 * 1024 * 1024);
    expect((await withState(tree, stateDir)).out).toBe(full);
    const printed = cli(['scan', '-j', '1', tree]).stdout;
    expect(cli(['scan', '-j', '1', '--state', stateDir, tree]).stdout).toBe(printed);
    // A new file before the mailbox: it is read while the runs wait their turn, and the new state is
    // written from the runs as they go out.
    writeFileSync(join(tree, 'a-note.txt'), `Л/С ${account(42)}\n`);
    const fuller = cli(['scan', '-j', '1', tree]).stdout;
    expect(fuller).not.toBe(printed);
    const out = join(tree, '..', `${tree.split('/').pop()}.ndjson`);
    made.push(out);
    expect(cli(['scan', '-j', '1', '--state', stateDir, '--out', out, tree]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(fuller);
    // That state is whole: the next scan takes all from it, and the library's records are a full scan's.
    const again = await withState(tree, stateDir);
    expect(again.notices).toEqual([expect.objectContaining({ stats: expect.objectContaining({ filesRead: 0 }) })]);
    expect(again.out).toBe(await lines([tree], {}));
    expect(cli(['scan', '-j', '1', '--state', stateDir, tree]).stdout).toBe(fuller);
  }, 120_000);
});
