/**
 * Reading a state file back (store.ts says what it holds). Loading reads it once in large pieces,
 * keeps only the `@file` lines (with where their records lie) and checks every hash, so a file cut
 * short or damaged anywhere is known before one record of it is used; a file's records are then read
 * again, as runs of their lines, when the scan comes to it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { StoredRun } from './run.js';
import { type Entry, FORMAT, type Header, type Loaded, OTHER_FORMAT, STATE_FILE } from './store.js';

/**
 * The piece the state is loaded in: one buffer, read into again and again. Memory a process touches
 * for the first time is what a scan from its state pays most for (about 4 ms a MiB on the bench
 * machine, a VM; a read from the page cache is a tenth of that), so loading takes little of it.
 */
const LOAD_BYTES = 256 * 1024;

/**
 * How much of the state file one read of a file's records takes: a run of records is about this size,
 * in a buffer used again (see RunBuffers), as small as the load's for the same reason.
 */
const RUN_BYTES = 256 * 1024;

/** A buffer twice as large, holding what `buffer` held. */
function grown(buffer: Buffer): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger);
  return larger;
}

/** Where a `@file` or `@end` line starts: a line feed, then `{"@` (a record's line starts `{"source"`). */
const MARK = Buffer.from('\n{"@');

const startsMark = (lines: Buffer, at: number) =>
  lines[at] === 0x7b && lines[at + 1] === 0x22 && lines[at + 2] === 0x40;

/** Where the next `{"@` line after the line at `from` starts (`lines.length`: none in these lines). */
function nextMark(lines: Buffer, from: number): number {
  const mark = lines.indexOf(MARK, from);
  return mark < 0 ? lines.length : mark + 1;
}

/**
 * The typed array's own indexOf: Buffer's adds layers of JavaScript to each call, which a short-lived
 * process runs cold (a 5 MiB state's 11 000 lines took ~20 ms of them; this builtin, a few).
 */
const indexOfByte = Uint8Array.prototype.indexOf;

/** How many lines `bytes` holds (each ends with a line feed). */
export function lineCount(bytes: Buffer): number {
  let lines = 0;
  for (let at = indexOfByte.call(bytes, 0x0a); at >= 0; at = indexOfByte.call(bytes, 0x0a, at + 1)) lines++;
  return lines;
}

/**
 * The state file's lines as they are read, a piece of whole lines at a time. A file's record lines are
 * never parsed nor taken one by one: the bytes between two `{"@` lines are its records, hashed as one
 * piece and counted by their line feeds (a 5 MiB state took 55 ms line by line, a few now).
 */
class StateLoader {
  header: Header | undefined;
  readonly entries = new Map<string, Entry>();
  ended: { files: number; bytes: number } | undefined;
  /** Where the current file's records start. */
  private blockStart = 0;
  private records = 0;
  private hash = createHash('sha1');

  /** `lines`: whole lines, at `at` in the file. Says why the state cannot be used, if it cannot. */
  take(lines: Buffer, at: number): string | undefined {
    let from = 0;
    if (!this.header) {
      from = lines.indexOf(0x0a) + 1;
      this.header = JSON.parse(lines.toString('utf8', 0, from - 1)) as Header;
      if (this.header.rostelecomAccountState !== FORMAT) return OTHER_FORMAT;
      this.blockStart = at + from;
    }
    while (from < lines.length) {
      if (this.ended) return 'bytes after its end';
      const special = startsMark(lines, from) ? from : nextMark(lines, from);
      if (special > from) {
        const block = lines.subarray(from, special);
        this.hash.update(block);
        this.records += lineCount(block);
      }
      if (special === lines.length) return undefined;
      const end = lines.indexOf(0x0a, special);
      const problem = this.special(lines.subarray(special, end), at + special);
      if (problem) return problem;
      from = end + 1;
    }
    return undefined;
  }

  /** A `@file` line (the end of a file's records) or the `@end` line, at `at` in the file. */
  private special(line: Buffer, at: number): string | undefined {
    const parsed = JSON.parse(line.toString('utf8')) as {
      '@file'?: Omit<Entry, 'offset' | 'length' | 'end'>;
      '@end'?: { files: number; bytes: number };
    };
    const end = parsed['@end'];
    if (end) {
      this.ended = end;
      return end.files !== this.entries.size || end.bytes !== at
        ? 'its end does not match what precedes it'
        : undefined;
    }
    const entry = parsed['@file'];
    if (!entry || entry.records !== this.records || entry.hash !== this.hash.digest('hex'))
      return 'a file’s records do not match their hash';
    const next = at + line.length + 1;
    this.entries.set(entry.key, { ...entry, offset: this.blockStart, length: at - this.blockStart, end: next });
    this.blockStart = next;
    this.records = 0;
    this.hash = createHash('sha1');
    return undefined;
  }
}

/**
 * Reads the state file in large pieces, keeping only its `@file` lines with where their records lie,
 * and checks every hash and count, so a state cut short or damaged anywhere is known before one record
 * of it is used.
 */
export async function loadState(dir: string): Promise<Loaded | undefined> {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return undefined;
  const loader = new StateLoader();
  let problem: string | undefined;
  let carry = 0; // bytes at the start of `buffer`: the start of a line the last read cut
  try {
    const handle = await open(path, 'r');
    try {
      // One buffer for the whole file: fresh memory costs more than the reads (see LOAD_BYTES).
      let buffer: Buffer = Buffer.allocUnsafe(LOAD_BYTES);
      for (let position = 0; ; ) {
        if (carry === buffer.length) buffer = grown(buffer); // a line longer than the buffer
        const { bytesRead } = await handle.read(buffer, carry, buffer.length - carry, position);
        if (bytesRead === 0) break;
        const bytes = buffer.subarray(0, carry + bytesRead);
        const last = bytes.lastIndexOf(0x0a);
        if (last >= 0) problem = loader.take(bytes.subarray(0, last + 1), position - carry);
        if (problem) break;
        position += bytesRead;
        carry = bytes.copyWithin(0, last + 1).length - (last + 1);
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    problem = error instanceof SyntaxError ? 'a line that is not JSON' : `cannot be read (${(error as Error).message})`;
  }
  if (!problem && (!loader.ended || carry > 0)) problem = 'cut short (no end line)';
  if (problem || !loader.header) return { problem: problem ?? 'empty' };
  return { header: loader.header, entries: loader.entries };
}

/**
 * The buffers runs of records are read into. A run's buffer is read into again once the scan is done
 * with the run (`StoredRun.release`), so a scan from its state touches about one run's worth of fresh
 * memory, not the whole state's (fresh memory is what it pays most for, see LOAD_BYTES).
 */
export class RunBuffers {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(RUN_BYTES);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

/**
 * The records of one entry as runs of whole lines, as written (read in large pieces: a record costs
 * a search for its line feed, not a read, a parse and a yield); the last run carries the entry's tally.
 * A read of a run's size or more goes into a buffer of `buffers`, which its run gives back when released.
 */
export async function* entryRuns(dir: string, entry: Entry, buffers = new RunBuffers()): AsyncGenerator<StoredRun> {
  if (entry.length === 0) return;
  const path = join(dir, STATE_FILE);
  const changed = () => new Error(`${path} changed while it was read (another scan with the same state?)`);
  const handle = await open(path, 'r');
  try {
    const end = entry.offset + entry.length;
    let position = entry.offset;
    let carry: Buffer = Buffer.alloc(0); // the start of a line the last read cut, copied out of its run
    let seen = 0;
    while (position < end) {
      // A small entry (or a line longer than half a run) gets a buffer of its own, as large as it needs.
      const pooled = end - position + carry.length >= RUN_BYTES && carry.length <= RUN_BYTES / 2;
      const buffer = pooled ? buffers.take() : Buffer.allocUnsafe(carry.length + Math.min(RUN_BYTES, end - position));
      carry.copy(buffer);
      const size = Math.min(buffer.length - carry.length, end - position);
      const { bytesRead } = await handle.read(buffer, carry.length, size, position);
      if (bytesRead === 0) throw changed();
      position += bytesRead;
      const bytes = buffer.subarray(0, carry.length + bytesRead);
      const last = bytes.lastIndexOf(0x0a);
      carry = Buffer.from(bytes.subarray(last + 1));
      const lines = last < 0 ? 0 : lineCount(bytes.subarray(0, last + 1));
      seen += lines;
      const release = pooled ? () => buffers.give(buffer) : undefined;
      if (position < end) {
        if (lines > 0) yield new StoredRun(bytes.subarray(0, last + 1), lines, undefined, release);
        else release?.();
        continue;
      }
      // The entry's lines were hashed and counted when the state was loaded.
      if (carry.length > 0 || seen !== entry.records) throw changed();
      yield new StoredRun(bytes.subarray(0, last + 1), lines, entry.tally, release);
    }
  } finally {
    await handle.close();
  }
}
