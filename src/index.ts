export type { AccountOptions } from './account.js';
export {
  DEFAULT_LENGTHS,
  formatAccount,
  isValidAccount,
  maskAccount,
  normalizeAccount,
  validateAccount,
} from './account.js';
export type { ExtractionErrorCode, InvalidAccountCode } from './errors.js';
export {
  ExtractionError,
  InvalidAccountError,
  isExtractionError,
  isInvalidAccountError,
  RostelecomAccountError,
} from './errors.js';
export { detectKind } from './extract/detect.js';
export { htmlToText } from './extract/html.js';
export type {
  DocumentKind,
  ErrorInfo,
  ExtractOptions,
  ExtractResult,
  FoundAccount,
  FoundContract,
  RejectedFound,
  TextBlock,
  Warning,
} from './extract/index.js';
export { DEFAULT_MAX_BYTES, extract, extractFile, locateBlocks } from './extract/index.js';
export type { DecodedText, TextEncoding } from './extract/text.js';
export { decodeText } from './extract/text.js';
export type {
  AccountMatch,
  ContractMatch,
  LocateOptions,
  LocateResult,
  RejectCode,
  RejectedCandidate,
} from './locate/locate.js';
export { locate } from './locate/locate.js';
export type { QrField, QrPayload } from './locate/qr.js';
export { findQrPayloads } from './locate/qr.js';
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
export type { ScanOptions, ScanProgress, ScanRecord } from './scan/scan.js';
export { scan, shardOf } from './scan/scan.js';
export type { FileSpan } from './scan/span.js';
export { VERSION } from './version.js';
