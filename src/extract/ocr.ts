/**
 * OCR for scans and photos, with tesseract.js (WebAssembly; an optional dependency). Language data is
 * read from a local folder only, never downloaded: batch machines are often offline. Each word comes
 * back with its box, and the boxes go through the same layout as PDF text (layout.ts), so a table's
 * label and its value, which tesseract prints column by column, end up on one line again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { layoutPage, type PositionedItem } from './layout.js';
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
  data: { blocks: Array<{ paragraphs: Array<{ lines: TesseractLine[] }> }> | null };
}
interface TesseractWorker {
  recognize(image: Buffer, options: object, output: object): Promise<TesseractResult>;
  terminate(): Promise<unknown>;
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

/** One tesseract worker per thread, created once and reused: starting one costs more than a page. */
let shared: { key: string; worker: Promise<TesseractWorker> } | undefined;
/** An idle tesseract worker would keep the process alive; it is ended after this long without pages. */
const IDLE_MS = 2_000;
let idleTimer: NodeJS.Timeout | undefined;

function endWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeOcr(), IDLE_MS);
}

async function workerFor(path: string, langs: string[]): Promise<TesseractWorker> {
  const key = `${path}\0${langs.join('+')}`;
  if (shared?.key !== key) {
    const previous = shared;
    shared = {
      key,
      worker: (async () => {
        // Imported by name at run time: tesseract.js is optional, and the rest works without it.
        const tesseract = (await import('tesseract.js')) as unknown as {
          createWorker(langs: string[], oem: number, options: object): Promise<TesseractWorker>;
          OEM: { LSTM_ONLY: number };
        };
        return tesseract.createWorker(langs, tesseract.OEM.LSTM_ONLY, { langPath: path, gzip: false, cacheMethod: 'none', logger: () => undefined });
      })(),
    };
    if (previous) void previous.worker.then((w) => w.terminate()).catch(() => undefined);
  }
  return shared.worker;
}

/** Ends this thread's tesseract worker (tests and long-lived hosts call it; a scan's threads just exit). */
export async function closeOcr(): Promise<void> {
  clearTimeout(idleTimer);
  const current = shared;
  shared = undefined;
  if (current) await (await current.worker.catch(() => undefined))?.terminate();
}

export type OcrOutcome = { text: string } | { warning: Warning };

/** Recognises one image (PNG, JPEG, TIFF bytes) and lays its words out as lines. */
export async function recognize(image: Uint8Array, name: string, options: OcrOptions & { lengths: readonly number[] }): Promise<OcrOutcome> {
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
  let worker: TesseractWorker;
  try {
    worker = await workerFor(where.path, where.langs);
  } catch (error) {
    shared = undefined;
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
  clearTimeout(idleTimer);
  let result: TesseractResult;
  try {
    result = await worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { blocks: true, text: false });
  } finally {
    endWhenIdle();
  }
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
  return { text: layoutPage(items, { lengths: options.lengths }) };
}
