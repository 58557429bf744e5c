/**
 * The body of one pool thread: extracts a batch of documents. It runs in a worker thread so that a
 * document that blocks pdf.js, or eats memory, can be stopped by terminating the thread without
 * losing the batch job.
 *
 * Small documents are read a few at a time (while one waits on mailparser's stream or pdf.js's
 * messages, another runs): reading a mailbox's messages strictly one after another cost this thread
 * about 40 % more CPU in the bench. Large documents and images are read alone, after the small ones,
 * so each keeps its whole time limit (`timeoutMs` runs from a document's start).
 */
import { workerData } from 'piscina';
import { extract, type ExtractOptions, type ExtractResult } from '../extract/index.js';
import { fixYoungGeneration } from './heap.js';
import type { ThreadSettings } from './pool.js';

export interface WorkerItem {
  bytes: Uint8Array;
  options: ExtractOptions;
}

export interface WorkerTask {
  items: WorkerItem[];
}

if ((workerData as ThreadSettings | undefined)?.fixedYoungGeneration) fixYoungGeneration();

/** Small documents in flight at once on one thread. */
const LANES = 4;
/** Documents at least this large, and images (OCR), are read alone. */
const ALONE_BYTES = 1024 * 1024;

export default async function run(task: WorkerTask): Promise<ExtractResult[]> {
  const results: ExtractResult[] = new Array(task.items.length);
  const small: number[] = [];
  const alone: number[] = [];
  task.items.forEach((item, i) => (item.bytes.length >= ALONE_BYTES || item.options.kind === 'image' ? alone : small).push(i));
  let next = 0;
  const lane = async () => {
    while (next < small.length) {
      const i = small[next++]!;
      results[i] = await extract(task.items[i]!.bytes, task.items[i]!.options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, small.length) }, lane));
  for (const i of alone) results[i] = await extract(task.items[i]!.bytes, task.items[i]!.options);
  return results;
}
