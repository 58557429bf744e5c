/** pdf.js's worker module, loaded by hand on the thread that reads PDFs (see pdfjs.ts). */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}

/** pdf.js's modern build, for browsers (see browser.ts); only what we use of it. */
declare module 'pdfjs-dist/build/pdf.mjs' {
  export const OPS: Record<string, number>;
  export function getDocument(params: object): { promise: Promise<unknown>; destroy(): Promise<void> };
}

declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
