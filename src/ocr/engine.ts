/**
 * The tesseract engine: tesseract.js workers (WebAssembly; an optional dependency) started on first use,
 * reused, and held to each document's deadline; and the engine this thread's `recognize` calls (its own,
 * or a pool thread's proxy to the main thread's). Language data is read from a local folder only.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExtractionError } from '../errors.js';

interface TesseractWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
export interface TesseractLine {
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
  setParameters(parameters: Record<string, string>): Promise<unknown>;
  terminate(): Promise<unknown>;
}
interface TesseractModule {
  createWorker(langs: string[], oem: number, options: object): Promise<TesseractWorker>;
  OEM: { LSTM_ONLY: number; TESSERACT_ONLY: number };
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
      /** Tesseract's page segmentation: text found sparsely (a rendered page's cells) instead of one block. */
      sparse?: boolean;
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

/** Tesseract's orientation confidence below which its answer is not acted on. */
const MIN_ORIENTATION_CONFIDENCE = 2;

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
    // The worker this call waited for was ended meanwhile (a call before it overran, or the engine was
    // closed): tesseract.js would crash the process on a call to an ended worker, so start another.
    if (this.slots.get(key) !== slot) return this.run(request);
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
      await segmentation(worker, request.sparse ? SPARSE : BLOCK);
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

/**
 * Tesseract's page segmentation modes: tesseract.js starts its workers in SINGLE_BLOCK (6), which reads
 * a scan or a photo of one bill well but a rendered page of a table in pieces («п аи |» for «Реквизит
 * Значение»); SPARSE_TEXT (11) finds every word wherever it stands, and the layout stage orders them.
 */
const BLOCK = '6';
const SPARSE = '11';
const SEGMENTATION = new WeakMap<TesseractWorker, string>();

async function segmentation(worker: TesseractWorker, mode: string): Promise<void> {
  if ((SEGMENTATION.get(worker) ?? BLOCK) === mode) return;
  await worker.setParameters({ tessedit_pageseg_mode: mode });
  SEGMENTATION.set(worker, mode);
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

/** This thread's own tesseract workers, started on the first call that is given no other engine. */
let local: TesseractEngine | undefined;

/** `engine` when given, else this thread's own. */
export function engineOr(engine: OcrEngine | undefined): OcrEngine {
  if (engine) return engine;
  local ??= new TesseractEngine();
  return local;
}

/** Ends this thread's own tesseract workers (tests and long-lived hosts call it; they also end after 2 s idle). */
export async function closeOcr(): Promise<void> {
  await local?.close();
}
