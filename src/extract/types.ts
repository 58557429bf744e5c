/** The intermediate form between extractors and the locator. */
import type { Warning } from '../errors.js';
import type { PositionedPair } from '../locate/pairs.js';

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
  /** Labels paired with numbers by position on the page (the layout's pairing stage), for the locator. */
  pairs?: PositionedPair[];
}

export type DocumentKind =
  | 'text'
  | 'html'
  | 'pdf'
  | 'email'
  | 'mbox'
  | 'image'
  | 'zip'
  | 'docx'
  | 'xlsx'
  | 'doc'
  | 'rtf'
  | 'msg'
  | 'emlx'
  | 'unknown';

export type { Warning, WarningCode } from '../errors.js';

/** With `explain`: one part of a document its readers visited (visits.ts). */
export interface PartVisit {
  /** Its way in from the document: `attachment bills.zip › Счета/Счёт.pdf`, `html body`. */
  path: string;
  /** What it is: the content type a message gave and the kind detected, or the kind alone. */
  type: string;
  read: boolean;
  /** Why it was not read (the warning that says so), or what became of it. */
  why?: string;
}

export interface ExtractedBlocks {
  blocks: TextBlock[];
  warnings: Warning[];
  /** For email: the message's identity, carried into the record. */
  meta?: { messageId: string | null; subject: string | null; from: string | null; date: string | null };
}
