/**
 * A queue worker: processes jobs with the same pipeline and thread pool as `scan`, storing each job's
 * records under its id, until it is stopped (SIGTERM, or `signal`), in every state: idle, mid-job, or
 * waiting for a Redis that never comes back.
 */
import type { Job } from 'bullmq';
import { DEFAULT_TIMEOUT_MS } from '../options.js';
import { KILL_GRACE_MS, poolFor } from '../scan/pool.js';
import { type ScanOptions, type ScanRecord, scan } from '../scan/scan.js';
import {
  connect,
  DEFAULT_NAME,
  keys,
  type QueueConnection,
  QueueConnectionError,
  queueLibraries,
  shownUrl,
  type WorkUnit,
} from './redis.js';

export interface WorkerOptions
  extends QueueConnection,
    Omit<ScanOptions, 'signal' | 'range' | 'shard' | 'skip' | 'onProgress'> {
  /** How long a job's lock lasts without renewal before BullMQ thinks its worker died (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default 30 s). */
  stalledIntervalMs?: number;
  /** Stops the worker (like SIGTERM: the current jobs finish first). */
  signal?: AbortSignal;
  /** Called when a job is done, with its records. */
  onJob?: (unit: WorkUnit, records: number) => void;
  /** Called when the worker loses Redis (at most once every 10 s); it waits for Redis to come back. */
  onRedisError?: (error: Error) => void;
}

/** Reads one unit with the same pipeline as `scan`. */
async function runUnit(unit: WorkUnit, options: Omit<ScanOptions, 'range'>): Promise<ScanRecord[]> {
  const records: ScanRecord[] = [];
  for await (const record of scan([unit.path], { ...options, ...(unit.range ? { range: unit.range } : {}) }))
    records.push(record);
  return records;
}

/**
 * Processes jobs until stopped. On SIGTERM (or `signal`), the current jobs finish, within `timeoutMs`
 * (plus a grace of 2 s): jobs still running then are stopped and go back to the queue as a failed
 * attempt. Killed outright, its jobs' locks run out and BullMQ gives them to other workers.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const name = options.name ?? DEFAULT_NAME;
  const k = keys(name);
  const { redis: url, name: _n, lockDurationMs, stalledIntervalMs, signal, onJob, onRedisError, ...rest } = options;
  let reported = 0;
  const report = (error: Error) => {
    if (Date.now() - reported < 10_000) return;
    reported = Date.now();
    onRedisError?.(
      new QueueConnectionError(`lost Redis at ${shownUrl(url)} (${error.message}); waiting for it to come back`, {
        cause: error,
      }),
    );
  };
  const redis = await connect(url, true, report);
  const blocking = await connect(url, true, report).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  // One thread pool for the worker's life: starting threads per job would cost more than small jobs.
  const pool = poolFor(rest);
  // Ends the jobs still running when the worker has to go before they finish.
  const jobsStop = new AbortController();
  const scanOptions: Omit<ScanOptions, 'range'> = { ...rest, ...(pool ? { pool } : {}), signal: jobsStop.signal };
  const { Worker } = await queueLibraries();
  // Jobs being read now: with none, a stop need not wait for anything (not even a Redis that is gone).
  let running = 0;
  const worker = new Worker<WorkUnit>(
    name,
    async (job: Job<WorkUnit>) => {
      running++;
      try {
        return await processJob(job);
      } finally {
        running--;
      }
    },
    {
      connection: blocking,
      // With a pool, a second job starts while the first one's last documents are still being read, so
      // the threads do not stand idle at every job's end (a job's scan drains its pipeline).
      concurrency: pool ? pool.threads : 1,
      lockDuration: lockDurationMs ?? 30_000,
      stalledInterval: stalledIntervalMs ?? 30_000,
      maxStalledCount: 1,
    },
  );
  async function processJob(job: Job<WorkUnit>): Promise<number> {
    faultInjection(job.data);
    const records = await runUnit(job.data, scanOptions);
    const id = job.id!;
    await redis
      .multi()
      .hset(k.results, id, records.map((r) => JSON.stringify(r)).join('\n'))
      .zadd(k.done, Date.now(), id)
      .exec();
    onJob?.(job.data, records.length);
    return records.length;
  }
  // BullMQ repeats its connections' errors here; unheard, it prints every one.
  worker.on('error', report);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
  // The current jobs may finish, within one document's time limit; the ones still running then are
  // stopped, store nothing, and go back to the queue as a failed attempt, for this or another worker.
  // Idle, or cut off from Redis (a job's records could not be stored anyway): close at once; BullMQ's
  // own close waits for its blocking command, which a Redis that never comes back never answers.
  const idle = running === 0 || redis.status !== 'ready' || blocking.status !== 'ready';
  const closing = worker.close(idle);
  const grace = idle ? IDLE_CLOSE_MS : (rest.timeoutMs ?? DEFAULT_TIMEOUT_MS) + KILL_GRACE_MS;
  if (!(await settlesWithin(closing, grace))) {
    jobsStop.abort(new Error('the worker was stopped before this job finished'));
    await settlesWithin(closing, CLOSE_AFTER_STOP_MS);
  }
  await pool?.close();
  // Connections handed to BullMQ are ours to close; left open they would keep the process alive.
  blocking.disconnect();
  redis.disconnect();
}

/** How long an idle worker waits for BullMQ to close before it lets go of its connections anyway. */
const IDLE_CLOSE_MS = 1_000;

/** How long a worker waits for BullMQ to let go of its jobs once they were stopped. */
const CLOSE_AFTER_STOP_MS = 5_000;

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fault injection for the test suite only: `RTA_FAULT_INJECT=exit-on:NAME` makes the worker process
 * die the way a crashing document would kill it, when it picks up a unit whose path contains NAME.
 */
function faultInjection(unit: WorkUnit): void {
  const spec = process.env.RTA_FAULT_INJECT;
  if (spec?.startsWith('exit-on:') && unit.path.includes(spec.slice('exit-on:'.length))) process.exit(70);
}
