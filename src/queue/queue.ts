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
import { mboxRanges } from '../mailbox/mbox.js';
import { matcher, type ScanRecord, sniff } from '../scan/scan.js';
import { walk } from '../scan/walk.js';
import { keys, openQueue, type QueueConnection, type WorkUnit } from './redis.js';

export { type QueueConnection, QueueConnectionError, type WorkUnit } from './redis.js';
export { runWorker, type WorkerOptions } from './worker.js';

export interface EnqueueOptions extends QueueConnection {
  /** An mbox larger than this many bytes is split into ranges of about this size (default 64 MiB). */
  splitSize?: number;
  include?: readonly string[];
  exclude?: readonly string[];
  /** Tries per job before it ends as an error record (default 3). */
  attempts?: number;
}

export interface EnqueueResult {
  /** Units added by this call. */
  added: number;
  /** Units that were already queued (same path, size, time and range). */
  known: number;
}

export const DEFAULT_SPLIT_SIZE = 64 * 1024 * 1024;
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
