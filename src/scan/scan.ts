/**
 * `scan()`: the documents under some paths, one record each (one per message of a mailbox), in a
 * stable order whatever the concurrency, each yielded as soon as it and everything before it is ready.
 * With a pool (the default), the calling thread only walks the folders and finds where each message of
 * a mailbox lies; the pool's threads read, split and extract the documents themselves, and the calling
 * thread merges their records in order. With `concurrency: 0` everything runs on the calling thread.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import picomatch from 'picomatch';
import { maskAccount } from '../account.js';
import { detectKind } from '../extract/detect.js';
import { extract } from '../extract/index.js';
import {
  checkOptions,
  DEFAULT_MAX_BYTES,
  type ErrorInfo,
  type ExtractOptions,
  type ExtractResult,
} from '../extract/pipeline.js';
import type { DocumentKind } from '../extract/types.js';
import { cutMessageWarning, type MboxRange, mboxSpans, splitMbox } from '../mailbox/mbox.js';
import { fdBudget } from './fdlimit.js';
import { type FsPath, openRegular, readFailure, regularFile } from './open.js';
import { type ExtractPool, type PoolItem, poolFor } from './pool.js';
import type { FileSpan } from './span.js';
import { noticeWaiting, type OnWaiting } from './waiting.js';
import { walk } from './walk.js';

export interface ScanProgress {
  documents: number;
  messages: number;
  accounts: number;
  errors: number;
  /** Bytes of documents read so far. */
  bytes: number;
}

export interface ScanOptions extends ExtractOptions {
  /** Print accounts masked (`1234 **** **** 34`) in `number` and `raw`. */
  redact?: boolean;
  signal?: AbortSignal;
  /** Worker threads; default the machine's cores. `0` extracts on the calling thread (no hard time limit). */
  concurrency?: number;
  /** Heap limit of one worker thread in MiB (default 1024): a document that needs more gets `OUT_OF_MEMORY`. */
  workerMemoryMb?: number;
  /** Resident memory of the process in MiB past which the documents in flight are stopped and read again one at a time; the one that still goes over gets `OUT_OF_MEMORY` (default 768). */
  maxRssMb?: number;
  /** See `PoolOptions.fixedYoungGeneration`: less memory, but it changes a V8 flag for the whole process (default off). */
  fixedYoungGeneration?: boolean;
  /** Only files whose path (or, for patterns without `/`, name) matches one of these globs. */
  include?: readonly string[];
  /** Never files whose path or name matches one of these globs. */
  exclude?: readonly string[];
  /** This machine's share `[i, n]` (0 ≤ i < n): a deterministic split by path and message index. */
  shard?: readonly [number, number];
  /** Documents to skip, e.g. those an interrupted run already wrote (`--resume`); `encoding` as in the record. */
  skip?: (source: string, index: number | undefined, encoding?: 'bytes') => boolean;
  /** Called after every record. */
  onProgress?: (progress: ScanProgress) => void;
  /** Called every 5 s while the next record in order waits on a document still being read (its name, ms so far). */
  onWaiting?: OnWaiting;
  /** Read only this byte range of an mbox, numbering its messages from `firstIndex` (a queue job's share). */
  range?: MboxRange;
  /** A pool to share between many scans (a queue worker runs one scan per job); it is not closed. */
  pool?: ExtractPool;
}

/** One line of the CLI's NDJSON output; `scan()` yields the same objects. */
export interface ScanRecord extends ExtractResult {
  /** The file, as named on the command line or found under a named folder; `-` for standard input. */
  source: string;
  /** `bytes`: the file's name is not UTF-8 and `source` is its escaped form (`\xHH` per such byte, `\\` per backslash). */
  sourceEncoding?: 'bytes';
  /** For a message of a mailbox: its 0-based position in the mailbox. */
  index?: number;
}

interface Unit {
  source: string;
  sourceEncoding?: 'bytes';
  index?: number;
  bytes?: Uint8Array;
  /** Where a pool thread reads the document itself (a scan with a pool never reads files here). */
  file?: FileSpan;
  kind?: DocumentKind;
  /** The kind the first bytes suggest: the record's kind if its thread dies before it can say. */
  guess?: DocumentKind;
  /** Lets go of the mailbox `file` is read from, once this document is done. */
  release?: () => void;
  /** The mailbox held open for it: a batch holds at most a share of the descriptors (see `batches`). */
  mailbox?: object;
  filename: string;
  error?: ErrorInfo;
  warning?: { code: string; message: string };
}

export function redactRecord<T extends Pick<ExtractResult, 'accounts'>>(record: T, options: ExtractOptions = {}): T {
  return {
    ...record,
    accounts: record.accounts.map((a) => {
      const masked = maskAccount(a.number, options);
      return { ...a, number: masked, raw: masked };
    }),
  };
}

/** The shard a document belongs to: a hash of its path and message index, so every machine agrees. */
export function shardOf(source: string, index: number | undefined, shards: number): number {
  const digest = createHash('sha1')
    .update(`${source}\0${index ?? ''}`)
    .digest();
  return digest.readUInt32BE(0) % shards;
}

function checkScanOptions(options: ScanOptions): void {
  checkOptions(options);
  const { concurrency, shard } = options;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 0)) {
    throw new TypeError('concurrency must be a whole number ≥ 0');
  }
  if (shard !== undefined) {
    const [i, n] = shard;
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
      throw new TypeError('shard must be [i, n] with 0 ≤ i < n');
    }
  }
}

/**
 * A glob with a `/` matches the whole path, one without matches the file name (as `.gitignore` does).
 * picomatch's own `basename` option also applies it to globs with slashes, so the two are kept apart.
 */
export function matcher(globs: readonly string[] | undefined): ((path: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const withSlash = globs.filter((g) => g.includes('/'));
  const names = globs.filter((g) => !g.includes('/'));
  const byPath = withSlash.length ? picomatch(withSlash, { dot: true }) : () => false;
  const byName = names.length ? picomatch(names, { dot: true }) : () => false;
  return (path) => byPath(path) || byName(basename(path));
}

export async function sniff(path: FsPath, shown = String(path)): Promise<DocumentKind> {
  const handle = await openRegular(path, shown);
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return detectKind(head.subarray(0, bytesRead), shown);
  } finally {
    await handle.close();
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A mailbox whose messages pool threads read through one descriptor, held open here (a thread that is
 * terminated holds none): closed once the scan has found all its messages and each one is done.
 */
class OpenMailbox {
  private users = 1;
  private closed = false;
  private constructor(
    readonly handle: FileHandle,
    private readonly opened: Set<OpenMailbox>,
  ) {}

  /** Opens a mailbox, kept in `opened` until it is closed. */
  static async open(path: FsPath, shown: string, opened: Set<OpenMailbox>): Promise<OpenMailbox> {
    await fdBudget().take(); // waits while the scan holds as many descriptors as the limit allows
    const handle = await openRegular(path, shown).catch((error: unknown) => {
      fdBudget().give();
      throw error;
    });
    const mailbox = new OpenMailbox(handle, opened);
    opened.add(mailbox);
    return mailbox;
  }

  /** One more message in flight; the function returned lets go of it (once). */
  hold(): () => void {
    this.users++;
    let held = true;
    return () => {
      if (held) {
        held = false;
        this.release();
      }
    };
  }

  release(): void {
    if (--this.users === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.opened.delete(this);
    this.handle
      .close()
      .catch(() => undefined)
      .finally(() => fdBudget().give());
  }
}

/**
 * The documents under `paths`, as units of work, in a stable order. `byPath`: files and mbox messages
 * go as positions for pool threads to read (only standard input is read here).
 */
async function* units(
  paths: readonly string[],
  options: ScanOptions,
  byPath: boolean,
  opened: Set<OpenMailbox>,
): AsyncGenerator<Unit> {
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // `encoding` is the walk entry's now looked at (see below): names that are not UTF-8 are kept apart.
  let encoding: { sourceEncoding?: 'bytes' } = {};
  const wanted = (source: string, index?: number) =>
    !(options.shard && shardOf(source, index, options.shard[1]) !== options.shard[0]) &&
    !options.skip?.(source, index, encoding.sourceEncoding);

  for (const path of paths) {
    if (path === '-') {
      const bytes = await readStdin();
      if (detectKind(bytes) === 'mbox') {
        for await (const m of splitMbox([bytes])) {
          if (wanted('-', m.index))
            yield { source: '-', index: m.index, bytes: m.bytes, kind: 'email', filename: `- › message ${m.index}` };
        }
      } else if (wanted('-')) {
        yield { source: '-', bytes, filename: '-' };
      }
      continue;
    }
    for await (const entry of walk([path])) {
      const source = entry.path;
      // A name that is not UTF-8: its bytes for the file system, its escaped form in the record.
      const fsPath: FsPath = entry.raw ?? source;
      encoding = entry.raw ? { sourceEncoding: 'bytes' } : {};
      if (entry.error) {
        if (wanted(source)) yield { source, ...encoding, filename: source, error: entry.error };
        continue;
      }
      // Filters apply to files found in folders; a file named on the command line is always read.
      if (source !== path && ((include && !include(source)) || exclude?.(source))) continue;
      try {
        const info = await regularFile(fsPath, source);
        const guess = await sniff(fsPath, source);
        const range = options.range;
        const maxMessageBytes = Math.min(maxBytes, 64 * 1024 * 1024);
        /** The mailbox, or the range of it this scan reads. */
        const mailboxStream = (chunk: { highWaterMark?: number } = {}) =>
          range
            ? createReadStream(fsPath, { ...chunk, start: range.start, end: range.end - 1 })
            : createReadStream(fsPath, chunk);
        if (guess === 'mbox' && byPath) {
          // Only where each message lies is found here; the threads read and split the messages.
          // Only `From ` is looked for: large reads, few callbacks.
          const stream = mailboxStream({ highWaterMark: 1024 * 1024 });
          const mailbox = await OpenMailbox.open(fsPath, source, opened);
          try {
            for await (const m of mboxSpans(stream, range?.end ?? info.size, range?.start, range?.firstIndex)) {
              if (!wanted(source, m.index)) continue;
              const message = { fd: mailbox.handle.fd, start: m.start, end: m.end, maxMessageBytes };
              const file = { path: fsPath, size: m.end - m.start, message };
              const filename = `${source} › message ${m.index}`;
              const release = mailbox.hold();
              yield { source, ...encoding, index: m.index, file, kind: 'email', filename, release, mailbox };
            }
          } finally {
            mailbox.release();
          }
          continue;
        }
        if (guess === 'mbox') {
          // A mailbox is streamed: every message its own unit, memory one read-ahead window of messages.
          for await (const m of splitMbox(mailboxStream(), { maxMessageBytes })) {
            const index = (range?.firstIndex ?? 0) + m.index;
            if (!wanted(source, index)) continue;
            const filename = `${source} › message ${index}`;
            const warning = m.truncated ? cutMessageWarning(filename) : undefined;
            yield {
              source,
              ...encoding,
              index,
              bytes: m.bytes,
              kind: 'email',
              filename,
              ...(warning ? { warning } : {}),
            };
          }
          continue;
        }
        if (!wanted(source)) continue;
        if (info.size > maxBytes) {
          yield {
            source,
            ...encoding,
            filename: source,
            error: { code: 'TOO_LARGE', message: `${source}: ${info.size} bytes is over maxBytes (${maxBytes})` },
          };
          continue;
        }
        if (byPath)
          yield { source, ...encoding, file: { path: fsPath, size: info.size, guess }, guess, filename: source };
        else yield { source, ...encoding, bytes: await readFile(fsPath), filename: source };
      } catch (error) {
        if (wanted(source)) yield { source, ...encoding, filename: source, error: readFailure(error, source) };
      }
    }
  }
}

/** Small documents travel to the threads together: up to this many, or this many bytes, per task. */
const BATCH_DOCUMENTS = 32;
const BATCH_BYTES = 512 * 1024;

async function* batches(source: AsyncIterable<Unit>): AsyncGenerator<Unit[]> {
  let batch: Unit[] = [];
  let bytes = 0;
  // Mailboxes the batch holds open: a batch being gathered lets go of none, so it holds at most a
  // share of the descriptor budget, or the next open would wait for it for ever.
  const mailboxes = new Set<object>();
  for await (const unit of source) {
    batch.push(unit);
    bytes += unit.bytes?.length ?? unit.file?.size ?? 0;
    if (unit.mailbox) mailboxes.add(unit.mailbox);
    if (batch.length >= BATCH_DOCUMENTS || bytes >= BATCH_BYTES || mailboxes.size >= fdBudget().perBatch) {
      yield batch;
      batch = [];
      bytes = 0;
      mailboxes.clear();
    }
  }
  if (batch.length > 0) yield batch;
}

export async function* scan(paths: readonly string[], options: ScanOptions = {}): AsyncGenerator<ScanRecord> {
  checkScanOptions(options);
  const {
    redact,
    signal,
    concurrency,
    workerMemoryMb,
    maxRssMb,
    fixedYoungGeneration,
    include: _i,
    exclude: _e,
    shard: _s,
    skip: _k,
    onProgress,
    onWaiting,
    filename: _f,
    range: _r,
    pool: shared,
    ...extractOptions
  } = options;
  const pool = shared ?? poolFor({ concurrency, workerMemoryMb, maxRssMb, fixedYoungGeneration });
  const progress: ScanProgress = { documents: 0, messages: 0, accounts: 0, errors: 0, bytes: 0 };

  const recordOf = (unit: Unit, result: ExtractResult, kind?: DocumentKind): ScanRecord => {
    const head = {
      source: unit.source,
      ...(unit.sourceEncoding ? { sourceEncoding: unit.sourceEncoding } : {}),
      ...(unit.index !== undefined ? { index: unit.index } : {}),
    };
    if (result.error && result.kind === 'unknown' && kind) result.kind = kind; // the thread died before it could say
    if (unit.warning) result.warnings.push(unit.warning);
    const record: ScanRecord = { ...head, ...result };
    return redact ? redactRecord(record, extractOptions) : record;
  };

  /** Extracts a batch of units; units that could not even be read carry their error already. */
  const process = async (batch: Unit[]): Promise<ScanRecord[]> => {
    const readable = batch.filter((u) => (u.bytes || u.file) && !u.error);
    // Taken before the bytes move to a thread (a lone document's buffer is transferred, not copied).
    // A kind known here is handed on, so the thread does not detect it a second time; a file's thread
    // detects it from all its bytes, as `extract` does.
    const sizes = readable.map((u) => u.bytes?.length ?? u.file!.size);
    const kinds = readable.map((u) => u.kind ?? (u.bytes ? detectKind(u.bytes, u.filename) : undefined));
    const options = readable.map((u, i) => ({
      ...extractOptions,
      filename: u.filename,
      ...(kinds[i] ? { kind: kinds[i] } : {}),
    }));
    const items = readable.map(
      (u, i): PoolItem =>
        u.bytes ? { bytes: u.bytes, options: options[i]! } : { file: u.file!, options: options[i]! },
    );
    let results: ExtractResult[];
    try {
      results = pool
        ? await pool.extractBatch(items)
        : await Promise.all(readable.map((u, i) => extract(u.bytes!, options[i]!)));
    } finally {
      for (const unit of batch) unit.release?.();
    }
    let next = 0;
    return batch.map((unit) => {
      if (!(unit.bytes || unit.file) || unit.error) {
        return recordOf(unit, {
          kind: 'unknown',
          accounts: [],
          contractNumbers: [],
          warnings: [],
          error: unit.error ?? null,
        });
      }
      const i = next++;
      progress.bytes += sizes[i]!;
      return recordOf(unit, results[i]!, kinds[i] ?? unit.guess);
    });
  };

  // A window of batches in flight: read ahead of the pool, yielded strictly in input order.
  const window: Array<Promise<ScanRecord[]>> = [];
  const size = Math.max(2, (pool?.threads ?? 1) * 3);
  const emit = (record: ScanRecord) => {
    signal?.throwIfAborted();
    progress.documents++;
    if (record.index !== undefined) progress.messages++;
    progress.accounts += record.accounts.length;
    if (record.error) progress.errors++;
    onProgress?.({ ...progress });
    return record;
  };
  // Every wait gives way to the signal at once: no document, file or standard input holds an abort.
  // (Not Promise.race with one promise for the whole scan: each race leaves a reaction on it that
  // holds what the race settled with, so every record of the scan would stay in memory.)
  const untilAborted = <T>(promise: Promise<T>): Promise<T> => {
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        promise.catch(() => undefined);
        reject(signal.reason);
        return;
      }
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };
  // The next batch in order; a long wait for it says which document holds it back (issue 27).
  const next = () => noticeWaiting(window.shift()!, pool, onWaiting);
  const opened = new Set<OpenMailbox>();
  const source = batches(units(paths, options, pool !== undefined, opened))[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await untilAborted(source.next());
      if (step.done) break;
      window.push(process(step.value));
      if (window.length >= size) for (const record of await untilAborted(next())) yield emit(record);
    }
    while (window.length > 0) {
      for (const record of await untilAborted(next())) yield emit(record);
    }
    finished = true;
  } finally {
    if (finished) {
      if (!shared) await pool?.close();
    } else {
      // Aborted, or the caller stopped early: end the threads first, so nothing in flight is waited for.
      if (!shared) await pool?.close();
      for (const batch of window) batch.catch(() => undefined);
      source.return(undefined).catch(() => undefined);
      // Nothing reads any more (with a shared pool, a message still being read keeps its mailbox
      // open until it is done).
      if (!shared) for (const mailbox of opened) mailbox.close();
    }
  }
}
