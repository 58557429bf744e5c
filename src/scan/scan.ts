/**
 * `scan()`: the documents under some paths, one record each (one per message of a mailbox), in a
 * stable order whatever the concurrency, each yielded as soon as it and everything before it is ready.
 * With a pool (the default), the calling thread only walks the folders and finds where each message of
 * a mailbox lies; the pool's threads read, split and extract the documents themselves, and the calling
 * thread merges their records in order. With `concurrency: 0` everything runs on the calling thread.
 */

import { type DocumentKind, type ExtractResult, nodeRuntime, readCache } from '../extract/index.js';
import { settle } from '../options.js';
import { untilAborted } from './abort.js';
import { batches, readBatch } from './batch.js';
import type { OpenMailbox } from './mailbox.js';
import { poolFor } from './pool.js';
import { redactRecord } from './redact.js';
import { checkScanOptions } from './select.js';
import type { ScanOptions, ScanProgress, ScanRecord, Unit } from './types.js';
import { units } from './units.js';
import { noticeWaiting } from './waiting.js';

export { redactRecord } from './redact.js';
export { matcher, shardOf } from './select.js';
export { sniff } from './sniff.js';
export type { ScanOptions, ScanProgress, ScanRecord } from './types.js';

/** The documents under `paths`, one record each (one per message of a mailbox), in a stable order. */
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
    ...rest
  } = options;
  const extractOptions = settle(rest);
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

  // Read on this thread: one cache of readings for the scan (a pool's threads keep one each).
  const runtime = pool ? undefined : nodeRuntime(undefined, readCache());
  const batchContext = { options: extractOptions, pool, progress, recordOf, runtime };

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
  // The next batch in order; a long wait for it says which document holds it back (issue 27).
  const next = () => untilAborted(noticeWaiting(window.shift()!, pool, onWaiting), signal);
  const opened = new Set<OpenMailbox>();
  const source = batches(units(paths, options, extractOptions.maxBytes, pool !== undefined, opened))[
    Symbol.asyncIterator
  ]();
  let finished = false;
  try {
    for (;;) {
      const step = await untilAborted(source.next(), signal);
      if (step.done) break;
      window.push(readBatch(step.value, batchContext));
      if (window.length >= size) for (const record of await next()) yield emit(record);
    }
    while (window.length > 0) {
      for (const record of await next()) yield emit(record);
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
