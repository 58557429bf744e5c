/**
 * A pool of worker threads (piscina) that extracts documents. Each task gets a hard time limit: when it
 * runs out, piscina terminates the thread the task is on, which is the only way to stop pdf.js once
 * it blocks its thread. A thread that runs out of memory dies alone. Either way the document gets an
 * error record and the pool carries on with a fresh thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ExtractOptions, ExtractResult } from '../extract/index.js';
import { DEFAULT_TIMEOUT_MS } from '../extract/pdf.js';
import { fixYoungGeneration } from './heap.js';
import type { ErrorInfo } from '../extract/index.js';
import type { WorkerItem, WorkerTask } from './worker.js';

export interface PoolOptions {
  /** Worker threads; default: the machine's cores. */
  threads?: number;
  /** Heap limit of one worker thread, in MiB (default 1024). */
  workerMemoryMb?: number;
  /**
   * Resident memory of the whole process, in MiB, past which the documents in flight are stopped and
   * read again one at a time; the one that still goes over gets `OUT_OF_MEMORY`. Default 896, so that a
   * batch stays under 1 GiB. A heap limit alone misses pdf.js's typed arrays, which live outside the
   * heap: a decompression bomb grows by tens of MiB a second there.
   */
  maxRssMb?: number;
  /**
   * Keep V8's young generation at its starting size instead of letting it grow to its limit. V8 flags
   * belong to the whole process, so this also holds for the calling thread: the CLI, which owns its
   * process, turns it on (about 45 MiB less at the same speed in the bench); the library leaves it off.
   */
  fixedYoungGeneration?: boolean;
}

/** What a pool thread is told when it starts (piscina's `workerData`). */
export interface ThreadSettings {
  fixedYoungGeneration: boolean;
}

const DEFAULT_MAX_RSS_MB = 896;
/** How often resident memory is looked at. */
const WATCH_EVERY_MS = 50;
/** After a stopped thread is gone, how long its memory is given to go back before another is stopped. */
const SETTLE_MS = 250;
/** How long a stopped task may take to go before the watchdog looks again anyway. */
const STOP_WAIT_MS = 3_000;
/** Still over budget after a stop: another is stopped only once memory has grown this much past what was left. */
const GROWTH_BYTES = 48 * 1024 * 1024;

/** Extra time a task gets over `timeoutMs` before its thread is killed: the document's own deadline should fire first. */
const KILL_GRACE_MS = 2_000;

function workerFile(): string {
  const url = new URL('./worker.js', import.meta.url);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`the worker bundle ${path} is missing: build the package (npm run build), or scan with concurrency 0`);
  }
  return path;
}

/** A counting semaphore: at most `size` tasks on the pool, so a task's clock starts when its thread does. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly size: number) {
    this.free = size;
  }
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** Copies bytes into an ArrayBuffer of their own, so it can be moved to a thread without detaching a shared pool. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : new Uint8Array(bytes);
}

/**
 * The pool a scan asks for: `concurrency` 0 means none (documents are read on the calling thread);
 * otherwise that many threads, default one per core.
 */
export function poolFor(
  options: { concurrency?: number | undefined; workerMemoryMb?: number | undefined; maxRssMb?: number | undefined; fixedYoungGeneration?: boolean | undefined },
): ExtractPool | undefined {
  const { concurrency, workerMemoryMb, maxRssMb, fixedYoungGeneration } = options;
  if (concurrency === 0) {
    if (fixedYoungGeneration) fixYoungGeneration();
    return undefined;
  }
  return new ExtractPool({
    ...(concurrency ? { threads: concurrency } : {}),
    ...(workerMemoryMb ? { workerMemoryMb } : {}),
    ...(maxRssMb ? { maxRssMb } : {}),
    ...(fixedYoungGeneration ? { fixedYoungGeneration } : {}),
  });
}

export class ExtractPool {
  readonly threads: number;
  private readonly pool: Piscina<WorkerTask, ExtractResult[]>;
  private readonly slots: Slots;
  /** The stop handles of the tasks on the threads now. */
  private readonly running = new Set<AbortController>();
  private readonly watchdog: NodeJS.Timeout;
  /** The tasks last stopped for memory, and when: nothing else is stopped until they are gone and their memory had time to go back. */
  private stopped: { tasks: Set<AbortController>; at: number; goneAt?: number; floor?: number } | undefined;
  /** Quarantined documents run one after another: each takes every slot. */
  private quarantined: Promise<unknown> = Promise.resolve();

  constructor(options: PoolOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new TypeError('threads must be a whole number ≥ 1');
    this.slots = new Slots(this.threads);
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.workerMemoryMb ?? 1024, maxYoungGenerationSizeMb: 16 },
      workerData: { fixedYoungGeneration: options.fixedYoungGeneration ?? false } satisfies ThreadSettings,
    });
    const maxRss = (options.maxRssMb ?? DEFAULT_MAX_RSS_MB) * 1024 * 1024;
    this.watchdog = setInterval(() => this.watch(maxRss), WATCH_EVERY_MS);
    this.watchdog.unref();
  }

  /**
   * Over the memory budget: stop every document in flight. The watchdog cannot see which thread holds
   * the memory, so their documents are read again one at a time with the pool to themselves (see
   * `quarantine`), where a document that still goes over is the one to blame. Memory a stopped thread
   * held does not always go back to the system: what is left once it is gone becomes a floor, and until
   * memory falls well below the budget again, only growth past that floor counts. Otherwise every
   * document read next would be stopped for memory that no document holds.
   */
  private watch(maxRss: number): void {
    if (this.running.size === 0) return;
    const now = Date.now();
    const rss = process.memoryUsage.rss();
    const last = this.stopped;
    if (last && last.floor === undefined) {
      if ([...last.tasks].some((t) => this.running.has(t)) && now - last.at < STOP_WAIT_MS) return;
      last.goneAt ??= now;
      if (now - last.goneAt < SETTLE_MS) return;
      last.floor = rss;
    }
    if (rss < maxRss - GROWTH_BYTES) this.stopped = undefined;
    if (rss <= Math.max(maxRss, (this.stopped?.floor ?? 0) + GROWTH_BYTES)) return;
    const tasks = new Set(this.running);
    for (const task of tasks) task.abort(new MemoryBudgetError());
    this.stopped = { tasks, at: now };
  }

  /**
   * Extracts a batch of documents on one thread (small messages cost more to send than to read, so
   * they travel together). Never rejects. When the thread dies or runs out of time on a batch, every
   * document of it is run again alone, so only the culprit ends with the error.
   */
  async extractBatch(items: Array<{ bytes: Uint8Array; options: ExtractOptions }>): Promise<ExtractResult[]> {
    // A batch's bytes are copied to its thread, so they are still here for another try.
    const outcome = await this.runTask(items, items.length > 1 ? 'copy' : 'move');
    if (!('error' in outcome)) return outcome.results;
    if (items.length === 1) return [failure(outcome.error)];
    const results: ExtractResult[] = [];
    for (const item of items) {
      const alone = outcome.overBudget ? await this.quarantine(item) : await this.runTask([item], 'move');
      results.push('error' in alone ? failure(alone.error) : alone.results[0]!);
    }
    return results;
  }

  /**
   * A document stopped for the memory budget, read again with the pool to itself, so the memory is its
   * own. Stopped again, it gets one last try: memory that a stopped thread held can stay with the
   * process for a while after it is gone, and it is the document that still goes over then that is to blame.
   */
  private quarantine(item: { bytes: Uint8Array; options: ExtractOptions }): ReturnType<ExtractPool['runTask']> {
    const turn = this.quarantined.then(async () => {
      for (let i = 1; i < this.slots.size; i++) await this.slots.take();
      try {
        const first = await this.runTask([item], 'copy');
        return 'error' in first && first.overBudget ? await this.runTask([item], 'move') : first;
      } finally {
        for (let i = 1; i < this.slots.size; i++) this.slots.give();
      }
    });
    this.quarantined = turn.catch(() => undefined);
    return turn;
  }

  private async runTask(
    items: Array<{ bytes: Uint8Array; options: ExtractOptions }>,
    bytes: 'copy' | 'move',
  ): Promise<{ results: ExtractResult[] } | { error: ErrorInfo; overBudget: boolean }> {
    await this.slots.take();
    // Each document has its own deadline inside the thread; the thread as a whole gets the longest one.
    const limit = Math.max(...items.map((i) => i.options.timeoutMs ?? DEFAULT_TIMEOUT_MS)) + KILL_GRACE_MS;
    const name = items.length === 1 ? (items[0]!.options.filename ?? '<input>') : `a batch of ${items.length} documents`;
    // Moved bytes are not copied, but are gone from here once the task starts.
    const move = bytes === 'move' && items.length === 1;
    const task: WorkerItem[] = items.map((i) => ({ bytes: move ? own(i.bytes) : i.bytes, options: i.options }));
    const stop = new AbortController();
    this.running.add(stop);
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(limit), stop.signal]);
      const results = await this.pool.run({ items: task }, { signal, ...(move ? { transferList: [task[0]!.bytes.buffer as ArrayBuffer] } : {}) });
      return { results };
    } catch (error) {
      const reason: unknown = stop.signal.aborted ? stop.signal.reason : error;
      return { error: errorInfo(reason, name, limit), overBudget: reason instanceof MemoryBudgetError };
    } finally {
      this.running.delete(stop);
      this.slots.give();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await this.pool.destroy();
  }
}

class MemoryBudgetError extends Error {
  override name = 'MemoryBudgetError';
}

function errorInfo(error: unknown, name: string, limit: number): ErrorInfo {
  if (error instanceof MemoryBudgetError) {
    return { code: 'OUT_OF_MEMORY', message: `${name}: the process went over its memory budget (maxRssMb) while reading it; the thread was terminated` };
  }
  const err = error as { name?: string; code?: string; message?: string };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') {
    return { code: 'TIMEOUT', message: `${name}: stopped after ${limit} ms; the thread reading it was terminated` };
  }
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { code: 'OUT_OF_MEMORY', message: `${name}: reading it took more memory than one worker may use; the thread was terminated` };
  }
  return { code: 'WORKER_FAILED', message: `${name}: the thread reading it failed (${err?.message ?? String(error)})` };
}

function failure(error: ErrorInfo): ExtractResult {
  return { kind: 'unknown', accounts: [], contractNumbers: [], warnings: [], error };
}
