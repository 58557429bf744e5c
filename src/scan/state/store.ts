/**
 * The state file, `DIR/scan-state.ndjson`: a header line (the package version and a salted hash of
 * each option that changes records), then for every file its records, one JSON line each, followed by
 * one `{"@file": …}` line (its identity, where its mailbox ended, how many records and their hash),
 * and an `{"@end": …}` line that says how many files and bytes came before it. Loading reads it once,
 * keeps only the `@file` lines (with where their records lie) and checks every hash, so a file cut
 * short or damaged anywhere is known before one record of it is used. A new state is written to a
 * temporary file beside it, flushed to the disk and renamed over the old one: a crash leaves one or
 * the other, whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { type FileHandle, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanRecord } from '../types.js';
import type { Identity, MailboxEnd } from './identity.js';
import { addTally, count, emptyTally, StoredRun, type Tally } from './run.js';

export const STATE_FILE = 'scan-state.ndjson';
/** 2: each `@file` line says what its records add up to (`tally`). */
export const FORMAT = 2;

export interface Header {
  rostelecomAccountState: number;
  version: string;
  salt: string;
  /** Per option that changes records: a salted hash of its value (a password is never written). */
  options: Record<string, string>;
}

/** One file as the state remembers it; `offset`/`length`: where its record lines lie in the state file. */
export interface Entry {
  key: string;
  identity: Identity;
  mailbox?: MailboxEnd;
  records: number;
  hash: string;
  /** What its records add up to: a scan that takes them from the state counts them without reading them. */
  tally: Tally;
  offset: number;
  length: number;
  /** Where its `@file` line ends: the next entry's records start there. */
  end: number;
}

/** How much of the state file one read takes: a run of records from it is about this size. */
const RUN_BYTES = 1024 * 1024;

/**
 * The piece the state is loaded in: one buffer, read into again and again. Memory a process touches
 * for the first time is what a scan from its state pays most for (about 4 ms a MiB on the bench
 * machine, a VM; a read from the page cache is a tenth of that), so loading takes little of it.
 */
const LOAD_BYTES = 256 * 1024;

/** A buffer twice as large, holding what `buffer` held. */
function grown(buffer: Buffer): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger);
  return larger;
}

/** A state file of another layout (another version wrote it, or it is not a state file). */
export const OTHER_FORMAT = 'not a state file of this format';

/** A state file read back: its entries, or why it cannot be used. */
export type Loaded = { header: Header; entries: Map<string, Entry> } | { problem: string };

/** Salted hashes of option values, as the header keeps them. */
export function optionHashes(values: Record<string, unknown>, salt: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    const value = JSON.stringify(values[key]) ?? 'undefined';
    hashes[key] = createHash('sha256').update(`${salt}\0${key}\0${value}`).digest('hex').slice(0, 16);
  }
  return hashes;
}

export function newSalt(): string {
  return randomBytes(8).toString('hex');
}

/** Deletes what a scan killed hard (SIGKILL, a power cut) left: temporary states of processes that are gone. */
export async function removeStale(dir: string): Promise<void> {
  const prefix = `${STATE_FILE}.tmp-`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

/** How many lines `bytes` holds (each ends with a line feed). */
export function lineCount(bytes: Buffer): number {
  let lines = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) lines++;
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
 * The records of one entry as runs of whole lines, as written (read in large pieces: a record costs
 * a search for its line feed, not a read, a parse and a yield); the last run carries the entry's tally.
 */
export async function* entryRuns(dir: string, entry: Entry): AsyncGenerator<StoredRun> {
  if (entry.length === 0) return;
  const path = join(dir, STATE_FILE);
  const changed = () => new Error(`${path} changed while it was read (another scan with the same state?)`);
  const handle = await open(path, 'r');
  try {
    const end = entry.offset + entry.length;
    let position = entry.offset;
    let carry: Buffer = Buffer.alloc(0); // the start of a line the last read cut
    let held: StoredRun | undefined; // each run waits for the next, so the last one is known
    let seen = 0;
    while (position < end) {
      // Each read lands after the line it continues: no run is copied to be joined.
      const size = Math.min(RUN_BYTES, end - position);
      const buffer = Buffer.allocUnsafe(carry.length + size);
      carry.copy(buffer);
      const { bytesRead } = await handle.read(buffer, carry.length, size, position);
      if (bytesRead === 0) throw changed();
      position += bytesRead;
      const bytes = buffer.subarray(0, carry.length + bytesRead);
      const last = bytes.lastIndexOf(0x0a);
      if (last < 0) {
        carry = bytes;
        continue;
      }
      const lines = lineCount(bytes.subarray(0, last + 1));
      if (held) yield held;
      held = new StoredRun(bytes.subarray(0, last + 1), lines);
      seen += lines;
      carry = bytes.subarray(last + 1);
    }
    // The entry's lines were hashed and counted when the state was loaded.
    if (carry.length > 0 || !held || seen !== entry.records) throw changed();
    yield new StoredRun(held.bytes, held.count, entry.tally);
  } finally {
    await handle.close();
  }
}

/**
 * The new state, written as the scan's records come: a file's lines go out in order, and a file that
 * must not be kept (a record of it is not the same from one read to the next) is taken back.
 */
export class StateWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes on the disk: `[0, written)` of the temporary file. */
  private written = 0;
  private blockStart = 0;
  private records = 0;
  private hash = createHash('sha1');
  private tally = emptyTally();
  private files = 0;

  private constructor(
    private readonly dir: string,
    private readonly tmp: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, header: Header): Promise<StateWriter> {
    const tmp = join(dir, `${STATE_FILE}.tmp-${process.pid}`);
    const handle = await open(tmp, 'w', 0o600);
    const writer = new StateWriter(dir, tmp, handle);
    writer.push(`${JSON.stringify(header)}\n`);
    writer.blockStart = writer.position;
    return writer;
  }

  private get position(): number {
    return this.written + this.pendingBytes;
  }

  private push(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.write(bytes, 0, bytes.length, this.written);
    this.written += bytes.length;
  }

  /** One record of the current file, as its line. */
  async record(record: ScanRecord, line: string): Promise<void> {
    this.push(`${line}\n`);
    this.hash.update(line);
    this.hash.update('\n');
    this.records++;
    count(this.tally, record);
    if (this.pendingBytes >= 1024 * 1024) await this.flush();
  }

  /** A run of the current file's records taken from the old state, as its bytes. */
  async run(run: StoredRun): Promise<void> {
    this.pending.push(run.bytes);
    this.pendingBytes += run.bytes.length;
    this.hash.update(run.bytes);
    this.records += run.count;
    if (run.tally) addTally(this.tally, run.tally);
    if (this.pendingBytes >= 1024 * 1024) await this.flush();
  }

  /** Ends the current file: kept under `entry`, or (undefined) taken back. */
  endFile(entry: Omit<Entry, 'records' | 'hash' | 'tally' | 'offset' | 'length' | 'end'> | undefined): void {
    if (entry) {
      const line = { ...entry, records: this.records, hash: this.hash.digest('hex'), tally: this.tally };
      this.push(`${JSON.stringify({ '@file': line })}\n`);
      this.files++;
    } else if (this.blockStart >= this.written) {
      const keep = Buffer.concat(this.pending).subarray(0, this.blockStart - this.written);
      this.pending = [keep];
      this.pendingBytes = keep.length;
    } else {
      this.pending = [];
      this.pendingBytes = 0;
      this.written = this.blockStart;
    }
    this.blockStart = this.position;
    this.records = 0;
    this.hash = createHash('sha1');
    this.tally = emptyTally();
  }

  /** Copies bytes `[start, end)` of the old state, which hold `files` whole files (records and `@file` lines). */
  async copy(dir: string, start: number, end: number, files: number): Promise<void> {
    await this.flush();
    if (end > start) {
      for await (const chunk of createReadStream(join(dir, STATE_FILE), {
        start,
        end: end - 1,
      }) as AsyncIterable<Buffer>) {
        await this.handle.write(chunk, 0, chunk.length, this.written);
        this.written += chunk.length;
      }
    }
    this.files += files;
    this.blockStart = this.position;
  }

  /** Writes the end line, flushes the file to the disk and renames it over the old state. */
  async commit(): Promise<void> {
    try {
      this.push(`${JSON.stringify({ '@end': { files: this.files, bytes: this.position } })}\n`);
      await this.flush();
      await this.handle.truncate(this.written);
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tmp, join(this.dir, STATE_FILE));
    } catch (error) {
      await this.abandon(); // the old state stays
      throw error;
    }
    // The rename itself reaches the disk when the folder is flushed.
    const folder = await open(this.dir, 'r').catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }

  /** Drops the new state (the scan stopped before its end): the old one stays as it was. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}
