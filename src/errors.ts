/**
 * One error family for the whole library. Every error carries a stable `code`, so callers branch on
 * codes, never on message text; the README lists every code.
 */

/** Codes of {@link InvalidAccountError}: why a string is not a personal account number. */
export const INVALID_ACCOUNT_CODES = ['INVALID_FORMAT', 'INVALID_LENGTH'] as const;
export type InvalidAccountCode = (typeof INVALID_ACCOUNT_CODES)[number];

/** Codes of {@link ExtractionError}: why a document could not be read (or not wholly). */
export const EXTRACTION_ERROR_CODES = [
  'UNSUPPORTED_FORMAT',
  'READ_FAILED',
  'TOO_LARGE',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'WORKER_FAILED',
  'PDF_INVALID',
  'PDF_ENCRYPTED',
  'PDF_BAD_PASSWORD',
  'EMAIL_INVALID',
  'ARCHIVE_INVALID',
  'ARCHIVE_LIMIT',
  'NODE_ONLY',
] as const;
export type ExtractionErrorCode = (typeof EXTRACTION_ERROR_CODES)[number];

/**
 * Codes of a record's `warnings`: the document was read, but not wholly (a page, a part, an attachment
 * left out, a limit reached, a repair made). Unlike errors, warnings are values, never thrown.
 */
export const WARNING_CODES = [
  'NO_TEXT_LAYER',
  'OCR_TEXT_LAYER_REPLACED',
  'MAX_PAGES',
  'PDF_PAGE_UNREADABLE',
  'MIME_TOO_DEEP',
  'OCR_UNAVAILABLE',
  'OCR_OFF',
  'ATTACHMENT_UNREADABLE',
  'EMAIL_INVALID',
  'TOO_LARGE',
  'MIME_UNTERMINATED',
  'MIME_BAD_BASE64',
  'MIME_TOO_MANY_PARTS',
  'LINE_TOO_LONG',
  'TEXT_REPAIRED',
  'PART_SKIPPED',
  'ARCHIVE_LIMIT',
  'FILE_CHANGED',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** Something a reader left out or changed, named with its document and place in `message`. */
export interface Warning {
  code: WarningCode;
  message: string;
}

export class RostelecomAccountError extends Error {
  override name = 'RostelecomAccountError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class InvalidAccountError extends RostelecomAccountError {
  override name = 'InvalidAccountError';
  declare readonly code: InvalidAccountCode;

  constructor(code: InvalidAccountCode, message: string) {
    super(code, message);
  }
}

export class ExtractionError extends RostelecomAccountError {
  override name = 'ExtractionError';
  declare readonly code: ExtractionErrorCode;
  /** The document the error is about (a path, `attachment x.pdf`, `<buffer>`). */
  readonly document: string;

  constructor(code: ExtractionErrorCode, document: string, message: string, options?: { cause?: unknown }) {
    super(code, `${document}: ${message}`, options);
    this.document = document;
  }
}

// Type guards match on `name` too, so they work across copies of the package (ESM and CJS loaded together).
export function isInvalidAccountError(error: unknown): error is InvalidAccountError {
  return error instanceof InvalidAccountError || (error instanceof Error && error.name === 'InvalidAccountError');
}

export function isExtractionError(error: unknown): error is ExtractionError {
  return error instanceof ExtractionError || (error instanceof Error && error.name === 'ExtractionError');
}
