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
   * Resident memory of the whole process, in MiB, past which the longest-running document is stopped
   * (`OUT_OF_MEMORY`); default 896, so that a batch stays under 1 GiB. A heap limit alone misses pdf.js's typed arrays, which live outside
   * the heap: a decompression bomb grows by tens of MiB a second there.
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
/** How often resident memory is looked at, and how long it is left alone after a thread was stopped. */
const WATCH_EVERY_MS = 100;
const SETTLE_MS = 3_000;

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
  constructor(size: number) {
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
  private readonly running = new Set<{ started: number; stop: AbortController }>();
  private readonly watchdog: NodeJS.Timeout;
  private quietUntil = 0;

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

  /** Over the memory budget: stop the document that has run longest (a bomb grows while it runs). */
  private watch(maxRss: number): void {
    const now = Date.now();
    if (now < this.quietUntil || this.running.size === 0 || process.memoryUsage.rss() <= maxRss) return;
    let oldest: { started: number; stop: AbortController } | undefined;
    for (const task of this.running) if (!oldest || task.started < oldest.started) oldest = task;
    oldest?.stop.abort(new MemoryBudgetError());
    this.quietUntil = now + SETTLE_MS;
  }

  /**
   * Extracts a batch of documents on one thread (small messages cost more to send than to read, so
   * they travel together). Never rejects. When the thread dies or runs out of time on a batch, every
   * document of it is run again alone, so only the culprit ends with the error.
   */
  async extractBatch(items: Array<{ bytes: Uint8Array; options: ExtractOptions }>): Promise<ExtractResult[]> {
    const outcome = await this.runTask(items);
    if (!('error' in outcome)) return outcome.results;
    if (items.length === 1) return [failure(outcome.error)];
    const results: ExtractResult[] = [];
    for (const item of items) {
      const alone = await this.runTask([item]);
      results.push('error' in alone ? failure(alone.error) : alone.results[0]!);
    }
    return results;
  }

  private async runTask(items: Array<{ bytes: Uint8Array; options: ExtractOptions }>): Promise<{ results: ExtractResult[] } | { error: ErrorInfo }> {
    await this.slots.take();
    // Each document has its own deadline inside the thread; the thread as a whole gets the longest one.
    const limit = Math.max(...items.map((i) => i.options.timeoutMs ?? DEFAULT_TIMEOUT_MS)) + KILL_GRACE_MS;
    const name = items.length === 1 ? (items[0]!.options.filename ?? '<input>') : `a batch of ${items.length} documents`;
    // A lone document's bytes are moved to the thread; a batch's are copied, since they may be needed again.
    const alone = items.length === 1;
    const task: WorkerItem[] = items.map((i) => ({ bytes: alone ? own(i.bytes) : i.bytes, options: i.options }));
    const entry = { started: Date.now(), stop: new AbortController() };
    this.running.add(entry);
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(limit), entry.stop.signal]);
      const results = await this.pool.run({ items: task }, { signal, ...(alone ? { transferList: [task[0]!.bytes.buffer as ArrayBuffer] } : {}) });
      return { results };
    } catch (error) {
      return { error: errorInfo(entry.stop.signal.aborted ? entry.stop.signal.reason : error, name, limit) };
    } finally {
      this.running.delete(entry);
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
