/**
 * One scan spread over many machines, on BullMQ and Redis. The producer walks the paths as `scan`
 * does and enqueues units of work: a file, or a byte range of a large mbox that starts at a separator
 * line. Workers run the same extractors and thread pool as `scan` and store each job's records under
 * the job's id, so a job run twice (a worker died and BullMQ re-ran it) overwrites, never duplicates.
 * The results come back in the order a single-machine scan gives.
 *
 * Redis keys, besides BullMQ's own (`bull:NAME:*`):
 *   rta:NAME:units    hash  job id → unit (JSON)
 *   rta:NAME:order    zset  job id scored by enqueue order
 *   rta:NAME:seq      counter for that order
 *   rta:NAME:results  hash  job id → the job's records (NDJSON)
 *   rta:NAME:done     zset  job id scored by completion time (throughput)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { lazily } from '../lazy.js';
import { type MboxRange, mboxRanges } from '../mailbox/mbox.js';
import { DEFAULT_TIMEOUT_MS } from '../options.js';
import { KILL_GRACE_MS, poolFor } from '../scan/pool.js';
import { matcher, type ScanOptions, type ScanRecord, scan, sniff } from '../scan/scan.js';
import { walk } from '../scan/walk.js';

export interface QueueConnection {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** The job's name: several scans can share one Redis. Default `rostelecom-account`. */
  name?: string;
}

export interface EnqueueOptions extends QueueConnection {
  /** An mbox larger than this many bytes is split into ranges of about this size (default 64 MiB). */
  splitSize?: number;
  include?: readonly string[];
  exclude?: readonly string[];
  /** Tries per job before it ends as an error record (default 3). */
  attempts?: number;
}

export interface WorkUnit {
  path: string;
  size: number;
  mtimeMs: number;
  range?: MboxRange;
  /** Set when the path could not even be walked (a link loop): the unit is its own error record. */
  error?: { code: 'READ_FAILED'; message: string };
}

export interface EnqueueResult {
  /** Units added by this call. */
  added: number;
  /** Units that were already queued (same path, size, time and range). */
  known: number;
}

export const DEFAULT_SPLIT_SIZE = 64 * 1024 * 1024;
const DEFAULT_NAME = 'rostelecom-account';

const keys = (name: string) => ({
  units: `rta:${name}:units`,
  order: `rta:${name}:order`,
  seq: `rta:${name}:seq`,
  results: `rta:${name}:results`,
  done: `rta:${name}:done`,
});

/** BullMQ and ioredis, loaded by the first queue call: a plain scan never holds them (about 23 MiB). */
const queueLibraries = lazily(async () => {
  const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
  return { Queue: bullmq.Queue, Worker: bullmq.Worker, Redis: ioredis.Redis };
});

/** Redis could not be reached, or went away during a short command (code `REDIS_UNREACHABLE`). */
export class QueueConnectionError extends Error {
  override name = 'QueueConnectionError';
  readonly code = 'REDIS_UNREACHABLE';
}

/** A Redis URL fit for a message: its password replaced. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * A connection that is ready, or a `QueueConnectionError` naming the server. ioredis would otherwise
 * retry for ever and print every failed attempt. `longLived` connections (a worker's) wait through
 * an outage, telling `onError` once per outage; short commands give up after a few retries.
 */
async function connect(url: string, longLived = false, onError?: (error: Error) => void): Promise<Redis> {
  const { Redis } = await queueLibraries();
  // BullMQ's workers need maxRetriesPerRequest null (blocking commands must not be retried by ioredis).
  const redis = new Redis(url, { maxRetriesPerRequest: longLived ? null : 2, lazyConnect: true });
  let lastError: Error | undefined;
  let ready = false;
  redis.on('error', (error: Error) => {
    if (ready) onError?.(error);
    ready = false;
    lastError = error;
  });
  redis.on('ready', () => {
    ready = true;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const why = (lastError ?? (error as Error)).message || String(error);
    throw new QueueConnectionError(
      `cannot reach Redis at ${shownUrl(url)} (${why}); is it running, and is the URL right?`,
      { cause: lastError ?? error },
    );
  }
  return redis;
}

/** A queue by name with its own Redis connection, for one call; `close()` ends both. */
async function openQueue(options: QueueConnection) {
  const name = options.name ?? DEFAULT_NAME;
  const redis = await connect(options.redis);
  const { Queue } = await queueLibraries();
  const queue = new Queue(name, { connection: redis });
  // Connection errors reach the caller through the commands; unheard, BullMQ prints each one.
  queue.on('error', () => {});
  const close = async () => {
    await queue.close();
    redis.disconnect();
  };
  return { name, k: keys(name), redis, queue, close };
}

/** A job id from what identifies the unit: adding the same paths twice does not duplicate work. */
export function unitId(unit: WorkUnit): string {
  const r = unit.range;
  return createHash('sha1')
    .update(`${unit.path}\0${unit.size}\0${unit.mtimeMs}\0${r ? `${r.start}-${r.end}` : ''}`)
    .digest('hex');
}

async function* unitsOf(paths: readonly string[], options: EnqueueOptions): AsyncGenerator<WorkUnit> {
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const splitSize = options.splitSize ?? DEFAULT_SPLIT_SIZE;
  for (const path of paths) {
    for await (const entry of walk([path])) {
      if (entry.error) {
        yield { path: entry.path, size: 0, mtimeMs: 0, error: entry.error };
        continue;
      }
      if (entry.path !== path && ((include && !include(entry.path)) || exclude?.(entry.path))) continue;
      if (entry.raw) {
        // A job carries its path as JSON text: a name that is not UTF-8 cannot travel (scan it locally).
        const message = `${entry.path}: the name is not UTF-8; the queue cannot carry it (scan this file without the queue)`;
        yield { path: entry.path, size: 0, mtimeMs: 0, error: { code: 'READ_FAILED', message } };
        continue;
      }
      const info = await stat(entry.path).catch(() => undefined);
      if (!info) {
        const message = `${entry.path}: vanished (deleted or moved during the walk)`;
        yield { path: entry.path, size: 0, mtimeMs: 0, error: { code: 'READ_FAILED', message } };
        continue;
      }
      const unit = { path: entry.path, size: info.size, mtimeMs: info.mtimeMs };
      if (info.size > splitSize && (await sniff(entry.path)) === 'mbox') {
        // Large reads: the boundary scan itself is a native search, so the stream is what costs. Each
        // range is queued as soon as its end is found, so workers start while the rest is read.
        const stream = createReadStream(entry.path, { highWaterMark: 1024 * 1024 });
        for await (const range of mboxRanges(stream, info.size, splitSize)) yield { ...unit, range };
      } else {
        yield unit;
      }
    }
  }
}

/** Walks `paths` and enqueues their units of work. */
export async function enqueue(paths: readonly string[], options: EnqueueOptions): Promise<EnqueueResult> {
  const { k, redis, queue, close } = await openQueue(options);
  let added = 0;
  let known = 0;
  try {
    for await (const unit of unitsOf(paths, options)) {
      const id = unitId(unit);
      if ((await redis.hsetnx(k.units, id, JSON.stringify(unit))) === 0) {
        known++;
        continue;
      }
      await redis.zadd(k.order, await redis.incr(k.seq), id);
      if (unit.error) {
        // Nothing to run: the unit is its record.
        const record: ScanRecord = {
          source: unit.path,
          kind: 'unknown',
          accounts: [],
          contractNumbers: [],
          warnings: [],
          error: unit.error,
        };
        await redis.hset(k.results, id, JSON.stringify(record));
      } else {
        await queue.add('document', unit, {
          jobId: id,
          attempts: options.attempts ?? 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: false,
        });
      }
      added++;
    }
  } finally {
    await close();
  }
  return { added, known };
}

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

export interface QueueStatus {
  units: number;
  withResults: number;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Units finished in the last minute, per second. */
  perSecond: number;
}

export async function queueStatus(options: QueueConnection): Promise<QueueStatus> {
  const { k, redis, queue, close } = await openQueue(options);
  try {
    const counts = await queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'failed',
      'prioritized',
      'waiting-children',
    );
    const recent = await redis.zcount(k.done, Date.now() - 60_000, '+inf');
    return {
      units: await redis.zcard(k.order),
      withResults: await redis.hlen(k.results),
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      perSecond: recent / 60,
    };
  } finally {
    await close();
  }
}

export class QueueIncompleteError extends Error {
  override name = 'QueueIncompleteError';
}

/**
 * Every record, in the order a single-machine `scan` of the same paths gives. A unit whose job failed
 * after all its tries becomes an error record, so nothing is lost silently; units still waiting or
 * running make it throw `QueueIncompleteError`.
 */
export async function* collectResults(options: QueueConnection): AsyncGenerator<ScanRecord> {
  const { k, redis, queue, close } = await openQueue(options);
  try {
    const ids = await redis.zrange(k.order, 0, -1);
    const pending: string[] = [];
    const out: ScanRecord[][] = [];
    for (const id of ids) {
      const stored = await redis.hget(k.results, id);
      if (stored !== null) {
        out.push(stored === '' ? [] : stored.split('\n').map((line) => JSON.parse(line) as ScanRecord));
        continue;
      }
      const job = await queue.getJob(id);
      const unit = JSON.parse((await redis.hget(k.units, id)) ?? '{}') as WorkUnit;
      if (job && (await job.isFailed())) {
        const where = unit.range
          ? `${unit.path} (messages from ${unit.range.firstIndex}, bytes ${unit.range.start}–${unit.range.end})`
          : unit.path;
        out.push([
          {
            source: unit.path,
            ...(unit.range ? { index: unit.range.firstIndex } : {}),
            kind: 'unknown',
            accounts: [],
            contractNumbers: [],
            warnings: [],
            error: {
              code: 'WORKER_FAILED',
              message: `${where}: failed on every try (${job.failedReason ?? 'the worker died'})`,
            },
          },
        ]);
      } else {
        pending.push(unit.path);
      }
    }
    if (pending.length > 0) {
      throw new QueueIncompleteError(
        `${pending.length} of ${ids.length} units are not done yet (first: ${pending[0]}); see 'queue status'`,
      );
    }
    for (const records of out) yield* records;
  } finally {
    await close();
  }
}

/** Removes a job's queue and results from Redis. */
export async function clearQueue(options: QueueConnection): Promise<void> {
  const { name, redis, queue, close } = await openQueue(options);
  try {
    await queue.obliterate({ force: true });
    await redis.del(...Object.values(keys(name)));
  } finally {
    await close();
  }
}
