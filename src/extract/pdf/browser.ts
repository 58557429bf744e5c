/**
 * PDFs in browsers and edge runtimes, with pdf.js's modern build (the one pdf.js ships for browsers: no
 * polyfills that replace the page's built-ins). pdf.js normally parses in a Web Worker loaded from a URL
 * (`GlobalWorkerOptions.workerSrc`), which an app would have to copy, serve and configure. Instead its
 * worker module is imported here and handed to pdf.js as `globalThis.pdfjsWorker`, which pdf.js uses to run
 * the same code in the page's own thread (its "fake worker"): `extract(bytes)` reads a PDF with no set-up
 * call in any bundler, and the worker's code is in the app's bundle only if the app calls `extract()`.
 * Both are loaded on the first PDF. There is no OCR here: scanned pages get a warning.
 */
import { lazily } from '../../lazy.js';
import type { PdfDocument, PdfEngine } from './engine.js';

const loadPdfjs = lazily(async () => {
  const [pdfjs, worker] = await Promise.all([
    import('pdfjs-dist/build/pdf.mjs'),
    import('pdfjs-dist/build/pdf.worker.mjs'),
  ]);
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  return pdfjs;
});

/** pdf-parse (the Node path) wraps pdf.js's errors, the original as `cause`; the shared reader expects that shape. */
function asPdfParseError(error: unknown): unknown {
  const err = error as { name?: string; message?: string } | undefined;
  if (!err || typeof err !== 'object' || typeof err.name !== 'string') return error;
  return Object.assign(new Error(err.message ?? String(error), { cause: error }), { name: err.name });
}

export const BROWSER_PDF: PdfEngine = {
  async open(params) {
    const pdfjs = await loadPdfjs();
    const task = pdfjs.getDocument({
      ...params,
      // Nothing is fetched: no fonts, character maps or WebAssembly from anywhere; text needs none of it.
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
    });
    return {
      load: () => (task.promise as Promise<PdfDocument>).catch((error) => Promise.reject(asPdfParseError(error))),
      destroy: () => task.destroy(),
    };
  },
  ops: async () => (await loadPdfjs()).OPS as Awaited<ReturnType<PdfEngine['ops']>>,
};
