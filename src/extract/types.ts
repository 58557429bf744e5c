/** The intermediate form between extractors and the locator. */
import type { Warning } from '../errors.js';

/** Where a block of text came from, e.g. `text`, `html body`, `page 2`, `attachment Счёт.pdf › page 1`. */
export interface TextBlock {
  text: string;
  origin: string;
  /** Set for text recognised by OCR, so the locator may repair OCR's typical misreadings. */
  ocr?: boolean;
  /**
   * Plain text whose columns may make a fixed-width table (a text body or a text attachment of a
   * message): laid out like a text document, after any repair of its encoding.
   */
  plain?: boolean;
  /** With `explain`: how the layout read the page (blocks, tables, headers paired with values). */
  layout?: string[];
}

export type DocumentKind = 'text' | 'html' | 'pdf' | 'email' | 'mbox' | 'image' | 'unknown';

export type { Warning, WarningCode } from '../errors.js';

export interface ExtractedBlocks {
  blocks: TextBlock[];
  warnings: Warning[];
  /** For email: the message's identity, carried into the record. */
  meta?: { messageId: string | null; subject: string | null; from: string | null; date: string | null };
}
