/**
 * PDF contracts and bills, on any runtime: pdf.js gives each page's text items with their positions, and
 * we lay them out ourselves (src/layout/), since content-stream order is not reading order. Pages without
 * text are told apart (a scan, for OCR where the runtime has it, or a drawing) and named in a warning.
 * The runtime's `PdfEngine` opens the document: on Node pdf-parse (node.ts), in browsers pdf.js in the
 * page's own thread (browser.ts). Every document is destroyed after use, whatever happens.
 */
import { ExtractionError } from '../../errors.js';
import { layoutPageExplained, type PositionedItem } from '../../layout/index.js';
import type { Settled } from '../../options.js';
import type { Runtime } from '../runtime.js';
import { latin1 } from '../text/node.js';
import type { ExtractedBlocks, TextBlock, Warning } from '../types.js';
import type { Ops, PdfDocument, PdfHandle, PdfPage, PdfTextItem, PdfViewport } from './engine.js';
import { isGarbageTextLayer } from './garbage.js';

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

/** The smallest picture that can hold a scanned page's text: about A5 at 100 dpi. */
const SCAN_MIN_PIXELS = 500_000;
/** A page's picture is no longer than this many times its width, or the other way round. */
const SCAN_MAX_ASPECT = 6;

/**
 * Whether the PDF holds an image XObject that could be a scanned page: big enough and page-shaped.
 * Read from the raw bytes, which costs nothing next to pdf.js working out a page's drawing (and
 * decoding its images), which hostile files make take minutes and gigabytes. Image dictionaries are
 * always in the clear: streams cannot sit in object streams, and encryption leaves dictionaries alone.
 * A size given by reference counts as a candidate.
 */
export function hasScanSizedImage(bytes: Uint8Array): boolean {
  for (let at = indexOfImage(bytes, 0); at >= 0; at = indexOfImage(bytes, at + 6)) {
    const window = latin1(bytes.subarray(Math.max(0, at - 512), Math.min(bytes.length, at + 512)));
    const here = Math.min(at, 512);
    // The dictionary the name stands in: from its last `<<` before, to its `>>` after (nested
    // dictionaries such as DecodeParms carry no Width or Height).
    const open = window.lastIndexOf('<<', here);
    const close = window.indexOf('>>', here);
    const dict = window.slice(Math.max(open, 0), close < 0 ? window.length : close);
    if (!/\/Subtype\s*\/Image\b/.test(dict)) continue;
    const width = /\/Width\s+(\d+)(\s+\d+\s+R)?/.exec(dict);
    const height = /\/Height\s+(\d+)(\s+\d+\s+R)?/.exec(dict);
    if (!width || !height || width[2] || height[2]) return true;
    const w = Number(width[1]);
    const h = Number(height[1]);
    if (w * h >= SCAN_MIN_PIXELS && Math.max(w, h) <= SCAN_MAX_ASPECT * Math.min(w, h)) return true;
  }
  return false;
}

const IMAGE = [0x2f, 0x49, 0x6d, 0x61, 0x67, 0x65]; // "/Image"

/** Where `/Image` next occurs in `bytes` from `from`, or -1. */
function indexOfImage(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(IMAGE[0]!, from); at >= 0; at = bytes.indexOf(IMAGE[0]!, at + 1)) {
    let k = 1;
    while (k < IMAGE.length && bytes[at + k] === IMAGE[k]) k++;
    if (k === IMAGE.length) return at;
  }
  return -1;
}

/** A page without text is read with OCR in `auto` when raster images this sharp cover this much of it. */
const SCAN_COVERAGE = 0.25;
const SCAN_MIN_DPI = 90;

/**
 * How much of a page its raster images cover (0–1), counting only images sharp enough to hold text
 * (`SCAN_MIN_DPI` or more): a scanner's or a phone's page is one large sharp image; a vector drawing has
 * none, and a logo or a background is small or coarse. Follows the transformation matrix through
 * `save`/`restore`, `cm` and form XObjects; overlaps and clipping are not subtracted.
 */
export function rasterCoverage(ops: Ops, list: { fnArray: number[]; argsArray: unknown[][] }, view: number[]): number {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = view;
  const pageArea = Math.abs((x1 - x0) * (y1 - y0));
  if (pageArea === 0) return 0;
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let covered = 0;
  const times = (m: number[], n: number[]) => [
    m[0]! * n[0]! + m[1]! * n[2]!,
    m[0]! * n[1]! + m[1]! * n[3]!,
    m[2]! * n[0]! + m[3]! * n[2]!,
    m[2]! * n[1]! + m[3]! * n[3]!,
    m[4]! * n[0]! + m[5]! * n[2]! + n[4]!,
    m[4]! * n[1]! + m[5]! * n[3]! + n[5]!,
  ];
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] ?? [];
    if (fn === ops.save) stack.push(ctm);
    else if (fn === ops.restore) ctm = stack.pop() ?? ctm;
    else if (fn === ops.transform) ctm = times(args as number[], ctm);
    else if (fn === ops.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) && args[0].length === 6) ctm = times(args[0] as number[], ctm);
    } else if (fn === ops.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === ops.paintImageXObject || fn === ops.paintInlineImageXObject || fn === ops.paintImageMaskXObject) {
      // [id, width, height] for an image object; [{ width, height, … }] for inline images and masks.
      const described = args[0] as { width?: number; height?: number } | undefined;
      const width = typeof args[1] === 'number' ? args[1] : (described?.width ?? 0);
      const height = typeof args[2] === 'number' ? args[2] : (described?.height ?? 0);
      const [a = 0, b = 0, c = 0, d = 0] = ctm;
      // The image fills the unit square, which the matrix maps onto the page (in points, 72 a inch).
      const dpi = Math.min((width * 72) / (Math.hypot(a, b) || 1), (height * 72) / (Math.hypot(c, d) || 1));
      if (dpi >= SCAN_MIN_DPI) covered += Math.min(Math.abs(a * d - b * c), pageArea);
    }
  }
  return Math.min(1, covered / pageArea);
}

/**
 * Control characters pdf.js gives for glyphs it has no Unicode for: a producer drew a character its font
 * lacks (pdfkit draws a narrow no-break space between digit groups as glyph 0, read as U+0000). Such a
 * glyph stands where a character was meant; read as a space, the groups it separates stay groups.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
const UNMAPPED_GLYPH = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const UNMAPPED_GLYPHS = new RegExp(UNMAPPED_GLYPH.source, 'g');

function itemsOf(content: { items: Array<PdfTextItem | { type: string }> }, viewport: PdfViewport): PositionedItem[] {
  const items: PositionedItem[] = [];
  for (const raw of content.items) {
    const item =
      'str' in raw && UNMAPPED_GLYPH.test(raw.str) ? { ...raw, str: raw.str.replace(UNMAPPED_GLYPHS, ' ') } : raw;
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
    const [x = e, y = f] = viewport.convertToViewportPoint(e, f);
    // The font size is the length of the text matrix's vertical vector; `height` is 0 for some producers.
    const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
    items.push({ text: item.str, x, y, width: item.width, height: size });
  }
  return items;
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
    const scanSized = once(hasScanSizedImage);
    // Only a page that carries a sharp picture is worth a rendering and a recognition (1–3 s).
    const looksScanned = async (page: PdfPage) =>
      scanSized(bytes) &&
      rasterCoverage(await engine.ops(), await withDeadline(page.getOperatorList(), deadline, name), page.view) >=
        SCAN_COVERAGE;
    for (let n = 1; n <= pages; n++) {
      if (Date.now() > deadline)
        throw new ExtractionError('TIMEOUT', name, `stopped after ${timeoutMs} ms at page ${n} of ${pages}`);
      try {
        const page = await withDeadline(doc.getPage(n), deadline, name);
        const content = await withDeadline(page.getTextContent(), deadline, name);
        const { text, notes, pairs } = layoutPageExplained(itemsOf(content, page.getViewport({ scale: 1 })), {
          lengths,
          explain: options.explain,
        });
        if (text.trim() !== '') {
          const block: TextBlock = {
            text,
            origin: `page ${n}`,
            ...(notes.length > 0 ? { layout: notes } : {}),
            ...(pairs.length > 0 ? { pairs } : {}),
          };
          // A scan under a poor OCR's layer, or glyphs mapped to the wrong characters (a font's Unicode map
          // rebuilt badly, or none): what a reader sees is read with OCR, from the picture or a rendering.
          if (ocrMode === 'auto' && isGarbageTextLayer(text)) garbled.set(n, block);
          else blocks.push(block);
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
    const ocrRead = await ocrPages(toRead, pdf, name, options, runtime, deadline, blocks, warnings);
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
        ? await recognizePage(runtime, pdf, n, name, { ...options, deadline })
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

/** OCR of one page's picture: a rendered page is read as text set sparsely (cells, columns), a scan as a block. */
async function recognizePage(
  runtime: Runtime,
  pdf: PdfHandle,
  n: number,
  name: string,
  options: Settled & { deadline: number },
) {
  const { image, rendered } = await pdf.pageImage!(n);
  return runtime.recognize!(image, `${name} › page ${n}`, { ...options, ...(rendered ? { sparse: true } : {}) });
}
