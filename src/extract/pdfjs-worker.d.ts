/** pdf.js's worker module, loaded by hand on the thread that reads PDFs (see pdfjs.ts). */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
