/**
 * The Node entry: everything the browser entry offers (common.ts), `extract` with Node's readers (OCR,
 * pdf-parse), files, mailboxes, `scan()`, the worker pool and the queue.
 */
export * from './common.js';
export { extract, extractFile } from './extract/index.js';
export type { MboxMessage, MboxOptions } from './mailbox/mbox.js';
export { splitMbox } from './mailbox/mbox.js';
export type {
  EnqueueOptions,
  EnqueueResult,
  QueueConnection,
  QueueStatus,
  WorkerOptions,
  WorkUnit,
} from './queue/queue.js';
export {
  clearQueue,
  collectResults,
  enqueue,
  QueueConnectionError,
  QueueIncompleteError,
  queueStatus,
  runWorker,
  unitId,
} from './queue/queue.js';
export type { PoolItem, PoolOptions } from './scan/pool.js';
export { ExtractPool } from './scan/pool.js';
export type { ScanOptions, ScanProgress, ScanRecord, StateNotice, StateStats } from './scan/scan.js';
export { scan, shardOf } from './scan/scan.js';
export type { FileSpan } from './scan/span.js';
