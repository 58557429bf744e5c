/**
 * OCR for scans and photos, with tesseract.js (WebAssembly; an optional dependency). Language data is
 * read from a local folder only, never downloaded: batch machines are often offline. Each word comes
 * back with its box, and the boxes go through the same layout as PDF text (layout.ts), so a table's
 * label and its value, which tesseract prints column by column, end up on one line again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { ExtractionError } from '../errors.js';
import { findLabels } from '../locate/labels.js';
import type { PositionedPair } from '../locate/pairs.js';
import { layoutPageExplained, type PageLayout, type PositionedItem } from './layout.js';
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

/** Where tesseract's own thread body is: our wrapper (output silenced) when built, else tesseract.js's. */
function tesseractThread(): string | undefined {
  try {
    const path = fileURLToPath(new URL('./ocr-thread.js', import.meta.url));
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** One call to tesseract, as a pool thread asks the thread that owns the tesseract workers. */
export type OcrRequest =
  | {
      op: 'read';
      path: string;
      langs: string[];
      image: Uint8Array;
      parameters: Record<string, string>;
      deadline: number;
      name: string;
    }
  | { op: 'grey'; path: string; langs: string[]; image: Uint8Array; deadline: number; name: string }
  | { op: 'orientation'; path: string; image: Uint8Array; deadline: number; name: string };

export interface OcrReading {
  lines: TesseractLine[];
  confidence: number;
}
export type OcrAnswer = OcrReading | { png: Uint8Array } | { degrees: number | null };

/**
 * Runs tesseract calls. The local engine owns tesseract workers; a pool thread gets a proxy that asks
 * the pool's engine on the main thread, so a process holds one set of workers (about 180 MiB) however
 * many threads it reads on, and a thread that is stopped never takes them down with it.
 */
export interface OcrEngine {
  call(request: OcrRequest): Promise<OcrAnswer>;
}

interface Slot {
  worker: Promise<TesseractWorker>;
  /** The end of the last call handed to this worker: calls run one at a time, in order. */
  tail: Promise<unknown>;
}

/** How long a tesseract call may overrun its document's deadline before its worker is ended. */
const OCR_GRACE_MS = 1_000;

/**
 * The tesseract workers of one thread, created on first use and reused (starting one costs more than
 * a page): the reader (LSTM, rus+eng[+ind]) on the first image, the orientation detector (the legacy
 * engine with `osd.traineddata`) only when a page shows no label and may lie sideways.
 *
 * Every call has a deadline, its document's. A call still running then (tesseract stuck, its thread
 * dead, an answer that never came) ends the worker it ran on and fails with `TIMEOUT`; the next call
 * starts a fresh worker. Calls waiting their turn past their deadline fail without running.
 */
export class TesseractEngine implements OcrEngine {
  private readonly slots = new Map<string, Slot>();
  private idleTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  /** @param idleMs an idle tesseract worker would keep the process alive; they are ended after this long without calls. */
  constructor(private readonly idleMs = 2_000) {}

  async call(request: OcrRequest): Promise<OcrAnswer> {
    this.inFlight++;
    clearTimeout(this.idleTimer);
    try {
      return await this.run(request);
    } finally {
      this.inFlight--;
      clearTimeout(this.idleTimer);
      if (this.inFlight === 0) {
        this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
        this.idleTimer.unref?.();
      }
    }
  }

  private async run(request: OcrRequest): Promise<OcrAnswer> {
    const kind = request.op === 'orientation' ? 'osd' : 'read';
    const langs = request.op === 'orientation' ? ['osd'] : request.langs;
    const key = `${kind}:${request.path}:${langs.join('+')}`;
    let slot = this.slots.get(key);
    if (!slot) {
      const worker = startWorker(kind, request.path, langs);
      slot = { worker, tail: Promise.resolve() };
      this.slots.set(key, slot);
      // A worker that failed to start is tried again next time (the data may have been installed since).
      worker.catch(() => this.forget(key, slot!));
    }
    const current = slot;
    const turn = current.tail.then(() => this.once(key, current, request));
    current.tail = turn.catch(() => undefined);
    return turn;
  }

  private async once(key: string, slot: Slot, request: OcrRequest): Promise<OcrAnswer> {
    const left = request.deadline - Date.now();
    if (left <= 0)
      throw new ExtractionError(
        'TIMEOUT',
        request.name,
        'the per-document time limit (timeoutMs) ran out before OCR could start',
      );
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Tesseract cannot be interrupted: the worker is ended, and the next call starts another.
        this.forget(key, slot);
        reject(
          new ExtractionError(
            'TIMEOUT',
            request.name,
            'OCR ran past the per-document time limit (timeoutMs); its tesseract worker was ended',
          ),
        );
      }, left + OCR_GRACE_MS);
    });
    try {
      return await Promise.race([this.perform(slot, request), overrun]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async perform(slot: Slot, request: OcrRequest): Promise<OcrAnswer> {
    let worker: TesseractWorker;
    try {
      worker = await slot.worker;
    } catch (error) {
      // tesseract.js rejects with strings as well as errors.
      const code =
        (error as { code?: string })?.code === 'ERR_MODULE_NOT_FOUND' ? 'ERR_MODULE_NOT_FOUND' : 'OCR_UNAVAILABLE';
      throw Object.assign(new Error((error as Error)?.message ?? String(error)), { code });
    }
    const image = Buffer.from(request.image.buffer, request.image.byteOffset, request.image.byteLength);
    if (request.op === 'read') {
      const result = await worker.recognize(image, request.parameters, { blocks: true, text: false });
      const lines: TesseractLine[] = [];
      for (const block of result.data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            lines.push({ bbox: line.bbox, words: line.words.map((w) => ({ text: w.text, bbox: w.bbox })) });
          }
        }
      }
      return { lines, confidence: result.data.confidence ?? 0 };
    }
    if (request.op === 'grey') {
      const grey = (await worker.recognize(image, {}, { imageGrey: true, text: false })).data.imageGrey;
      if (!grey) throw new Error('tesseract gave back no image');
      return { png: Buffer.from(grey.slice(grey.indexOf(',') + 1), 'base64') };
    }
    const { data } = await worker
      .detect(image)
      .catch(() => ({ data: { orientation_degrees: null, orientation_confidence: null } }));
    const sure = data.orientation_degrees !== null && (data.orientation_confidence ?? 0) >= MIN_ORIENTATION_CONFIDENCE;
    return { degrees: sure ? data.orientation_degrees : null };
  }

  /** Drops a worker from the engine and ends it once it has started. */
  private forget(key: string, slot: Slot): void {
    if (this.slots.get(key) === slot) this.slots.delete(key);
    slot.worker.then((w) => w.terminate()).catch(() => undefined);
  }

  /** Ends every tesseract worker (a scan's end, tests, a long-lived host going idle). */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const current = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(current.map(async (s) => (await s.worker.catch(() => undefined))?.terminate()));
  }
}

async function startWorker(kind: 'read' | 'osd', path: string, langs: string[]): Promise<TesseractWorker> {
  // Imported by name at run time: tesseract.js is optional, and the rest works without it.
  const tesseract = (await import('tesseract.js')) as unknown as TesseractModule;
  const thread = tesseractThread();
  // errorHandler: without one, tesseract.js throws from its message listener for every failed call, on
  // top of rejecting the call's promise, and the throw would take the whole thread down.
  const common = {
    langPath: path,
    gzip: false,
    cacheMethod: 'none',
    logger: () => undefined,
    errorHandler: () => undefined,
    ...(thread ? { workerPath: thread } : {}),
  };
  if (kind === 'read') return tesseract.createWorker(langs, tesseract.OEM.LSTM_ONLY, common);
  return tesseract.createWorker(['osd'], tesseract.OEM.TESSERACT_ONLY, {
    ...common,
    legacyCore: true,
    legacyLang: true,
  });
}

/** The engine of this thread when no other is set: its own tesseract workers. */
let local: TesseractEngine | undefined;
/** The engine `recognize` uses now (a pool thread sets a proxy to the main thread's for each task). */
let current: OcrEngine | undefined;

/** Sets the engine `recognize` calls (a pool thread: a proxy to the pool's engine); undefined goes back to this thread's own. */
export function useOcrEngine(engine: OcrEngine | undefined): void {
  current = engine;
}

function engine(): OcrEngine {
  if (current) return current;
  local ??= new TesseractEngine();
  return local;
}

/** Ends this thread's own tesseract workers (tests and long-lived hosts call it; they also end after 2 s idle). */
export async function closeOcr(): Promise<void> {
  await local?.close();
}

/** `layout`, with `explain`: the blocks the layout found in the words' boxes and the headers it paired. */
export type OcrOutcome =
  | { text: string; rotated: number; layout?: string[]; pairs?: PositionedPair[] }
  | { warning: Warning };

/** Below this mean word confidence, a page without a label may be lying sideways (upright print reads at 80–95). */
const LOW_CONFIDENCE = 70;
/** Tesseract's orientation confidence below which its answer is not acted on. */
const MIN_ORIENTATION_CONFIDENCE = 2;

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
  },
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
  const ocr = engine();
  const base = { path: where.path, deadline, name };
  const read = async (picture: Uint8Array, parameters: Record<string, string> = {}) => {
    const answer = (await ocr.call({
      ...base,
      op: 'read',
      langs: where.langs,
      image: picture,
      parameters,
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

/** A resolution for images that state none (pages taken out of a PDF, many photos). */
const DEFAULT_DPI = 300;

/**
 * A grey PNG as tesseract wrote it, with a `pHYs` chunk stating a resolution: the one the image had,
 * else 300 dpi. Without one the detector prints a warning for every image.
 */
function withDpi(bytes: Uint8Array): { png: Buffer; dpi: number } {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
