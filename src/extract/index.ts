/**
 * The extract stage's front door on Node: one document's bytes to its result (`extract`, `extractFile`),
 * and what the rest of the Node shell (scan, the CLI, the queue) uses of the stage. Only re-exports.
 * Inside: `pipeline.ts` (detect → reader → repair → layout of plain text → locate, the same on every
 * runtime), one folder per format (`text/`, `pdf/`, `email/`; `html.ts`), each with its shared reader
 * `read.ts` and its runtime adapters `node.ts` / `browser.ts`, and the two runtimes `node.ts` /
 * `browser.ts` that hand the pipeline their readers. The browser entry uses `browser.ts` directly.
 */
export { detectKind } from './detect.js';
export { extract, extractFile } from './node.js';
export { DEFAULT_TIMEOUT_MS } from './pdf/node.js';
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
export { checkOptions, DEFAULT_MAX_BYTES, failed, toErrorInfo } from './pipeline.js';
