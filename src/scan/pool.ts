import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { ExtractOptions, ExtractResult } from '../extract/index.js';
import { failed } from '../extract/result.js';
import { TesseractEngine } from '../ocr/engine.js';
import { DEFAULT_TIMEOUT_MS } from '../options.js';
import { following, MemoryBudget } from './budget.js';
import { messageChannel, piscina } from './deps.js';
import { fixYoungGeneration, startYoungGenerationOfNewThreads } from './heap.js';
import type { PoolMessage, ThreadMessage, ThreadSettings, WorkerItem, WorkerTask } from './protocol.js';
import type { FileSpan } from './span.js';
import {
  type Died,
  type Doc,
  errorInfo,
  inFlight,
  lastHeard,
  own,
  type Running,
  Slots,
  type StopReason,
  type TaskEnd,
  workerFile,
} from './tasks.js';

export interface PoolOptions {
  /**
   * Worker threads at most; default: the machine's cores. They start as work comes: one with the
   * pool, another whenever a task finds every started thread busy.
   */
  threads?: number;
  /** Heap limit of one worker thread, in MiB (default 1024). */
  workerMemoryMb?: number;
  /**
   * Resident memory of the whole process, in MiB, past which the documents in flight are stopped and
   * read again one at a time; the one that still goes over gets `OUT_OF_MEMORY`. Default 768, so that a
   * batch stays under 1 GiB. A heap limit alone misses pdf.js's typed arrays, which live outside the
   * heap: a decompression bomb grows by tens of MiB a second there.
   */
  maxRssMb?: number;
  /**
   * Keep V8's young generation at a fixed size instead of letting it grow to its limit: the calling
   * thread's at its starting size, the pool threads' at 2 MiB semi-spaces (`POOL_SEMI_SPACE_MB`), each
   * collected on its own thread (`--no-parallel-scavenge`). V8 flags belong to the whole process: the
   * CLI, which owns its process, turns it on (about 45 MiB less than V8's growth at the same speed in
   * the bench); the library leaves it off.
   */
  fixedYoungGeneration?: boolean;
}

const DEFAULT_MAX_RSS_MB = 768;
/** A lone document larger than this goes to its thread moved, not copied (it cannot be read again). */
const MOVE_ABOVE_BYTES = 64 * 1024 * 1024;
/** How often resident memory and the documents' deadlines are looked at. */
const WATCH_EVERY_MS = 50;
/** Extra time a document gets over `timeoutMs` before its thread is terminated: its own deadline should fire first. */
export const KILL_GRACE_MS = 2_000;
/** How long closing waits for the threads to go. */
const CLOSE_WAIT_MS = 2_000;

/**
 * The pool a scan asks for: `concurrency` 0 means none (documents are read on the calling thread);
 * otherwise up to that many threads, default one per core, started as work comes.
 */
export function poolFor(options: {
  concurrency?: number | undefined;
  workerMemoryMb?: number | undefined;
  maxRssMb?: number | undefined;
  fixedYoungGeneration?: boolean | undefined;
}): ExtractPool | undefined {
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

/** A document for the pool: its bytes, or where its thread reads them (see `FileSpan`). */
export type PoolItem = { bytes: Uint8Array; options: ExtractOptions } | { file: FileSpan; options: ExtractOptions };

export class ExtractPool {
  /** Threads at most (`PoolOptions.threads`). */
  readonly threads: number;
  private readonly pool: Piscina<WorkerTask, ExtractResult[]>;
  private readonly slots: Slots;
  /** The tasks on the threads now. */
  private readonly running = new Set<Running>();
  private readonly watchdog: NodeJS.Timeout;
  /** The memory budget: when to stop what runs, and the floor the last stop left. */
  private readonly budget: MemoryBudget<Running>;
  /** Quarantined documents run one after another: each takes every slot. */
  private quarantined: Promise<unknown> = Promise.resolve();
  /** The one set of tesseract workers the pool's threads share (they ask for OCR on their task's port). */
  private readonly ocr = new TesseractEngine(10_000);
  private closed = false;
  /** Set while documents may not start: from a stop for memory until its floor is measured. */
  private paused: { until: Promise<void>; resume: () => void } | undefined;

  constructor(options: PoolOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new TypeError('threads must be a whole number ≥ 1');
    this.slots = new Slots(this.threads);
    const Pool = piscina(); // loaded with the first pool (see deps.ts)
    if (options.fixedYoungGeneration) startYoungGenerationOfNewThreads();
    this.pool = new Pool({
      filename: workerFile(),
      // Threads start as work comes: one with the pool, another whenever a task finds every started
      // thread busy. A scan of a few documents on a machine of many cores starts one (each thread
      // loads and warms up its own copy of the readers: about 0.2 CPU-s and 15 MiB, more with pdf.js).
      minThreads: 1,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.workerMemoryMb ?? 1024, maxYoungGenerationSizeMb: 16 },
      workerData: { fixedYoungGeneration: options.fixedYoungGeneration ?? false } satisfies ThreadSettings,
    });
    this.budget = new MemoryBudget((options.maxRssMb ?? DEFAULT_MAX_RSS_MB) * 1024 * 1024);
    this.watchdog = setInterval(() => {
      this.overdue();
      this.watch();
    }, WATCH_EVERY_MS);
    this.watchdog.unref();
  }

  /**
   * The supervisor: a document read for longer than its time limit plus a grace, whatever it waits on
   * (pdf.js, OCR, a message that never came), stops its thread and gets `TIMEOUT`; a thread silent for
   * that long with no document started is stopped too, and its documents are read again.
   */
  private overdue(): void {
    const now = Date.now();
    for (const task of this.running) {
      const reading = inFlight(task);
      const culprits = [...reading].filter(
        ([i, at]) => now - at + task.docs[i]!.spent > task.docs[i]!.limit + KILL_GRACE_MS,
      );
      if (culprits.length > 0) task.stop({ kind: 'deadline', culprits: culprits.map(([i]) => task.docs[i]!) });
      else if (reading.size === 0 && now - lastHeard(task) > task.longest + KILL_GRACE_MS)
        task.stop({ kind: 'silent' });
    }
  }

  /**
   * Over the memory budget: stop every document in flight. The watchdog cannot see which thread holds
   * the memory, so their documents are read again one at a time with the pool to themselves (see
   * `quarantine`), where a document that still goes over is the one to blame. Memory a stopped thread
   * held does not always go back to the system: what is left once it is gone becomes a floor, and until
   * memory falls well below the budget again, only growth past that floor counts. Otherwise every
   * document read next would be stopped for memory that no document holds.
   */
  private watch(): void {
    if (this.running.size === 0 && !this.budget.measuring) return;
    const now = Date.now();
    // Reading the size opens /proc/self/stat: at the descriptor limit, it is looked at next time.
    let rss: number;
    try {
      rss = process.memoryUsage.rss();
    } catch {
      return;
    }
    const look = this.budget.look(rss, now, this.running);
    if (look.resume) this.resume();
    if (!look.stop) return;
    const tasks = new Set(this.running);
    const threads = this.pool.threads;
    for (const task of tasks) task.stop({ kind: 'memory' });
    // Every task is stopped, so no OCR call is waited for: the tesseract workers go too (their memory
    // would stay in the floor) and start again on the next page that needs them.
    this.budget.stopped(tasks, following(threads, this.pool.threads, this.ocr.close()), now);
    // No document starts until the stopped threads are gone and the floor is measured: a document
    // started meanwhile would grow into the floor and raise it, as far as it liked.
    if (!this.paused) {
      let resume: () => void = () => undefined;
      const until = new Promise<void>((resolve) => {
        resume = resolve;
      });
      this.paused = { until, resume };
      // The documents waiting now wait on this timer alone: it must keep the process alive.
      this.watchdog.ref();
    }
  }

  /** Lets documents start again after a stop for memory. */
  private resume(): void {
    const paused = this.paused;
    this.paused = undefined;
    this.watchdog.unref();
    paused?.resume();
  }

  /**
   * Extracts a batch of documents on one thread (small messages cost more to send than to read, so
   * they travel together). Never rejects. When a thread is stopped or dies, the documents of its task
   * that are not to blame are read again, each alone, with what is left of their time, so only the
   * culprit ends with the error.
   */
  async extractBatch(items: PoolItem[]): Promise<ExtractResult[]> {
    const docs: Doc[] = items.map((i) => ({
      ...('bytes' in i ? { bytes: i.bytes } : { file: i.file }),
      options: i.options,
      name: i.options.filename ?? '<input>',
      limit: i.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      spent: 0,
    }));
    // Bytes are copied to the thread, so they are still here for another try: a stop for memory stops
    // every document in flight, and a lone one is as likely to be innocent as a batch's. Only a document
    // too large to hold twice is moved; stopped for memory, it cannot be read again and is blamed.
    const tooLarge = docs.length === 1 && (docs[0]!.bytes?.length ?? 0) > MOVE_ABOVE_BYTES;
    const end = await this.runTask(docs, tooLarge ? 'move' : 'copy');
    if (!end.complete) {
      for (const doc of docs) doc.result ??= await this.again(doc, end.reason, docs.length === 1);
    }
    return docs.map((d) => d.result!);
  }

  /**
   * A document whose task ended before it was done: read once more, alone, or failed when it is to
   * blame. Stopped for memory, it is read with the pool to itself: if it still goes over, alone and
   * measured from the floor its stopped neighbours left, it is the one to blame. Stopped because its
   * thread died or another document ran out of time, it is read on a thread of its own.
   */
  private async again(doc: Doc, reason: StopReason | Died, alone: boolean): Promise<ExtractResult> {
    const stopped = () =>
      failed('unknown', { code: 'WORKER_FAILED', message: `${doc.name}: not read; the scan was stopped` });
    if (reason.kind === 'closed' || this.closed) return stopped();
    // Alone in its task, it is the one that ran out of time or took its thread down; but a stop for
    // memory stops every task, so the memory may be another's: it is read again in quarantine.
    const blamed = alone && reason.kind !== 'memory';
    if (blamed || doc.gone || doc.limit - doc.spent <= 0) return failed('unknown', errorInfo(reason, doc));
    const end = reason.kind === 'memory' ? await this.quarantine(doc) : await this.runTask([doc], 'copy');
    if (doc.result) return doc.result;
    if (end.complete || end.reason.kind === 'closed' || this.closed) return stopped();
    return failed('unknown', errorInfo(end.reason, doc));
  }

  /** Runs a document with every slot of the pool, one quarantined document at a time. */
  private quarantine(doc: Doc): Promise<TaskEnd> {
    const turn = this.quarantined.then(async () => {
      for (let i = 1; i < this.slots.size; i++) await this.slots.take();
      try {
        return await this.runTask([doc], 'copy', true);
      } finally {
        for (let i = 1; i < this.slots.size; i++) this.slots.give();
      }
    });
    this.quarantined = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Runs documents on one thread. Each document that finishes gets its `result`; a document that runs
   * past its deadline is given `TIMEOUT` here. The returned end says whether all finished, and if not,
   * why the task was stopped.
   */
  private async runTask(docs: Doc[], bytes: 'copy' | 'move', quarantined = false): Promise<TaskEnd> {
    while (this.paused) await this.paused.until;
    await this.slots.take();
    if (this.closed) {
      this.slots.give();
      return { complete: false, reason: { kind: 'closed' } };
    }
    const { port1, port2 } = messageChannel();
    const stop = new AbortController();
    const clock = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2 * docs.length);
    const task: Running = {
      docs,
      clock: new Int32Array(clock),
      base: Date.now(),
      longest: Math.max(...docs.map((d) => d.limit - d.spent)),
      quarantined,
      rssAtStart: process.memoryUsage.rss(),
      stop: (reason) => {
        if (!stop.signal.aborted) stop.abort(reason);
      },
    };
    port1.on('message', (message: ThreadMessage) => {
      if (message.type === 'ocr') this.answerOcr(port1, message);
    });
    // Moved bytes are not copied, but are gone from here once the task starts. A document on disk
    // goes as its position: the thread reads it.
    const move = bytes === 'move' && docs.length === 1 && docs[0]!.bytes !== undefined;
    const items: WorkerItem[] = docs.map((d) => ({
      ...(d.bytes ? { bytes: move ? own(d.bytes) : d.bytes } : { file: d.file! }),
      options: { ...d.options, timeoutMs: Math.max(1, Math.ceil(d.limit - d.spent)) },
    }));
    if (move) docs[0]!.gone = true;
    this.running.add(task);
    try {
      const results = await this.pool.run(
        { items, port: port2, clock, base: task.base },
        { signal: stop.signal, transferList: [port2, ...(move ? [items[0]!.bytes!.buffer as ArrayBuffer] : [])] },
      );
      if (results?.length !== docs.length) {
        return {
          complete: false,
          reason: { kind: 'died', error: new Error('the thread gave back no result for some documents') },
        };
      }
      docs.forEach((doc, i) => {
        doc.result = results[i]!;
        doc.spent += Atomics.load(task.clock, 2 * i + 1) - Atomics.load(task.clock, 2 * i);
      });
      return { complete: true };
    } catch (error) {
      const reason: StopReason | Died = stop.signal.aborted
        ? (stop.signal.reason as StopReason)
        : { kind: 'died', error };
      // Documents the thread had finished are read again too (their results went with it): they are
      // not to blame, and their time is not counted.
      const now = Date.now();
      const reading = inFlight(task);
      for (const [i, at] of reading) docs[i]!.spent += now - at;
      if (reason.kind === 'deadline') {
        // A document that blocks its thread starves the others read beside it: when several ran out of
        // time together, none is blamed yet; each is read again alone, with its whole time.
        if (reading.size === 1)
          for (const doc of reason.culprits) doc.result ??= failed('unknown', errorInfo(reason, doc));
        else for (const i of reading.keys()) docs[i]!.spent = 0;
      } else if (reason.kind === 'died' && reading.size === 1) {
        // One document was being read when the thread died: it is the one to blame.
        const doc = docs[[...reading.keys()][0]!]!;
        doc.result ??= failed('unknown', errorInfo(reason, doc));
      }
      return { complete: false, reason };
    } finally {
      this.running.delete(task);
      port1.close();
      this.slots.give();
    }
  }

  /** Threads started now: one at first, another whenever a task finds every started one busy, up to `threads`. */
  get started(): number {
    return this.pool.threads.length;
  }

  /** The document read for the longest time now, and for how long (the scan says so when order holds records back). */
  longestReading(): { name: string; ms: number } | undefined {
    const now = Date.now();
    let longest: { name: string; ms: number } | undefined;
    for (const task of this.running) {
      for (const [i, at] of inFlight(task)) {
        if (!longest || now - at > longest.ms) longest = { name: task.docs[i]!.name, ms: now - at };
      }
    }
    return longest;
  }

  /** A thread asks for OCR: the pool's tesseract workers read, and the answer goes back on the same port. */
  private answerOcr(port: MessagePort, message: Extract<ThreadMessage, { type: 'ocr' }>): void {
    this.ocr.call(message.request).then(
      (answer) => port.postMessage({ type: 'ocr', id: message.id, answer } satisfies PoolMessage),
      (error: unknown) => {
        const e = error as { name?: string; code?: string; message?: string };
        port.postMessage({
          type: 'ocr',
          id: message.id,
          error: {
            message: e?.message ?? String(error),
            ...(e?.name ? { name: e.name } : {}),
            ...(e?.code ? { code: e.code } : {}),
          },
        } satisfies PoolMessage);
      },
    );
  }

  /**
   * Stops at once: documents in flight are dropped (a batch that asked for them gets `WORKER_FAILED`,
   * "the scan was stopped"), the threads and the tesseract workers are ended. Waits at most about two
   * seconds for the threads to go.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    for (const task of this.running) task.stop({ kind: 'closed' });
    this.resume();
    this.slots.release();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([this.pool.destroy(), this.ocr.close()]), waited]);
    clearTimeout(timer);
  }
}
