/**
 * The options of one document's extraction, every default in one place, and `settle()`: the one check
 * of them. The public entries (`extract`, `extractFile`, `scan`, a pool thread's task) settle what they
 * are given once; everything below them reads a `Settled` object and never checks or defaults again.
 * Bad limits fail loudly and at once (a `TypeError`), instead of silently meaning something else.
 */
import { resolveLengths } from './account.js';
import type { DocumentKind, PartVisit } from './extract/types.js';
import type { LocateOptions } from './locate/locate.js';

/** OCR of scans and photos: `auto` reads images and PDF pages without text; `force` every page; `off` none. */
export type OcrMode = 'auto' | 'off' | 'force';

export interface ExtractOptions extends LocateOptions {
  /** The document's name: a hint for detection, and the name used in error messages. */
  filename?: string;
  /** Documents larger than this are not read (`TOO_LARGE`). Default 256 MiB. */
  maxBytes?: number;
  /** Keep the text blocks and the rejected candidates in the result (for `--explain`). */
  explain?: boolean;
  /** Opens encrypted PDFs. */
  password?: string;
  /** PDF pages read at most; default 200 (a `MAX_PAGES` warning says when more were skipped). */
  maxPages?: number;
  /** Time for one document, in milliseconds; default 60 000 (`TIMEOUT`). */
  timeoutMs?: number;
  /** How deep messages attached to messages are read; default 8 (`MIME_TOO_DEEP`). */
  maxMimeDepth?: number;
  /** Read the document as this kind instead of detecting it (a message cut from a mailbox is email). */
  kind?: DocumentKind;
  /** MIME parts read per message; default 10 000 (`MIME_TOO_MANY_PARTS`). */
  maxMimeParts?: number;
  /** Longest line handed to the locator, in characters; default 1 MiB. Longer lines are broken (`LINE_TOO_LONG`). */
  maxLineLength?: number;
  /** OCR of scans and photos: `auto` (default) reads images and PDF pages without text; `force` every page; `off` none. */
  ocr?: OcrMode;
  /** Folder of tesseract language data (`rus.traineddata`, `eng.traineddata`); default: the usual system folders. */
  ocrLangPath?: string;
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_PAGES = 200;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_MIME_DEPTH = 8;
export const DEFAULT_MAX_MIME_PARTS = 10_000;
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
export const DEFAULT_OCR: OcrMode = 'auto';

/** Options with every default filled in and every value checked: what the readers below the entries read. */
export interface Settled extends ExtractOptions {
  filename: string;
  maxBytes: number;
  explain: boolean;
  maxPages: number;
  timeoutMs: number;
  maxMimeDepth: number;
  maxMimeParts: number;
  maxLineLength: number;
  ocr: OcrMode;
  lengths: readonly number[];
  /** With `explain`, set by the pipeline: the log of parts the readers visit (extract/visits.ts). */
  visits?: PartVisit[];
}

/** Checks `options` and fills in every default; a settled object passes through as it is. */
export function settle(options: ExtractOptions): Settled {
  for (const key of ['maxBytes', 'maxPages', 'timeoutMs', 'maxMimeParts', 'maxLineLength'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new TypeError(`${key} must be a positive whole number, not ${String(value)}`);
    }
  }
  if (options.password !== undefined && typeof options.password !== 'string')
    throw new TypeError('password must be a string');
  if (options.ocr !== undefined && !['auto', 'off', 'force'].includes(options.ocr))
    throw new TypeError("ocr must be 'auto', 'off' or 'force'");
  const maxMimeDepth = options.maxMimeDepth ?? DEFAULT_MAX_MIME_DEPTH;
  if (!Number.isInteger(maxMimeDepth) || maxMimeDepth < 0)
    throw new TypeError('maxMimeDepth must be a whole number ≥ 0');
  return {
    ...options,
    filename: options.filename ?? '<input>',
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    explain: options.explain === true,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxMimeDepth,
    maxMimeParts: options.maxMimeParts ?? DEFAULT_MAX_MIME_PARTS,
    maxLineLength: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
    ocr: options.ocr ?? DEFAULT_OCR,
    lengths: resolveLengths(options),
  };
}
