/**
 * PDF contracts and bills, with pdf-parse 2.x (pdf.js underneath). pdf-parse loads the document and
 * maps pdf.js's failures to named exceptions; its own `getText()` keeps content-stream order, so for
 * positions we ask the pdf.js document it loaded for each page's text items and lay them out
 * ourselves (layout.ts). Every document is destroyed after use, whatever happens.
 */
import type { PDFParse } from 'pdf-parse';
import { resolveLengths } from '../account.js';
import { ExtractionError } from '../errors.js';
import { layoutPageExplained, type PositionedItem } from './layout.js';
import { loadPdfParse } from './pdfjs.js';
import { recognize, type OcrOptions } from './ocr.js';
import type { ExtractedBlocks, TextBlock, Warning } from './types.js';

export interface PdfOptions extends OcrOptions {
  /** Opens encrypted PDFs. */
  password?: string;
  /** Pages read at most (default 200); the rest are skipped with a `MAX_PAGES` warning. */
  maxPages?: number;
  /** Time for one document in milliseconds (default 60 000), checked between pages. */
  timeoutMs?: number;
  lengths?: readonly number[];
  /** Keep the layout's notes (blocks found, headers paired) with each page's text, for `--explain`. */
  explain?: boolean;
}

export const DEFAULT_MAX_PAGES = 200;
export const DEFAULT_TIMEOUT_MS = 60_000;

// The parts of pdf.js's API we use; pdf-parse loads the document but does not export these types.
interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}
interface PdfViewport {
  convertToViewportPoint(x: number, y: number): number[];
}
interface PdfPage {
  getViewport(params: { scale: number }): PdfViewport;
  getTextContent(): Promise<{ items: Array<PdfTextItem | { type: string }> }>;
  cleanup(): void;
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
}

/** The pdf.js document pdf-parse loaded (its `load()` is private in the typings, public at run time). */
function loadDocument(parser: PDFParse): Promise<PdfDocument> {
  return (parser as unknown as { load(): Promise<PdfDocument> }).load();
}

function mapError(error: unknown, name: string, password: string | undefined): ExtractionError {
  const err = error as { name?: string; message?: string; cause?: { code?: number } };
  if (err?.name === 'PasswordException') {
    // pdf.js: 1 = a password is needed, 2 = the one given is wrong.
    return err.cause?.code === 2 || password !== undefined
      ? new ExtractionError('PDF_BAD_PASSWORD', name, 'the password does not open this PDF', { cause: error })
      : new ExtractionError('PDF_ENCRYPTED', name, 'the PDF is encrypted; pass its password (--password)', { cause: error });
  }
  if (error instanceof ExtractionError) return error;
  return new ExtractionError('PDF_INVALID', name, `not a readable PDF (${err?.message ?? String(error)})`, { cause: error });
}

function itemsOf(content: { items: Array<PdfTextItem | { type: string }> }, viewport: PdfViewport): PositionedItem[] {
  const items: PositionedItem[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
    const [x = e, y = f] = viewport.convertToViewportPoint(e, f);
    // The font size is the length of the text matrix's vertical vector; `height` is 0 for some producers.
    const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
    items.push({ text: item.str, x, y, width: item.width, height: size });
  }
  return items;
}

export async function extractPdf(bytes: Uint8Array, name: string, options: PdfOptions = {}): Promise<ExtractedBlocks> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lengths = resolveLengths(options);
  const deadline = Date.now() + timeoutMs;
  const { PDFParse } = await loadPdfParse();
  // pdf.js takes ownership of the bytes it is given; give it a copy so the caller's buffer stays intact.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0, ...(options.password !== undefined ? { password: options.password } : {}) });
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  try {
    let doc: PdfDocument;
    try {
      doc = await withDeadline(loadDocument(parser), deadline, name);
    } catch (error) {
      throw mapError(error, name, options.password);
    }
    const pages = Math.min(doc.numPages, maxPages);
    if (doc.numPages > maxPages) {
      warnings.push({ code: 'MAX_PAGES', message: `${name}: read the first ${maxPages} of ${doc.numPages} pages (maxPages)` });
    }
    const empty: number[] = [];
    for (let n = 1; n <= pages; n++) {
      if (Date.now() > deadline) throw new ExtractionError('TIMEOUT', name, `stopped after ${timeoutMs} ms at page ${n} of ${pages}`);
      let text: string;
      let notes: string[];
      try {
        const page = await withDeadline(doc.getPage(n), deadline, name);
        const content = await withDeadline(page.getTextContent(), deadline, name);
        ({ text, notes } = layoutPageExplained(itemsOf(content, page.getViewport({ scale: 1 })), { lengths, explain: options.explain === true }));
        page.cleanup();
      } catch (error) {
        if (error instanceof ExtractionError && error.code === 'TIMEOUT') throw error;
        // One broken page does not lose the others.
        warnings.push({ code: 'PDF_PAGE_UNREADABLE', message: `${name}: page ${n} could not be read (${(error as Error)?.message ?? error})` });
        continue;
      }
      if (text.trim() === '') empty.push(n);
      else blocks.push({ text, origin: `page ${n}`, ...(notes.length > 0 ? { layout: notes } : {}) });
    }
    const ocrMode = options.ocr ?? 'auto';
    const toRead = ocrMode === 'force' ? Array.from({ length: pages }, (_, i) => i + 1) : ocrMode === 'auto' ? empty : [];
    let ocrRead = 0;
    for (const n of toRead) {
      if (Date.now() > deadline) throw new ExtractionError('TIMEOUT', name, `stopped after ${timeoutMs} ms during OCR of page ${n}`);
      const image = await pageImage(parser, n);
      const outcome = await recognize(image, `${name} › page ${n}`, { ...options, lengths, deadline });
      if ('warning' in outcome) {
        warnings.push(outcome.warning);
        break; // the same for every page
      }
      ocrRead++;
      if (outcome.text.trim() !== '') blocks.push({ text: outcome.text, origin: `page ${n} (OCR)`, ocr: true });
    }
    if (empty.length > 0) {
      const which = empty.length === pages ? 'no page has' : `page${empty.length > 1 ? 's' : ''} ${empty.join(', ')} ha${empty.length > 1 ? 've' : 's'}`;
      const how = ocrRead > 0 ? 'read with OCR' : 'nothing could be read there without OCR';
      warnings.push({ code: 'NO_TEXT_LAYER', message: `${name}: ${which} a text layer (a scan?); ${how}` });
    }
    return { blocks, warnings };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** Rejects with TIMEOUT at the deadline. pdf.js work that blocks the thread is stopped by the worker pool, not here. */
function withDeadline<T>(promise: Promise<T>, deadline: number, name: string): Promise<T> {
  const left = deadline - Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExtractionError('TIMEOUT', name, 'the per-document time limit (timeoutMs) ran out')), Math.max(0, left));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The picture of a scanned page: its one embedded image at its own resolution when it has exactly one
 * (a scanner's page), else the page rendered at 2× (about 150 dpi).
 */
async function pageImage(parser: PDFParse, n: number): Promise<Uint8Array> {
  const images = await parser.getImage({ partial: [n], imageBuffer: true, imageDataUrl: false, imageThreshold: 200 });
  const found = images.pages[0]?.images ?? [];
  if (found.length === 1 && found[0]!.data) return found[0]!.data;
  const shot = await parser.getScreenshot({ partial: [n], scale: 2, imageBuffer: true, imageDataUrl: false });
  const data = shot.pages[0]?.data;
  if (!data) throw new Error(`page ${n} could not be rendered`);
  return data;
}
