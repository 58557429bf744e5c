/**
 * The body of one pool thread: extracts one document. It runs in a worker thread so that a document
 * that blocks pdf.js, or eats memory, can be stopped by terminating the thread without losing the batch.
 */
import { extract, type ExtractOptions, type ExtractResult } from '../extract/index.js';

export interface WorkerTask {
  bytes: Uint8Array;
  options: ExtractOptions;
}

export default async function run(task: WorkerTask): Promise<ExtractResult> {
  return extract(task.bytes, task.options);
}
