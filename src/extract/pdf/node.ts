/**
 * PDFs on Node, with pdf-parse 2.x (pdf.js's legacy build underneath): pdf-parse loads the document and
 * maps pdf.js's failures to named exceptions; pages are read by the shared reader (read.ts), and
 * scanned pages rendered for OCR by pdf-parse with @napi-rs/canvas.
 */
import type { PDFParse } from 'pdf-parse';
import type { PdfDocument, PdfEngine } from './engine.js';
import { loadPdfjs, loadPdfParse } from './pdfjs.js';

/** The pdf.js document pdf-parse loaded (its `load()` is private in the typings, public at run time). */
function loadDocument(parser: PDFParse): Promise<PdfDocument> {
  return (parser as unknown as { load(): Promise<PdfDocument> }).load();
}

export const NODE_PDF: PdfEngine = {
  async open(params) {
    const { PDFParse } = await loadPdfParse();
    const parser = new PDFParse(params);
    return {
      load: () => loadDocument(parser),
      pageImage: (n, render) => pageImage(parser, n, render === true),
      destroy: () => parser.destroy(),
    };
  },
  ops: async () => (await loadPdfjs()).OPS,
};

/**
 * The picture of a scanned page: its one embedded image at its own resolution when it has exactly one
 * (a scanner's page), else the page rendered at 2× (about 150 dpi).
 */
async function pageImage(
  parser: PDFParse,
  n: number,
  render: boolean,
): Promise<{ image: Uint8Array; rendered: boolean }> {
  if (!render) {
    const images = await parser.getImage({ partial: [n], imageBuffer: true, imageDataUrl: false, imageThreshold: 200 });
    const found = images.pages[0]?.images ?? [];
    if (found.length === 1 && found[0]!.data) return { image: found[0]!.data, rendered: false };
  }
  const shot = await parser.getScreenshot({
    partial: [n],
    scale: await renderScale(parser, n),
    imageBuffer: true,
    imageDataUrl: false,
  });
  const data = shot.pages[0]?.data;
  if (!data) throw new Error(`page ${n} could not be rendered`);
  return { image: data, rendered: true };
}

/** Rendering at 2× (about 150 dpi), a page of a usual size; no side longer than this many pixels. */
const RENDER_SCALE = 2;
const RENDER_MAX_SIDE = 3500;

/**
 * The scale a page is rendered at for OCR: 2×, less for a page larger than a poster (pdf.js's test files
 * hold pages of hundreds of inches), whose bitmap at 2× would take gigabytes and tell tesseract nothing more.
 */
async function renderScale(parser: PDFParse, n: number): Promise<number> {
  // The page's box in points, [x0, y0, x1, y1].
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = (await (await loadDocument(parser)).getPage(n)).view;
  return Math.min(RENDER_SCALE, RENDER_MAX_SIDE / Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1));
}
