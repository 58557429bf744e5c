/**
 * OCR for scans and photos, with tesseract.js (WebAssembly; an optional dependency). Language data is
 * read from a local folder only, never downloaded: batch machines are often offline. Each word comes
 * back with its box, and the boxes go through the same layout as PDF text (layout.ts), so a table's
 * label and its value, which tesseract prints column by column, end up on one line again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { layoutPage, type PositionedItem } from './layout.js';
import { ExtractionError } from '../errors.js';
import { findLabels } from '../locate/labels.js';
import type { Warning } from './types.js';

export type OcrMode = 'auto' | 'off' | 'force';

export interface OcrOptions {
  /** `auto` (default): pages without a text layer and image files; `force`: every PDF page too; `off`: never. */
  ocr?: OcrMode;
  /** Folder with `rus.traineddata` and `eng.traineddata` (and `ind.traineddata` if wanted). */
  ocrLangPath?: string;
}

/** Where tesseract's language data is looked for, in order, when `ocrLangPath` is not given. */
export const OCR_LANG_PATHS = [
  '/usr/share/tesseract-ocr/5/tessdata', // Debian/Ubuntu: tesseract-ocr-rus, tesseract-ocr-eng
  '/usr/share/tesseract-ocr/4.00/tessdata',
  '/usr/share/tessdata', // Fedora, Alpine
  '/usr/local/share/tessdata', // Homebrew, source builds
  '/opt/homebrew/share/tessdata',
];

const REQUIRED = ['rus', 'eng'];

interface TesseractWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
interface TesseractLine {
  bbox: { x0: number; y0: number; x1: number; y1: number };
  words: TesseractWord[];
}
interface TesseractResult {
  data: {
    blocks: Array<{ paragraphs: Array<{ lines: TesseractLine[] }> }> | null;
    confidence: number | null;
    imageGrey?: string | null;
  };
}
interface TesseractDetectResult {
  data: { orientation_degrees: number | null; orientation_confidence: number | null };
}
interface TesseractWorker {
  recognize(image: Buffer, options: object, output: object): Promise<TesseractResult>;
  detect(image: Buffer): Promise<TesseractDetectResult>;
  terminate(): Promise<unknown>;
}
interface TesseractModule {
  createWorker(langs: string[], oem: number, options: object): Promise<TesseractWorker>;
  OEM: { LSTM_ONLY: number; TESSERACT_ONLY: number };
}

function langPathFor(options: OcrOptions): { path: string; langs: string[] } | { looked: string[] } {
  const candidates = options.ocrLangPath ? [options.ocrLangPath] : [process.env['ROSTELECOM_ACCOUNT_TESSDATA'], ...OCR_LANG_PATHS].filter((p): p is string => !!p);
  for (const path of candidates) {
    if (REQUIRED.every((l) => existsSync(join(path, `${l}.traineddata`)))) {
      const langs = existsSync(join(path, 'ind.traineddata')) ? [...REQUIRED, 'ind'] : REQUIRED;
      return { path, langs };
    }
  }
  return { looked: candidates };
}

/**
 * Tesseract workers of this thread, created once and reused: starting one costs more than a page. The
 * reader (LSTM, rus+eng[+ind]) is made on the first image; the orientation detector (the legacy engine
 * with `osd.traineddata`) only when a page shows no label and may lie sideways.
 */
const workers = new Map<string, Promise<TesseractWorker>>();
/** An idle tesseract worker would keep the process alive; it is ended after this long without pages. */
const IDLE_MS = 2_000;
let idleTimer: NodeJS.Timeout | undefined;
/** Images being read now: documents read side by side on one thread share its workers. */
let inFlight = 0;

function beginJob(): void {
  inFlight++;
  clearTimeout(idleTimer);
}

/** Ends the workers when nothing has been read for IDLE_MS; never while another image is in hand. */
function endJob(): void {
  inFlight--;
  clearTimeout(idleTimer);
  if (inFlight === 0) idleTimer = setTimeout(() => void closeOcr(), IDLE_MS);
}

function workerFor(kind: 'read' | 'osd', path: string, langs: string[]): Promise<TesseractWorker> {
  const key = `${kind}:${path}:${langs.join('+')}`;
  const known = workers.get(key);
  if (known) return known;
  const worker = startWorker(kind, path, langs);
  // A worker that failed to start is tried again next time (the data may have been installed since).
  worker.catch(() => workers.delete(key));
  workers.set(key, worker);
  return worker;
}

async function startWorker(kind: 'read' | 'osd', path: string, langs: string[]): Promise<TesseractWorker> {
  // Imported by name at run time: tesseract.js is optional, and the rest works without it.
  const tesseract = (await import('tesseract.js')) as unknown as TesseractModule;
  const common = { langPath: path, gzip: false, cacheMethod: 'none', logger: () => undefined };
  if (kind === 'read') return tesseract.createWorker(langs, tesseract.OEM.LSTM_ONLY, common);
  return tesseract.createWorker(['osd'], tesseract.OEM.TESSERACT_ONLY, { ...common, legacyCore: true, legacyLang: true });
}

/** Ends this thread's tesseract workers (tests and long-lived hosts call it; a scan's threads just exit). */
export async function closeOcr(): Promise<void> {
  clearTimeout(idleTimer);
  const current = [...workers.values()];
  workers.clear();
  await Promise.all(current.map(async (w) => (await w.catch(() => undefined))?.terminate()));
}

export type OcrOutcome = { text: string; rotated: number } | { warning: Warning };

/** Below this mean word confidence, a page without a label may be lying sideways (upright print reads at 80–95). */
const LOW_CONFIDENCE = 70;
/** Tesseract's orientation confidence below which its answer is not acted on. */
const MIN_ORIENTATION_CONFIDENCE = 2;

/**
 * Recognises one image (PNG, JPEG, TIFF bytes) and lays its words out as lines. A page that shows no
 * label is checked for orientation (tesseract's OSD when `osd.traineddata` is there, else by trying the
 * other three turns when the reading looks like noise), turned upright and read again; `rotated` says
 * by how many degrees clockwise the image was turned.
 */
export async function recognize(
  image: Uint8Array,
  name: string,
  options: OcrOptions & { lengths: readonly number[]; /** Epoch ms past which no further reading starts (`TIMEOUT`). */ deadline?: number },
): Promise<OcrOutcome> {
  const where = langPathFor(options);
  if ('looked' in where) {
    return {
      warning: {
        code: 'OCR_UNAVAILABLE',
        message:
          `${name}: no OCR language data (rus.traineddata and eng.traineddata) in ${where.looked.join(', ')}; ` +
          'install it (Debian: apt-get install tesseract-ocr-rus tesseract-ocr-eng) or name the folder with --ocr-lang-path',
      },
    };
  }
  beginJob();
  try {
    let worker: TesseractWorker;
    try {
      worker = await workerFor('read', where.path, where.langs);
    } catch (error) {
      const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      return {
        warning: {
          code: 'OCR_UNAVAILABLE',
          message: missing
            ? `${name}: tesseract.js is not installed (it is an optional dependency: npm install tesseract.js)`
            : `${name}: OCR could not start (${(error as Error)?.message ?? error})`,
        },
      };
    }
    const input = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    const first = await read(worker, input, options.lengths);
    if (hasLabel(first.text)) return { text: first.text, rotated: 0 };
    const inTime = () => {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        throw new ExtractionError('TIMEOUT', name, 'the per-document time limit (timeoutMs) ran out while turning a page upright for OCR');
      }
    };
    inTime();
    // Tesseract's own decoding of the image, as a grey PNG that states its resolution: what the
    // orientation detector and the turn work on, whatever the input format was.
    const grey = await greyPng(worker, input);
    const turn = await orientation(where.path, grey.png);
    const turns = turn === null ? (first.confidence < LOW_CONFIDENCE ? [90, 270, 180] : []) : turn === 0 ? [] : [turn];
    for (const degrees of turns) {
      inTime();
      const again = await read(worker, await rotate(grey.png, degrees), options.lengths, { user_defined_dpi: String(grey.dpi) });
      // OSD's answer is taken as it is; a blind turn only when it shows a label.
      if (turn !== null || hasLabel(again.text)) return { text: again.text, rotated: degrees };
    }
    return { text: first.text, rotated: 0 };
  } finally {
    endJob();
  }
}

async function read(
  worker: TesseractWorker,
  image: Buffer,
  lengths: readonly number[],
  parameters: Record<string, string> = {},
): Promise<{ text: string; confidence: number }> {
  const result = await worker.recognize(image, parameters, { blocks: true, text: false });
  const items: PositionedItem[] = [];
  for (const block of result.data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        // Words of one line share its baseline and height, so the layout keeps them together.
        const height = Math.max(1, line.bbox.y1 - line.bbox.y0);
        for (const word of line.words) {
          items.push({ text: word.text, x: word.bbox.x0, y: line.bbox.y1, width: word.bbox.x1 - word.bbox.x0, height: height * 0.8 });
        }
      }
    }
  }
  return { text: layoutPage(items, { lengths }), confidence: result.data.confidence ?? 0 };
}

function hasLabel(text: string): boolean {
  return !findLabels(text, { ocr: true }).next().done;
}

/**
 * Degrees to turn the image clockwise to make it upright, by tesseract's orientation and script
 * detection; null when it cannot tell (no `osd.traineddata`, or too little text to judge).
 */
async function orientation(path: string, image: Buffer): Promise<number | null> {
  if (!existsSync(join(path, 'osd.traineddata'))) return null;
  let osd: TesseractWorker;
  try {
    osd = await workerFor('osd', path, ['osd']);
  } catch {
    return null;
  }
  const { data } = await osd.detect(image).catch(() => ({ data: { orientation_degrees: null, orientation_confidence: null } }));
  if (data.orientation_degrees === null || (data.orientation_confidence ?? 0) < MIN_ORIENTATION_CONFIDENCE) return null;
  return data.orientation_degrees;
}

/** A resolution for images that state none (pages taken out of a PDF, many photos). */
const DEFAULT_DPI = 300;

/**
 * The image as tesseract decoded it (any format it reads, in WebAssembly, where damaged bytes fail
 * safely), as a grey PNG whose `pHYs` chunk states a resolution: the one the image had, else 300 dpi.
 * Without one the detector prints a warning on stderr for every image.
 */
async function greyPng(worker: TesseractWorker, image: Buffer): Promise<{ png: Buffer; dpi: number }> {
  const grey = (await worker.recognize(image, {}, { imageGrey: true, text: false })).data.imageGrey;
  if (!grey) throw new Error('tesseract gave back no image');
  const png = Buffer.from(grey.slice(grey.indexOf(',') + 1), 'base64');
  const dpi = pngDpi(png);
  return dpi === null ? { png: setPngDpi(png, DEFAULT_DPI), dpi: DEFAULT_DPI } : { png, dpi };
}

/**
 * `png` turned clockwise by `degrees`, drawn with the canvas pdf.js already uses. The canvas is only
 * ever given PNGs tesseract wrote: its native decoders crash the process on some inputs (a TIFF, for one).
 */
async function rotate(png: Buffer, degrees: number): Promise<Buffer> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const picture = await loadImage(png);
  const sideways = degrees % 180 !== 0;
  const canvas = createCanvas(sideways ? picture.height : picture.width, sideways ? picture.width : picture.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(picture, -picture.width / 2, -picture.height / 2);
  return canvas.encode('png');
}

const PNG_SIGNATURE_LENGTH = 8;
const IHDR_END = PNG_SIGNATURE_LENGTH + 4 + 4 + 13 + 4; // length, type, data, CRC
const METRES_PER_INCH = 0.0254;

/** The resolution a PNG's `pHYs` chunk states, in dots per inch, or null when it states none. */
function pngDpi(png: Buffer): number | null {
  const at = png.indexOf('pHYs', PNG_SIGNATURE_LENGTH, 'latin1');
  if (at < 0 || at + 13 > png.length || png[at + 12] !== 1) return null; // unit 1: per metre
  const dpi = Math.round(png.readUInt32BE(at + 4) * METRES_PER_INCH);
  return dpi >= 50 && dpi <= 1200 ? dpi : null;
}

/** `png` with its `pHYs` chunk (replaced or added after IHDR) saying `dpi`. */
function setPngDpi(png: Buffer, dpi: number): Buffer {
  const perMetre = Math.round(dpi / METRES_PER_INCH);
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(perMetre, 8);
  chunk.writeUInt32BE(perMetre, 12);
  chunk[16] = 1;
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  const at = png.indexOf('pHYs', PNG_SIGNATURE_LENGTH, 'latin1');
  if (at >= 0) return Buffer.concat([png.subarray(0, at - 4), chunk, png.subarray(at + 4 + 9 + 4)]);
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, png.subarray(IHDR_END)]);
}
