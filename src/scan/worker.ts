/**
 * The body of one pool thread: extracts a batch of documents. It runs in a worker thread so that a
 * document that blocks pdf.js, or eats memory, can be stopped by terminating the thread without
 * losing the batch job.
 *
 * The thread tells the pool on the task's port when each document starts and what it found as soon as
 * it has it, so the pool holds every document to its own deadline and, when it has to stop the thread,
 * keeps what is done and reads again only what is not. OCR goes through the same port to the pool's
 * one set of tesseract workers (see `TesseractEngine`).
 *
 * Small documents are read a few at a time (while one waits on mailparser's stream or pdf.js's
 * messages, another runs): reading a mailbox's messages strictly one after another cost this thread
 * about 40 % more CPU in the bench. Large documents and images are read alone, after the small ones,
 * so each keeps its whole time limit (`timeoutMs` runs from a document's start).
 */
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { ExtractionError } from '../errors.js';
import { type ExtractOptions, type ExtractResult, extract } from '../extract/index.js';
import { type OcrAnswer, type OcrEngine, type OcrRequest, useOcrEngine } from '../extract/ocr.js';
import { fixYoungGeneration } from './heap.js';
import type { ThreadSettings } from './pool.js';

export interface WorkerItem {
  bytes: Uint8Array;
  options: ExtractOptions;
}

export interface WorkerTask {
  items: WorkerItem[];
  /** The pool's end is where `ThreadMessage`s go and `PoolMessage`s come from. */
  port: MessagePort;
}

/** What a thread tells the pool about its task. */
export type ThreadMessage =
  | { type: 'start'; i: number }
  | { type: 'done'; i: number; result: ExtractResult }
  | { type: 'ocr'; id: number; request: OcrRequest };

/** The pool's answer to an OCR request. */
export interface PoolMessage {
  type: 'ocr';
  id: number;
  answer?: OcrAnswer;
  error?: { name?: string; code?: string; message: string };
}

if ((workerData as ThreadSettings | undefined)?.fixedYoungGeneration) fixYoungGeneration();

// Nothing a library prints on this thread may reach the process's stdout (NDJSON) or stderr (the
// CLI's own lines): what matters for a document is in its record.
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[method] = () => undefined;

/** Small documents in flight at once on one thread. */
const LANES = 4;
/** Documents at least this large, and images (OCR), are read alone. */
const ALONE_BYTES = 1024 * 1024;
/** How long past its document's deadline an OCR answer may take before the request is given up. */
const ANSWER_GRACE_MS = 5_000;

/** Tesseract calls sent to the pool's engine on the task's port. */
class PortEngine implements OcrEngine {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (a: OcrAnswer) => void; reject: (e: unknown) => void }>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: PoolMessage) => {
      const call = this.waiting.get(message.id);
      if (!call) return;
      this.waiting.delete(message.id);
      if (message.answer) call.resolve(message.answer);
      else call.reject(rebuild(message.error ?? { message: 'no answer' }));
    });
  }

  call(request: OcrRequest): Promise<OcrAnswer> {
    const id = this.next++;
    return new Promise<OcrAnswer>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.waiting.delete(id);
          reject(
            new ExtractionError(
              'TIMEOUT',
              request.name,
              'no answer from the OCR engine within the per-document time limit (timeoutMs)',
            ),
          );
        },
        Math.max(0, request.deadline - Date.now()) + ANSWER_GRACE_MS,
      );
      this.waiting.set(id, {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.port.postMessage({ type: 'ocr', id, request } satisfies ThreadMessage);
    });
  }
}

/** An error as it crossed the port, typed again. */
function rebuild(error: NonNullable<PoolMessage['error']>): Error {
  if (error.name === 'ExtractionError' && error.code) {
    const rebuilt = new ExtractionError(error.code as ExtractionError['code'], '', '');
    rebuilt.message = error.message;
    return rebuilt;
  }
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}

/** Reads the task's documents, reporting each on the port; resolves to how many were reported. */
export default async function run(task: WorkerTask): Promise<number> {
  const { items, port } = task;
  const small: number[] = [];
  const alone: number[] = [];
  items.forEach((item, i) => {
    (item.bytes.length >= ALONE_BYTES || item.options.kind === 'image' ? alone : small).push(i);
  });
  useOcrEngine(new PortEngine(port));
  const read = async (i: number) => {
    port.postMessage({ type: 'start', i } satisfies ThreadMessage);
    const result = await extract(items[i]!.bytes, items[i]!.options);
    port.postMessage({ type: 'done', i, result } satisfies ThreadMessage);
  };
  try {
    let next = 0;
    const lane = async () => {
      while (next < small.length) await read(small[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(LANES, small.length) }, lane));
    for (const i of alone) await read(i);
  } finally {
    useOcrEngine(undefined);
  }
  return items.length;
}
