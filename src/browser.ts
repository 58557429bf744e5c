/**
 * The browser and edge build (`rostelecom-account/browser`, and `rostelecom-account` under the `browser`
 * export condition): validation, the locator and `extract()` for text, HTML, PDF and email bytes, with the
 * same pipeline and records as on Node. Nothing here imports a Node built-in. Node-only, and absent here:
 * files, `scan()`, mailboxes, the queue and OCR; an image or a mailbox given to `extract()` is a `NODE_ONLY`
 * error.
 * Only re-exports: a module with code of its own here would be kept whole by bundlers, whatever the app uses.
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
export type { ExtractionErrorCode, InvalidAccountCode } from './errors.js';
export {
  ExtractionError,
  InvalidAccountError,
  isExtractionError,
  isInvalidAccountError,
  RostelecomAccountError,
} from './errors.js';
export { extract } from './extract/browser.js';
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
export { DEFAULT_MAX_BYTES, locateBlocks } from './extract/pipeline.js';
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
export { VERSION } from './version.js';
