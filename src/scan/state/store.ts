/**
 * The state file, `DIR/scan-state.ndjson`: a header line (the package version and a salted hash of
 * each option that changes records), then for every file its records, one JSON line each, followed by
 * one `{"@file": …}` line (its identity, where its mailbox ended, how many records and their hash),
 * and an `{"@end": …}` line that says how many files and bytes came before it (load.ts reads it back).
 * A new state is written to a temporary file beside it, flushed to the disk and renamed over the old
 * one: a crash leaves one or the other, whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanRecord } from '../types.js';
import type { Identity, MailboxEnd } from './identity.js';
import { addTally, count, emptyTally, type StoredRun, type Tally } from './run.js';

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
    // A run whose buffer is read into again once it is released is not kept: it goes out now.
    if (this.pendingBytes >= 1024 * 1024 || run.reused) await this.flush();
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
