/**
 * Documents in batches: small ones travel to the pool's threads together, and a batch's records come
 * back in the order of its units.
 */
import type { DocumentKind, ExtractResult } from '../extract/index.js';
import { failed } from '../extract/result.js';
import type { Settled } from '../options.js';
import { fdBudget } from './fdlimit.js';
import type { ExtractPool, PoolItem } from './pool.js';
import { BATCH_DOCUMENTS } from './protocol.js';
import { detection } from './sniff.js';
import type { StoredRun } from './state/run.js';
import type { ScanProgress, ScanRecord, Unit } from './types.js';

/** Small documents travel to the threads together: up to BATCH_DOCUMENTS, or this many bytes, per task. */
const BATCH_BYTES = 512 * 1024;

export async function* batches(source: AsyncIterable<Unit>): AsyncGenerator<Unit[]> {
  let batch: Unit[] = [];
  let bytes = 0;
  // Mailboxes the batch holds open: a batch being gathered lets go of none, so it holds at most a
  // share of the descriptor budget, or the next open would wait for it for ever.
  const mailboxes = new Set<object>();
  for await (const unit of source) {
    // A run of records from the scan's state needs no thread: it goes on alone, as it came.
    if (unit.stored) {
      if (batch.length > 0) yield batch;
      yield [unit];
      batch = [];
      bytes = 0;
      mailboxes.clear();
      continue;
    }
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

/** One document's bytes to its result, on the calling thread. */
export type ThreadReader = (bytes: Uint8Array, options: Settled) => Promise<ExtractResult>;

/** What the batches of one scan are read with. */
export interface BatchContext {
  /** The scan's extract options, settled; each document adds its name and, when known, its kind. */
  options: Settled;
  /** The scan's pool, started on first use (undefined: read on the calling thread). */
  pool: () => ExtractPool | undefined;
  progress: ScanProgress;
  /** The record of a unit, made from its result (`kind`: what was known of it before it was read). */
  recordOf: (unit: Unit, result: ExtractResult, kind?: DocumentKind) => ScanRecord;
  /** Without a pool: how a document is read on this thread (the extract stage, loaded on first use). */
  reader?: (() => Promise<ThreadReader>) | undefined;
}

/**
 * Extracts a batch of units, one record each (a run of them for a unit from the scan's state); units
 * that could not even be read carry their error already.
 */
export async function readBatch(batch: Unit[], context: BatchContext): Promise<Array<ScanRecord | StoredRun>> {
  const { progress, recordOf } = context;
  const readable = batch.filter((u) => (u.bytes || u.file) && !u.error);
  // Taken before the bytes move to a thread (a lone document's buffer is transferred, not copied).
  // A kind known here is handed on, so the thread does not detect it a second time; a file's thread
  // detects it from all its bytes, as `extract` does.
  const sizes = readable.map((u) => u.bytes?.length ?? u.file!.size);
  const detect = readable.some((u) => !u.kind && u.bytes) ? (await detection()).detectKind : undefined;
  const kinds = readable.map((u) => u.kind ?? (u.bytes && detect ? detect(u.bytes, u.filename) : undefined));
  const options = readable.map((u, i) => ({
    ...context.options,
    filename: u.filename,
    ...(kinds[i] ? { kind: kinds[i] } : {}),
  }));
  const items = readable.map(
    (u, i): PoolItem => (u.bytes ? { bytes: u.bytes, options: options[i]! } : { file: u.file!, options: options[i]! }),
  );
  let results: ExtractResult[];
  const pool = items.length > 0 ? context.pool() : undefined;
  try {
    results =
      items.length === 0 // a batch all from the scan's state: no thread is needed
        ? []
        : pool
          ? await pool.extractBatch(items)
          : await readHere(readable, options, context);
  } finally {
    for (const unit of batch) unit.release?.();
  }
  let next = 0;
  return batch.map((unit) => {
    if (unit.stored) return unit.stored; // from the scan's state, as they were yielded then
    if (!(unit.bytes || unit.file) || unit.error) {
      return recordOf(unit, failed('unknown', unit.error!));
    }
    const i = next++;
    progress.bytes += sizes[i]!;
    return recordOf(unit, results[i]!, kinds[i] ?? unit.guess);
  });
}

/** A batch read on the calling thread (a scan without a pool). */
async function readHere(readable: Unit[], options: Settled[], context: BatchContext): Promise<ExtractResult[]> {
  if (!context.reader) throw new Error('a scan without a pool needs a reader');
  const read = await context.reader();
  return Promise.all(readable.map((u, i) => read(u.bytes!, options[i]!)));
}
