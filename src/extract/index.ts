/**
 * The extract stage's front door on Node: one document's bytes to its result (`extract`, `extractFile`),
 * and what the rest of the Node shell (scan, the CLI, the queue) uses of the stage. Only re-exports.
 * Inside: `pipeline.ts` (detect → reader → repair → layout of plain text → locate, the same on every
 * runtime), one folder per format (`text/`, `pdf/`, `email/`; `html.ts`), each with its shared reader
 * `read.ts` and its runtime adapters `node.ts` / `browser.ts`, and the two runtime values (runtime.ts)
 * in `node.ts` / `browser.ts` that hand the pipeline their readers, MIME parser, PDF engine and OCR. The browser entry uses `browser.ts` directly.
 */
export { detectKind, headDecides } from './detect.js';
export { extract, extractFile, extractSettled, nodeRuntime, readCache } from './node.js';
export type {
  DocumentKind,
  ErrorInfo,
  ExtractOptions,
  ExtractResult,
  FoundAccount,
  FoundContract,
  RejectedFound,
  TextBlock,
  Warning,
} from './pipeline.js';
export { failed, toErrorInfo } from './pipeline.js';
export { preloadReaders } from './preload.js';
export type { Runtime } from './runtime.js';
