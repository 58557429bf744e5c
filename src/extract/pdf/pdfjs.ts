/**
 * Loading pdf.js. pdf-parse runs pdf.js's legacy build (the one that works on Node 20), and that build
 * carries core-js polyfills which, on loading, replace built-ins of the whole thread although Node's
 * own are fine: `Array.prototype.push` and `JSON.parse` become JavaScript functions many times slower,
 * for every library on the thread. So pdf.js is loaded on the first PDF only (a thread that never sees
 * one never pays for it), together with its worker module (which would otherwise be loaded, and polyfill
 * again, on the first document), and those two built-ins are put back. pdf.js keeps the functions it
 * adds (`Promise.withResolvers`, `Uint8Array.prototype.toHex` and the like), which Node 20 lacks.
 */
import { lazily } from '../../lazy.js';

type PdfParseModule = typeof import('pdf-parse');

/** Built-ins the legacy build replaces on Node 20 (checked by test/pdf.test.ts). */
const RESTORED_BUILTINS: ReadonlyArray<readonly [object, string]> = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
];

export const loadPdfParse = lazily(async (): Promise<PdfParseModule> => {
  const saved = RESTORED_BUILTINS.map(
    ([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)!] as const,
  );
  try {
    const [pdfParse, worker] = await Promise.all([
      import('pdf-parse'),
      import('pdfjs-dist/legacy/build/pdf.worker.mjs'),
    ]);
    // pdf.js runs its "worker" on this thread; handing it the module spares it a second import.
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return pdfParse;
  } finally {
    for (const [owner, key, descriptor] of saved) Object.defineProperty(owner, key, descriptor);
  }
});

/** pdf.js itself (already loaded by pdf-parse), for its constants such as `OPS`. */
export const loadPdfjs = lazily(async () => {
  await loadPdfParse();
  return import('pdfjs-dist/legacy/build/pdf.mjs');
});
