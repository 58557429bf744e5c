/**
 * The queue's Redis side: the connection options, a unit of work, the keys (see queue.ts), BullMQ and
 * ioredis loaded on first use, and connections that either are ready or say which server they cannot
 * reach (`QueueConnectionError`), never retrying in silence.
 */
import type { Redis } from 'ioredis';
import { lazily } from '../lazy.js';
import type { MboxRange } from '../mailbox/mbox.js';

export interface QueueConnection {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** The job's name: several scans can share one Redis. Default `rostelecom-account`. */
  name?: string;
}

export interface WorkUnit {
  path: string;
  size: number;
  mtimeMs: number;
  range?: MboxRange;
  /** Set when the path could not even be walked (a link loop): the unit is its own error record. */
  error?: { code: 'READ_FAILED'; message: string };
}

export const DEFAULT_NAME = 'rostelecom-account';

export const keys = (name: string) => ({
  units: `rta:${name}:units`,
  order: `rta:${name}:order`,
  seq: `rta:${name}:seq`,
  results: `rta:${name}:results`,
  done: `rta:${name}:done`,
});

/** BullMQ and ioredis, loaded by the first queue call: a plain scan never holds them (about 23 MiB). */
export const queueLibraries = lazily(async () => {
  const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
  return { Queue: bullmq.Queue, Worker: bullmq.Worker, Redis: ioredis.Redis };
});

/** Redis could not be reached, or went away during a short command (code `REDIS_UNREACHABLE`). */
export class QueueConnectionError extends Error {
  override name = 'QueueConnectionError';
  readonly code = 'REDIS_UNREACHABLE';
}

/** A Redis URL fit for a message: its password replaced. */
export function shownUrl(url: string): string {
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
export async function connect(url: string, longLived = false, onError?: (error: Error) => void): Promise<Redis> {
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
export async function openQueue(options: QueueConnection) {
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
