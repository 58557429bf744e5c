/** What `scan()` is given and yields, and the unit of work between its stages. */
import type { DocumentKind, ErrorInfo, ExtractOptions, ExtractResult, Warning } from '../extract/index.js';
import type { MboxRange } from '../mailbox/mbox.js';
import type { ExtractPool } from './pool.js';
import type { FileSpan } from './span.js';
import type { Plan, StateNotice } from './state/plan.js';
import type { StoredRun } from './state/run.js';
import type { OnWaiting } from './waiting.js';

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
  /** See `PoolOptions.fixedYoungGeneration`: less memory, but it changes V8 flags for the whole process (default off). */
  fixedYoungGeneration?: boolean;
  /** Only files whose path (or, for patterns without `/`, name) matches one of these globs. */
  include?: readonly string[];
  /** Never files whose path or name matches one of these globs. */
  exclude?: readonly string[];
  /** This machine's share `[i, n]` (0 ≤ i < n): a deterministic split by path and message index. */
  shard?: readonly [number, number];
  /** Documents to skip, e.g. those an interrupted run already wrote (`--resume`); `encoding` as in the record. */
  skip?: (source: string, index: number | undefined, encoding?: 'bytes') => boolean;
  /** Called after every record (after each run of records taken from the state, with its file's counts on its last run). */
  onProgress?: (progress: ScanProgress) => void;
  /** Called every 5 s while the next record in order waits on a document still being read (its name, ms so far). */
  onWaiting?: OnWaiting;
  /** Read only this byte range of an mbox, numbering its messages from `firstIndex` (a queue job's share). */
  range?: MboxRange;
  /** A pool to share between many scans (a queue worker runs one scan per job); it is not closed. */
  pool?: ExtractPool;
  /**
   * A folder where the scan keeps each file's records and identity: the next scan with the same state
   * and options reads only what is new or changed (a mailbox that grew, from where it ended); its
   * records are the same as a full scan's. Not with `skip` or `range`.
   */
  state?: string;
  /** What the state says: why an old one was not used, and (at the end) what came from it. Default: a process warning for the first. */
  onState?: (notice: StateNotice) => void;
}

/**
 * A record taken from a scan's state carries, under this key (not enumerable, so never in its JSON),
 * the line it was stored as: `JSON.stringify` of the record, which the CLI writes without making again.
 */
export const STORED_LINE: unique symbol = Symbol('rostelecom-account.storedLine');

/** One line of the CLI's NDJSON output; `scan()` yields the same objects. */
export interface ScanRecord extends ExtractResult {
  /** The file, as named on the command line or found under a named folder; `-` for standard input. */
  source: string;
  /** `bytes`: the file's name is not UTF-8 and `source` is its escaped form (`\xHH` per such byte, `\\` per backslash). */
  sourceEncoding?: 'bytes';
  /** For a message of a mailbox: its 0-based position in the mailbox. */
  index?: number;
}

/** One document to read, as the walk found it; `error` when it could not even be read. */
export interface Unit {
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
  warning?: Warning;
  /** Records already made, taken from the scan's state: a run of one file's record lines, which needs no thread. */
  stored?: StoredRun;
  /** The file it belongs to, for the scan's state. */
  plan?: Plan;
}
