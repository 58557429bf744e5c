/**
 * What the pictures on a PDF page say before any is decoded: whether the file holds a picture that could
 * be a scanned page (from its raw bytes), how much of a page sharp pictures cover, and how large its
 * largest picture is (from pdf.js's list of the page's drawing operations).
 */
import { latin1 } from '../text/node.js';
import { walkOps } from './ctm.js';
import type { Ops } from './engine.js';

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
  return someImage(bytes, (w, h) => w * h >= SCAN_MIN_PIXELS && Math.max(w, h) <= SCAN_MAX_ASPECT * Math.min(w, h));
}

/**
 * Whether the PDF holds a picture (or a soft mask) larger than RENDER_MAX_PIXELS: pdf.js decodes a soft
 * mask whole to render the page, and a slide of 2×2 images under 35 000 × 4 300 masks took minutes and
 * gigabytes. Such a file's pages are not rendered for OCR.
 */
export function hasHugeImage(bytes: Uint8Array): boolean {
  return someImage(bytes, (w, h) => w * h > RENDER_MAX_PIXELS, false);
}

/** Whether an image dictionary's size passes `test` (a size given by reference: `byReference`). */
function someImage(bytes: Uint8Array, test: (w: number, h: number) => boolean, byReference = true): boolean {
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
    if (!width || !height || width[2] || height[2]) {
      if (byReference) return true;
      continue;
    }
    if (test(Number(width[1]), Number(height[1]))) return true;
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
export const SCAN_COVERAGE = 0.25;
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
  let covered = 0;
  walkOps(ops, list, (fn, args, ctm) => {
    if (fn !== ops.paintImageXObject && fn !== ops.paintInlineImageXObject && fn !== ops.paintImageMaskXObject) return;
    // [id, width, height] for an image object; [{ width, height, … }] for inline images and masks.
    const described = args[0] as { width?: number; height?: number } | undefined;
    const width = typeof args[1] === 'number' ? args[1] : (described?.width ?? 0);
    const height = typeof args[2] === 'number' ? args[2] : (described?.height ?? 0);
    const [a = 0, b = 0, c = 0, d = 0] = ctm;
    // The image fills the unit square, which the matrix maps onto the page (in points, 72 a inch).
    const dpi = Math.min((width * 72) / (Math.hypot(a, b) || 1), (height * 72) / (Math.hypot(c, d) || 1));
    if (dpi >= SCAN_MIN_DPI) covered += Math.min(Math.abs(a * d - b * c), pageArea);
  });
  return Math.min(1, covered / pageArea);
}

/** No picture of a page rendered for OCR is larger (pdf.js decodes none larger either). */
export const RENDER_MAX_PIXELS = 36_000_000;
