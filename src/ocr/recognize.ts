/**
 * OCR for scans and photos, with tesseract.js (WebAssembly; an optional dependency). Language data is
 * read from a local folder only, never downloaded: batch machines are often offline. Each word comes
 * back with its box, and the boxes go through the same layout as PDF text (src/layout/), so a table's
 * label and its value, which tesseract prints column by column, end up on one line again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExtractionError, type Warning } from '../errors.js';
import { layoutPageExplained, type PageLayout, type PositionedItem } from '../layout/index.js';
import { findLabels } from '../locate/labels.js';
import type { PositionedPair } from '../locate/pairs.js';
import type { OcrMode } from '../options.js';
import { engineOr, type OcrEngine, type OcrReading } from './engine.js';
import { rotate, withDpi } from './png.js';

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

function langPathFor(options: OcrOptions): { path: string; langs: string[] } | { looked: string[] } {
  const candidates = options.ocrLangPath
    ? [options.ocrLangPath]
    : [process.env.ROSTELECOM_ACCOUNT_TESSDATA, ...OCR_LANG_PATHS].filter((p): p is string => !!p);
  for (const path of candidates) {
    if (REQUIRED.every((l) => existsSync(join(path, `${l}.traineddata`)))) {
      const langs = existsSync(join(path, 'ind.traineddata')) ? [...REQUIRED, 'ind'] : REQUIRED;
      return { path, langs };
    }
  }
  return { looked: candidates };
}

/** `layout`, with `explain`: the blocks the layout found in the words' boxes and the headers it paired. */
export type OcrOutcome =
  | { text: string; rotated: number; layout?: string[]; pairs?: PositionedPair[] }
  | { warning: Warning };

/** Below this mean word confidence, a page without a label may be lying sideways (upright print reads at 80–95). */
const LOW_CONFIDENCE = 70;

/**
 * Recognises one image (PNG, JPEG, TIFF bytes) and lays its words out as lines. A page that shows no
 * label is checked for orientation (tesseract's OSD when `osd.traineddata` is there, else by trying the
 * other three turns when the reading looks like noise), turned upright and read again; `rotated` says
 * by how many degrees clockwise the image was turned. Every tesseract call keeps to the deadline
 * (default: `timeoutMs` from now); past it the document fails with `TIMEOUT`.
 */
export async function recognize(
  image: Uint8Array,
  name: string,
  options: OcrOptions & {
    lengths: readonly number[];
    timeoutMs?: number /** Epoch ms past which no further reading starts (`TIMEOUT`). */;
    deadline?: number;
    /** Keep the layout's notes (blocks, pairings) for `--explain`. */
    explain?: boolean;
    /** A rendered page: tesseract finds its text as sparse words (cells, columns) instead of one block. */
    sparse?: boolean;
  },
  /** Where tesseract runs: a pool thread's proxy to the pool's engine; default this thread's own workers. */
  engine?: OcrEngine,
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
  const deadline = options.deadline ?? Date.now() + (options.timeoutMs ?? DEFAULT_OCR_TIMEOUT_MS);
  const ocr = engineOr(engine);
  const base = { path: where.path, deadline, name };
  const read = async (picture: Uint8Array, parameters: Record<string, string> = {}) => {
    const answer = (await ocr.call({
      ...base,
      op: 'read',
      langs: where.langs,
      image: picture,
      parameters,
      ...(options.sparse ? { sparse: true } : {}),
    })) as OcrReading;
    return { ...layoutReading(answer, options.lengths, options.explain === true), confidence: answer.confidence };
  };
  const outcome = (reading: PageLayout, rotated: number): OcrOutcome => ({
    text: reading.text,
    rotated,
    ...(reading.notes.length > 0 ? { layout: reading.notes } : {}),
    ...(reading.pairs.length > 0 ? { pairs: reading.pairs } : {}),
  });
  let first: PageLayout & { confidence: number };
  try {
    first = await read(image);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'OCR_UNAVAILABLE') throw error;
    return {
      warning: {
        code: 'OCR_UNAVAILABLE',
        message:
          code === 'ERR_MODULE_NOT_FOUND'
            ? `${name}: tesseract.js is not installed (it is an optional dependency: npm install tesseract.js)`
            : `${name}: OCR could not start (${(error as Error)?.message ?? error})`,
      },
    };
  }
  if (hasLabel(first.text)) return outcome(first, 0);
  const inTime = () => {
    if (Date.now() > deadline) {
      throw new ExtractionError(
        'TIMEOUT',
        name,
        'the per-document time limit (timeoutMs) ran out while turning a page upright for OCR',
      );
    }
  };
  inTime();
  // Tesseract's own decoding of the image, as a grey PNG that states its resolution: what the
  // orientation detector and the turn work on, whatever the input format was.
  const grey = withDpi(
    ((await ocr.call({ ...base, op: 'grey', langs: where.langs, image })) as { png: Uint8Array }).png,
  );
  const turn = existsSync(join(where.path, 'osd.traineddata'))
    ? ((await ocr.call({ ...base, op: 'orientation', image: grey.png })) as { degrees: number | null }).degrees
    : null;
  const turns = turn === null ? (first.confidence < LOW_CONFIDENCE ? [90, 270, 180] : []) : turn === 0 ? [] : [turn];
  for (const degrees of turns) {
    inTime();
    const again = await read(await rotate(grey.png, degrees), { user_defined_dpi: String(grey.dpi) });
    // OSD's answer is taken as it is; a blind turn only when it shows a label.
    if (turn !== null || hasLabel(again.text)) return outcome(again, degrees);
  }
  return outcome(first, 0);
}

/** When a caller gives neither a deadline nor `timeoutMs`: the library's default time for one document. */
const DEFAULT_OCR_TIMEOUT_MS = 60_000;

function layoutReading(reading: OcrReading, lengths: readonly number[], explain: boolean): PageLayout {
  const items: PositionedItem[] = [];
  for (const line of reading.lines) {
    // Words of one line share its baseline and height, so the layout keeps them together.
    const height = Math.max(1, line.bbox.y1 - line.bbox.y0);
    for (const word of line.words) {
      items.push({
        text: word.text,
        x: word.bbox.x0,
        y: line.bbox.y1,
        width: word.bbox.x1 - word.bbox.x0,
        height: height * 0.8,
      });
    }
  }
  return layoutPageExplained(items, { lengths, explain, ocr: true });
}

function hasLabel(text: string): boolean {
  return !findLabels(text, { ocr: true }).next().done;
}
