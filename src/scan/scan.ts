/**
 * `scan()`: the documents under some paths, one record each (one per message of a mailbox), in a
 * stable order whatever the concurrency, each yielded as soon as it and everything before it is ready.
 * With a pool (the default), the calling thread only walks the folders and finds where each message of
 * a mailbox lies; the pool's threads read, split and extract the documents themselves, and the calling
 * thread merges their records in order. With `concurrency: 0` everything runs on the calling thread.
 */

import { availableParallelism } from 'node:os';
import type { DocumentKind, ExtractResult } from '../extract/index.js';
import { lazily } from '../lazy.js';
import { settle } from '../options.js';
import { untilAborted } from './abort.js';
import { batches, readBatch, type ThreadReader } from './batch.js';
import type { OpenMailbox } from './mailbox.js';
import { type ExtractPool, poolFor } from './pool.js';
import { redactRecord } from './redact.js';
import { checkScanOptions, checkStateFolder } from './select.js';
import type { StateNotice } from './state/plan.js';
import { StoredRun } from './state/run.js';
import { ScanState } from './state/state.js';
import type { ScanOptions, ScanProgress, ScanRecord, Unit } from './types.js';
import { units } from './units.js';
import { noticeWaiting } from './waiting.js';

export { redactRecord } from './redact.js';
export { matcher, shardOf } from './select.js';
export { sniff } from './sniff.js';
export type { StateNotice, StateStats } from './state/plan.js';
export { StoredRun, type Tally } from './state/run.js';
export { type ScanOptions, type ScanProgress, type ScanRecord, STORED_LINE } from './types.js';

/** Without `onState`, an old state that is not used is a process warning; what was taken from it is not said. */
function defaultNotice(notice: StateNotice): void {
  if (notice.kind === 'ignored') process.emitWarning(notice.message, 'ScanStateWarning');
}

/**
 * The scan's pool, whose threads start when the first document is to be read (a scan whose records
 * all come from its state starts none); `threads` 0: everything on the calling thread. With a state
 * and no thread count asked for, the pool gets as many threads as what there is to read is worth.
 */
function lazyPool(shared: ExtractPool | undefined, settings: Parameters<typeof poolFor>[0], state?: ScanState) {
  const { concurrency } = settings;
  let pool = shared ?? (concurrency === 0 ? poolFor(settings) : undefined);
  const threads = concurrency === 0 && !shared ? 0 : (shared?.threads ?? concurrency ?? availableParallelism());
  const sized = state && !shared && concurrency === undefined;
  return {
    threads,
    current: () => pool,
    now: () => {
      if (threads > 0 && !pool)
        pool = poolFor(sized ? { ...settings, concurrency: state.threadsFor(threads) } : settings);
      return pool;
    },
  };
}

/**
 * Reading on the calling thread: the extract stage is loaded with the first document to read (a scan
 * whose records all come from its state never loads it), with one cache of readings for the scan (a
 * pool's threads keep one each).
 */
function threadReader(): () => Promise<ThreadReader> {
  return lazily(async () => {
    const { extractSettled, nodeRuntime, readCache } = await import('../extract/node.js');
    const runtime = nodeRuntime(undefined, readCache());
    return (bytes, options) => extractSettled(bytes, options, runtime);
  });
}

/** How a unit and its extraction make the scan's record (redacted when asked). */
function recordMaker(redact: boolean, extractOptions: ReturnType<typeof settle>) {
  return (unit: Unit, result: ExtractResult, kind?: DocumentKind): ScanRecord => {
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
}

/** Adds a record, or a run of them from the state, to the scan's progress. */
function counted(progress: ScanProgress, item: ScanRecord | StoredRun): void {
  if (item instanceof StoredRun) {
    progress.documents += item.count;
    // A file's messages, accounts and errors from the state are counted with its last run.
    progress.messages += item.tally?.messages ?? 0;
    progress.accounts += item.tally?.accounts ?? 0;
    for (const n of Object.values(item.tally?.errors ?? {})) progress.errors += n;
  } else {
    progress.documents++;
    if (item.index !== undefined) progress.messages++;
    progress.accounts += item.accounts.length;
    if (item.error) progress.errors++;
  }
}

/** The documents under `paths`, one record each (one per message of a mailbox), in a stable order. */
export async function* scan(paths: readonly string[], options: ScanOptions = {}): AsyncGenerator<ScanRecord> {
  for await (const item of scanRuns(paths, options)) {
    if (item instanceof StoredRun) yield* item.records();
    else yield item;
  }
}

/**
 * `scan()` as its records come: each read record, and each run of records taken from the scan's
 * state as the lines they were written as (`StoredRun`), which a caller that writes NDJSON (the CLI)
 * writes out without parsing them. The same records in the same order as `scan()`.
 */
export async function* scanRuns(
  paths: readonly string[],
  options: ScanOptions = {},
): AsyncGenerator<ScanRecord | StoredRun> {
  checkScanOptions(options);
  if (options.state) checkStateFolder(options.state, paths);
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
    state: stateDir,
    onState,
    ...rest
  } = options;
  const extractOptions = settle(rest);
  const notice = onState ?? defaultNotice;
  const state = stateDir ? await ScanState.open(stateDir, extractOptions, options, notice) : undefined;
  const pools = lazyPool(shared, { concurrency, workerMemoryMb, maxRssMb, fixedYoungGeneration }, state);
  if (state) state.onRead = () => void pools.now();
  const progress: ScanProgress = { documents: 0, messages: 0, accounts: 0, errors: 0, bytes: 0 };

  const recordOf = recordMaker(redact === true, extractOptions);

  const reader = pools.threads === 0 ? threadReader() : undefined;
  const batchContext = { options: extractOptions, pool: pools.now, progress, recordOf, reader };
  // With a state, each record is tagged with the file it belongs to.
  const read = (batch: Unit[]) =>
    state
      ? readBatch(batch, batchContext).then((records) => state.tag(batch, records))
      : readBatch(batch, batchContext);

  // A window of batches in flight: read ahead of the pool, yielded strictly in input order.
  const window: Array<Promise<Array<ScanRecord | StoredRun>>> = [];
  const size = Math.max(2, Math.max(pools.threads, 1) * 3);
  const emit = <T extends ScanRecord | StoredRun>(item: T): T => {
    signal?.throwIfAborted();
    counted(progress, item);
    onProgress?.({ ...progress });
    return item;
  };
  async function* inOrder(items: Array<ScanRecord | StoredRun>): AsyncGenerator<ScanRecord | StoredRun> {
    for (const item of items) {
      await state?.add(item);
      yield emit(item);
      // The caller asks for what comes next: it is done with a run, whose buffer may be read into again.
      if (item instanceof StoredRun) item.release();
    }
  }
  // The next batch in order; a long wait for it says which document holds it back (issue 27).
  const next = () => untilAborted(noticeWaiting(window.shift()!, pools.current(), onWaiting), signal);
  const opened = new Set<OpenMailbox>();
  const source = batches(units(paths, options, extractOptions.maxBytes, pools.threads > 0, opened, state))[
    Symbol.asyncIterator
  ]();
  let finished = false;
  try {
    for (;;) {
      const step = await untilAborted(source.next(), signal);
      if (step.done) break;
      // A run from the state with nothing in flight before it goes out at once (its buffer is then free for the next).
      if (window.length === 0 && step.value[0]?.stored) {
        yield* inOrder(await read(step.value));
        continue;
      }
      window.push(read(step.value));
      if (window.length >= size) yield* inOrder(await next());
    }
    while (window.length > 0) yield* inOrder(await next());
    finished = true;
    if (state) {
      const stats = await state.commit();
      notice({ kind: 'done', stats, message: ScanState.summary(stats) });
    }
  } finally {
    if (!finished) await state?.abandon();
    if (finished) {
      if (!shared) await pools.current()?.close();
    } else {
      // Aborted, or the caller stopped early: end the threads first, so nothing in flight is waited for.
      if (!shared) await pools.current()?.close();
      for (const batch of window) batch.catch(() => undefined);
      source.return(undefined).catch(() => undefined);
      // Nothing reads any more (with a shared pool, a message still being read keeps its mailbox
      // open until it is done).
      if (!shared) for (const mailbox of opened) mailbox.close();
    }
  }
}
