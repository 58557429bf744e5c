/**
 * The body of one pool thread: extracts a batch of documents, one after another. It runs in a worker
 * thread so that a document that blocks pdf.js, or eats memory, can be stopped by terminating the
 * thread without losing the batch job.
 */
import { extract, type ExtractOptions, type ExtractResult } from '../extract/index.js';

export interface WorkerItem {
  bytes: Uint8Array;
  options: ExtractOptions;
}

export interface WorkerTask {
  items: WorkerItem[];
}

export default async function run(task: WorkerTask): Promise<ExtractResult[]> {
  const results: ExtractResult[] = [];
  for (const item of task.items) results.push(await extract(item.bytes, item.options));
  return results;
}
