/**
 * What the Node entry (index.ts) and the browser entry (browser.ts) both offer: validation, the locator,
 * detection, decoding and the records' types. Only re-exports, so bundlers keep only what an app uses.
 */
export type { AccountOptions } from './account.js';
export {
  DEFAULT_LENGTHS,
  formatAccount,
  isValidAccount,
  maskAccount,
  normalizeAccount,
  validateAccount,
} from './account.js';
export type { ExtractionErrorCode, InvalidAccountCode, WarningCode } from './errors.js';
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
} from './extract/pipeline.js';
export { locateBlocks } from './extract/pipeline.js';
export type { DecodedText, TextEncoding } from './extract/text/read.js';
export { decodeText } from './extract/text/read.js';
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
export { DEFAULT_MAX_BYTES } from './options.js';
export { VERSION } from './version.js';
