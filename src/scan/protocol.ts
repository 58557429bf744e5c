/**
 * What the pool (pool.ts) and its threads (worker.ts) say to each other: the settings a thread starts
 * with, a task of documents, and OCR calls on the task's port. Types and one constant only: the thread's
 * body flips a V8 flag and silences the console when it is loaded, so nothing but a thread may import it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ExtractOptions } from '../extract/index.js';
import type { OcrAnswer, OcrRequest } from '../ocr/index.js';
import type { FileSpan } from './span.js';

/**
 * A scan's batch holds at most this many documents (batch.ts), and a thread reads at most this many at
 * once (worker.ts): a whole batch of the scan's, and a bound for any other caller of the pool.
 */
export const BATCH_DOCUMENTS = 32;

/** What a pool thread is told when it starts (piscina's `workerData`). */
export interface ThreadSettings {
  fixedYoungGeneration: boolean;
}

/** A document of a task: its bytes, or where the thread reads them itself (no copy crosses threads). */
export interface WorkerItem {
  bytes?: Uint8Array;
  file?: FileSpan;
  options: ExtractOptions;
}

export interface WorkerTask {
  items: WorkerItem[];
  /** Where the thread asks for OCR (`ThreadMessage`) and gets its answers (`PoolMessage`). */
  port: MessagePort;
  /**
   * The task's clock, shared with the pool: for document i, slot 2i is when it started and slot 2i+1
   * when it was done, in ms after `base` plus one (0: not yet). The pool's supervisor reads it without
   * a message per document.
   */
  clock: SharedArrayBuffer;
  /** `Date.now()` when the pool handed the task over. */
  base: number;
}

/** What a thread asks the pool. */
export type ThreadMessage = { type: 'ocr'; id: number; request: OcrRequest };

/** The pool's answer to an OCR request. */
export interface PoolMessage {
  type: 'ocr';
  id: number;
  answer?: OcrAnswer;
  error?: { name?: string; code?: string; message: string };
}
