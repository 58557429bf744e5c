/**
 * The body of one pool thread: extracts a batch of documents. It runs in a worker thread so that a
 * document that blocks pdf.js, or eats memory, can be stopped by terminating the thread without
 * losing the batch job.
 *
 * The thread marks on the task's shared clock when each document starts and ends, so the pool holds
 * every document to its own deadline without a message per document. OCR goes through the task's port
 * to the pool's one set of tesseract workers (see `TesseractEngine`).
 *
 * A scan's batch of small documents is read all at once, as a scan without a pool reads its batches
 * (while one waits on the MIME parser or on pdf.js's messages, the others run): one after another cost
 * this thread about 40 % more CPU in the bench, and four at a time still 11 % more CPU and 10 % more time
 * for the default scan than the whole batch. Another caller's larger task is read the same number at a
 * time (`BATCH_DOCUMENTS`), so what one thread holds at once stays bounded.
 * Large documents and images are read alone, after the small ones, so each keeps its whole time limit
 * (`timeoutMs` runs from a document's start).
 */

import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { ExtractionError } from '../errors.js';
import {
  type ExtractResult,
  extractSettled,
  failed,
  nodeRuntime,
  preloadReaders,
  type Runtime,
  readCache,
  toErrorInfo,
} from '../extract/index.js';
import { cutMessageWarning } from '../mailbox/mbox.js';
import type { OcrAnswer, OcrEngine, OcrRequest } from '../ocr/index.js';
import { settle } from '../options.js';
import { fixYoungGeneration } from './heap.js';
import {
  BATCH_DOCUMENTS,
  type PoolMessage,
  type ThreadMessage,
  type ThreadSettings,
  type WorkerItem,
  type WorkerTask,
} from './protocol.js';
import { readSpan } from './span.js';

if ((workerData as ThreadSettings | undefined)?.fixedYoungGeneration) fixYoungGeneration();

// Nothing a library prints on this thread may reach the process's stdout (NDJSON) or stderr (the
// CLI's own lines): what matters for a document is in its record.
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[method] = () => undefined;

/** Readings of this thread's documents, kept across its tasks: a bill seen again is not read again. */
const CACHE = readCache();

/** Small documents in flight at once on one thread. */
const LANES = BATCH_DOCUMENTS;
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

  /** Done with the task: no answer is waited for any more, and the port is let go of. */
  close(): void {
    this.port.removeAllListeners('message');
    this.port.close();
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

/** One document: read from its file when the task names one, then extracted. Never rejects. */
async function extractItem(item: WorkerItem, runtime: Runtime): Promise<ExtractResult> {
  // The pool is public (`ExtractPool`): a task's options are settled here, its one edge.
  const options = settle(item.options);
  if (item.bytes) return extractSettled(item.bytes, options, runtime);
  const name = item.options.filename ?? String(item.file!.path);
  let read: Awaited<ReturnType<typeof readSpan>>;
  try {
    read = await readSpan(item.file!, name);
  } catch (error) {
    return failed(item.options.kind ?? 'unknown', toErrorInfo(error, name));
  }
  const result = await extractSettled(read.bytes, options, runtime);
  if (read.truncated) result.warnings.push(cutMessageWarning(name));
  if (read.warning) result.warnings.push(read.warning); // issue 27: the file changed while it was read
  return result;
}

/** Reads the task's documents, marking each one's start and end on the task's clock. */
export default async function run(task: WorkerTask): Promise<ExtractResult[]> {
  const { items, port } = task;
  const clock = new Int32Array(task.clock);
  const results: ExtractResult[] = new Array(items.length);
  const small: number[] = [];
  const alone: number[] = [];
  items.forEach((item, i) => {
    const size = item.bytes?.length ?? item.file!.size;
    (size >= ALONE_BYTES || item.options.kind === 'image' ? alone : small).push(i);
  });
  // OCR of this task goes through its port to the pool's engine.
  const engine = new PortEngine(port);
  const runtime = nodeRuntime(engine, CACHE);
  const read = async (i: number) => {
    Atomics.store(clock, 2 * i, Date.now() - task.base + 1);
    results[i] = await extractItem(items[i]!, runtime);
    Atomics.store(clock, 2 * i + 1, Date.now() - task.base + 1);
  };
  try {
    // issue 27: the readers this task needs are loaded before any of its files is opened.
    await preloadReaders(items.map((item) => item.options.kind ?? item.file?.guess));
    let next = 0;
    const lane = async () => {
      while (next < small.length) await read(small[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(LANES, small.length) }, lane));
    for (const i of alone) await read(i);
  } finally {
    engine.close();
  }
  // A closed port is let go of only when this thread's event loop turns. Between tasks piscina holds the
  // thread in Atomics.wait, and a batch of mail is read in microtasks alone: the loop never turned, and
  // every task's port and engine stayed (2 000 of each after 2 000 tasks; the 1 GiB mailbox's scan grew
  // by 40 MiB from start to end).
  await new Promise((resolve) => setImmediate(resolve));
  return results;
}
