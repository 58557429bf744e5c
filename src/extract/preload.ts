/**
 * A pool thread loads the readers a task needs before it opens any of the task's documents, so that
 * loading a module (dozens of files for pdf.js and its canvas) never competes with documents for descriptors. A
 * reader is loaded once per thread, and only by a thread given a document of its kind.
 */
import { loadPostalMime } from './email/postal.js';
import { loadPdfParse } from './pdf/pdfjs.js';
import type { DocumentKind } from './types.js';

export async function preloadReaders(kinds: Iterable<DocumentKind | undefined>): Promise<void> {
  const wanted = new Set(kinds);
  const loads: Array<Promise<unknown>> = [];
  // Not pdf-parse for email: most messages have no PDF, and a thread that reads none should not hold it
  // (an attachment's bytes are in memory by then, so its load holds no document's descriptor).
  if (wanted.has('email') || wanted.has('mbox')) loads.push(loadPostalMime());
  if (wanted.has('pdf')) loads.push(loadPdfParse());
  // A reader that fails to load fails its documents later, with their names: nothing to do here.
  await Promise.allSettled(loads);
}
