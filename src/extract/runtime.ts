/**
 * The seam between the pipeline and a runtime: one value per build (Node's in node.ts, browsers' in
 * browser.ts) holding the readers by kind, the MIME parser, the PDF engine and OCR. Readers get the
 * runtime with every part they read, so a message hands its attachments to the same readers as files
 * (email recurses through detect) and nothing below is wired to one runtime.
 */
import type { OcrOutcome } from '../ocr/index.js';
import type { Settled } from '../options.js';
import type { PdfEngine } from './pdf/engine.js';
import type { DocumentKind, ExtractedBlocks } from './types.js';

/** One document or one part of one (an attachment): its bytes, its name in messages, a declared charset. */
export interface Part {
  bytes: Uint8Array;
  name: string;
  /** The document as text already (`extract(string)`): the text and HTML readers read it, not `bytes`. */
  text?: string;
  /** The charset a message declared for this part (a text attachment). */
  charset?: string | undefined;
  /** How many containers (messages, archives, office files) this part is inside; 0 or absent at the top. */
  depth?: number;
  /** Bytes that archives may still unpack for this document, shared by every container in it. */
  budget?: { bytes: number };
  /** The archives this part is inside, outermost first: an entry equal to one of them is a loop. */
  within?: readonly Uint8Array[];
}

/** Reads one kind of document into text blocks; throws an `ExtractionError` for a document it cannot read. */
export type Reader = (part: Part, options: Settled, runtime: Runtime) => Promise<ExtractedBlocks>;

/** The readers of a runtime, by kind; a kind without one is `UNSUPPORTED_FORMAT`. */
export type Readers = Partial<Record<DocumentKind, Reader>>;

/** OCR of one picture into laid-out text (every call held to `deadline`, else `timeoutMs` from now). */
export type Recognize = (
  image: Uint8Array,
  name: string,
  /** `sparse`: the picture is a rendered page, its text in cells and columns rather than one block. */
  options: Settled & { deadline?: number; sparse?: boolean },
) => Promise<OcrOutcome>;

/** Readings kept for documents seen again (cache.ts): the same bytes read once per scan. */
export interface ReadingCache {
  read(kind: DocumentKind, reader: Reader, part: Part, options: Settled, runtime: Runtime): Promise<ExtractedBlocks>;
}

export interface Runtime {
  readers: Readers;
  pdf: PdfEngine;
  /** Absent where the runtime has no OCR (browsers): scanned pages get a warning. */
  recognize?: Recognize;
  /** Present in a scan: a document whose bytes were read before is not read again. */
  cache?: ReadingCache;
}
