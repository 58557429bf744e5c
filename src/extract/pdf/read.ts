/**
 * PDF contracts and bills, on any runtime: pdf.js gives each page's text items with their positions, and
 * we lay them out ourselves (src/layout/), since content-stream order is not reading order. Pages without
 * text are told apart (a scan, for OCR where the runtime has it, or a drawing) and named in a warning.
 * The runtime's `PdfEngine` opens the document: on Node pdf-parse (node.ts), in browsers pdf.js in the
 * page's own thread (browser.ts). Every document is destroyed after use, whatever happens.
 */
import { ExtractionError } from '../../errors.js';
import { layoutPageExplained, type PageLayout } from '../../layout/index.js';
import type { Settled } from '../../options.js';
import type { Runtime } from '../runtime.js';
import { latin1 } from '../text/node.js';
import type { ExtractedBlocks, TextBlock, Warning } from '../types.js';
import type { Ops, PdfDocument, PdfHandle, PdfPage, PdfTextItem } from './engine.js';
import { isGarbageTextLayer, isMismappedText } from './garbage.js';
import { itemsOf } from './items.js';
import { hasHugeImage, hasScanSizedImage, rasterCoverage, SCAN_COVERAGE } from './pictures.js';
import { readRules } from './rules.js';

/**
 * Images larger than this many pixels are never decoded (pdf.js's `maxImageSize`): an A4 page scanned at
 * 600 dpi has 35 million. One decoded image of a hostile PDF can otherwise take gigabytes at once,
 * faster than any watchdog can look.
 */
const MAX_IMAGE_PIXELS = 36_000_000;

export function mapError(error: unknown, name: string, password: string | undefined): ExtractionError {
  const err = error as { name?: string; message?: string; cause?: { code?: number } };
  if (err?.name === 'PasswordException') {
    // pdf.js: 1 = a password is needed, 2 = the one given is wrong.
    return err.cause?.code === 2 || password !== undefined
      ? new ExtractionError('PDF_BAD_PASSWORD', name, 'the password does not open this PDF', { cause: error })
      : new ExtractionError('PDF_ENCRYPTED', name, 'the PDF is encrypted; pass its password (--password)', {
          cause: error,
        });
  }
  if (error instanceof ExtractionError) return error;
  return new ExtractionError('PDF_INVALID', name, `not a readable PDF (${err?.message ?? String(error)})`, {
    cause: error,
  });
}

/**
 * One page laid out. Lines of one height set further apart than a cell's usually are may be the lines
 * of ruled cells (dompdf's): only when the first layout says so, and something went unpaired, is the
 * page's drawing read for its ruling lines and the page laid out again with them.
 */
async function layOut(
  page: PdfPage,
  content: { items: Array<PdfTextItem | { type: string }> },
  options: { lengths: readonly number[]; explain: boolean },
  drawing: (page: PdfPage) => Promise<readonly [Ops, { fnArray: number[]; argsArray: unknown[][] }]>,
): Promise<PageLayout> {
  const viewport = page.getViewport({ scale: 1 });
  const items = itemsOf(content, viewport);
  const layout = layoutPageExplained(items, options);
  if (!layout.rulesMayHelp) return layout;
  const rules = readRules(...(await drawing(page)), viewport);
  return rules.horizontal.length > 0 && rules.vertical.length > 0
    ? layoutPageExplained(items, { ...options, rules })
    : layout;
}

/** Reads a PDF's pages into text blocks with the runtime's engine. */
export async function readPdf(
  bytes: Uint8Array,
  name: string,
  options: Settled,
  runtime: Runtime,
): Promise<ExtractedBlocks> {
  const { maxPages, timeoutMs, lengths } = options;
  const engine = runtime.pdf;
  const deadline = Date.now() + timeoutMs;
  // pdf.js takes ownership of the bytes it is given; give it a copy so the caller's buffer stays intact.
  const pdf = await engine.open({
    data: new Uint8Array(bytes),
    verbosity: 0,
    maxImageSize: MAX_IMAGE_PIXELS,
    ...(options.password !== undefined ? { password: options.password } : {}),
  });
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  try {
    let doc: PdfDocument;
    try {
      doc = await withDeadline(pdf.load(), deadline, name);
    } catch (error) {
      throw mapError(error, name, options.password);
    }
    const pages = Math.min(doc.numPages, maxPages);
    if (doc.numPages > maxPages) {
      warnings.push({
        code: 'MAX_PAGES',
        message: `${name}: read the first ${maxPages} of ${doc.numPages} pages (maxPages)`,
      });
    }
    const ocrMode = options.ocr;
    /** Pages without text: those that look scanned (OCR reads them in `auto`) and those that do not. */
    const scanned: number[] = [];
    const drawn: number[] = [];
    /** Pages whose text layer is not language (a poor OCR's, a font mapped wrong): read with OCR in `auto`, kept if OCR cannot. */
    const garbled = new Map<number, TextBlock>();
    /** Of those, the pages read from a rendering, not from a picture on them (no picture is decoded). */
    const rendered = new Set<number>();
    const scanSized = once(hasScanSizedImage);
    const drawing = async (page: PdfPage) =>
      [await engine.ops(), await withDeadline(page.getOperatorList(), deadline, name)] as const;
    // Only a page that carries a sharp picture is worth a rendering and a recognition (1–3 s).
    const looksScanned = async (page: PdfPage) =>
      scanSized(bytes) && rasterCoverage(...(await drawing(page)), page.view) >= SCAN_COVERAGE;
    const hugeImage = once(hasHugeImage);
    for (let n = 1; n <= pages; n++) {
      if (Date.now() > deadline)
        throw new ExtractionError('TIMEOUT', name, `stopped after ${timeoutMs} ms at page ${n} of ${pages}`);
      try {
        const page = await withDeadline(doc.getPage(n), deadline, name);
        const content = await withDeadline(page.getTextContent(), deadline, name);
        const { text, notes, pairs } = await layOut(page, content, { lengths, explain: options.explain }, drawing);
        if (text.trim() !== '') {
          const block: TextBlock = {
            text,
            origin: `page ${n}`,
            ...(notes.length > 0 ? { layout: notes } : {}),
            ...(pairs.length > 0 ? { pairs } : {}),
          };
          // Not language: glyphs mapped to the wrong characters (a font's Unicode map rebuilt badly) are read
          // with OCR from a rendering; a poor OCR's layer only over a scanned picture, from that picture.
          if (ocrMode === 'auto' && isGarbageTextLayer(text)) {
            const scan = await looksScanned(page);
            if (!scan && isMismappedText(text) && !hugeImage(bytes)) rendered.add(n);
            if (scan || rendered.has(n)) garbled.set(n, block);
            else blocks.push(block);
          } else blocks.push(block);
        } else if (ocrMode === 'off') scanned.push(n);
        else ((await looksScanned(page)) ? scanned : drawn).push(n);
        page.cleanup();
      } catch (error) {
        if (error instanceof ExtractionError && error.code === 'TIMEOUT') throw error;
        // One broken page does not lose the others.
        warnings.push({
          code: 'PDF_PAGE_UNREADABLE',
          message: `${name}: page ${n} could not be read (${(error as Error)?.message ?? error})`,
        });
      }
    }
    const toRead =
      ocrMode === 'force'
        ? Array.from({ length: pages }, (_, i) => i + 1)
        : ocrMode === 'auto'
          ? [...scanned, ...garbled.keys()].sort((a, b) => a - b)
          : [];
    const ocrRead = await ocrPages(toRead, rendered, pdf, name, options, runtime, deadline, blocks, warnings);
    const noText = noTextLayer(name, pages, scanned, drawn, ocrRead.filter((n) => scanned.includes(n)).length);
    if (noText) warnings.push(noText);
    const replaced = textLayersReplaced(name, garbled, ocrRead, blocks);
    if (replaced) warnings.push(replaced);
    return { blocks, warnings };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** Reads `pages` with OCR into `blocks`; which were read (none when the runtime has no OCR: a warning says so). */
async function ocrPages(
  pages: number[],
  rendered: ReadonlySet<number>,
  pdf: PdfHandle,
  name: string,
  options: Settled,
  runtime: Runtime,
  deadline: number,
  blocks: TextBlock[],
  warnings: Warning[],
): Promise<number[]> {
  const ocrRead: number[] = [];
  for (const n of pages) {
    if (Date.now() > deadline)
      throw new ExtractionError('TIMEOUT', name, `stopped after ${options.timeoutMs} ms during OCR of page ${n}`);
    const outcome =
      runtime.recognize && pdf.pageImage
        ? await recognizePage(runtime, pdf, n, rendered.has(n), name, { ...options, deadline })
        : {
            warning: {
              code: 'OCR_UNAVAILABLE' as const,
              message: `${name}: OCR runs on Node only; scanned pages were not read`,
            },
          };
    if ('warning' in outcome) {
      warnings.push(outcome.warning);
      break; // the same for every page
    }
    ocrRead.push(n);
    if (outcome.text.trim() !== '')
      blocks.push({
        text: outcome.text,
        origin: `page ${n} (OCR)`,
        ocr: true,
        ...(outcome.layout ? { layout: outcome.layout } : {}),
        ...(outcome.pairs ? { pairs: outcome.pairs } : {}),
      });
  }
  return ocrRead;
}

/**
 * The warning for the pages whose text layer was not language: OCR's reading took its place, or, where
 * OCR could not read the page, the layer was read as it is (into `blocks`).
 */
function textLayersReplaced(
  name: string,
  garbled: Map<number, TextBlock>,
  ocrRead: number[],
  blocks: TextBlock[],
): Warning | undefined {
  if (garbled.size === 0) return undefined;
  const replaced = [...garbled.keys()].filter((n) => ocrRead.includes(n));
  const kept = [...garbled.keys()].filter((n) => !ocrRead.includes(n));
  for (const n of kept) blocks.push(garbled.get(n)!);
  const said = [
    `${pagesNamed([...garbled.keys()])}: the text layer is not language (a poor OCR's, or a font whose characters are mapped wrong)`,
  ];
  if (replaced.length > 0) said.push(`read with OCR instead${kept.length > 0 ? ` (${pagesNamed(replaced)})` : ''}`);
  if (kept.length > 0)
    said.push(`${pagesNamed(kept)} read as ${kept.length > 1 ? 'they are' : 'it is'} (OCR could not run)`);
  return { code: 'OCR_TEXT_LAYER_REPLACED', message: `${name}: ${said.join('; ')}` };
}

/**
 * The warning for the pages without a text layer: which they are, which were read with OCR, and which
 * have no scanned image either (a drawing?), so OCR left them.
 */
function noTextLayer(
  name: string,
  pages: number,
  scanned: number[],
  drawn: number[],
  ocrRead: number,
): Warning | undefined {
  const empty = [...scanned, ...drawn].sort((a, b) => a - b);
  if (empty.length === 0) return undefined;
  const which = empty.length === pages ? 'no page has' : `${pagesNamed(empty)} ha${empty.length > 1 ? 've' : 's'}`;
  const why: string[] = [];
  if (scanned.length > 0) {
    why.push(
      ocrRead > 0
        ? `read with OCR${drawn.length > 0 ? ` (${pagesNamed(scanned)})` : ''}`
        : 'nothing could be read there without OCR',
    );
  }
  if (drawn.length > 0) {
    why.push(
      `${pagesNamed(drawn)} ha${drawn.length > 1 ? 've' : 's'} no scanned image either (a drawing?), so OCR left ${drawn.length > 1 ? 'them' : 'it'} (--ocr force reads every page)`,
    );
  }
  return {
    code: 'NO_TEXT_LAYER',
    message: `${name}: ${which} a text layer${scanned.length > 0 ? ' (a scan?)' : ''}; ${why.join('; ')}`,
  };
}

/** `fn`, called at most once: later calls give the first answer. */
function once<A, R>(fn: (arg: A) => R): (arg: A) => R {
  let answer: { value: R } | undefined;
  return (arg) => {
    answer ??= { value: fn(arg) };
    return answer.value;
  };
}

/** `page 3`, `pages 1, 4`. */
function pagesNamed(pages: number[]): string {
  return `page${pages.length > 1 ? 's' : ''} ${pages.join(', ')}`;
}

/** Rejects with TIMEOUT at the deadline. pdf.js work that blocks the thread is stopped by the worker pool, not here. */
function withDeadline<T>(promise: Promise<T>, deadline: number, name: string): Promise<T> {
  const left = deadline - Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ExtractionError('TIMEOUT', name, 'the per-document time limit (timeoutMs) ran out')),
      Math.max(0, left),
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * OCR of one page's picture: a scanned page's own picture, or a rendering (`render`: always; a page whose
 * pictures are not one scan), read by tesseract as sparse text (cells, columns) where rendered.
 */
async function recognizePage(
  runtime: Runtime,
  pdf: PdfHandle,
  n: number,
  render: boolean,
  name: string,
  options: Settled & { deadline: number },
) {
  const { image, rendered } = await pdf.pageImage!(n, render);
  return runtime.recognize!(image, `${name} › page ${n}`, { ...options, ...(rendered ? { sparse: true } : {}) });
}
