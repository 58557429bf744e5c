/**
 * `extract()` in browsers and edge runtimes: the shared pipeline (pipeline.ts) with text, HTML, PDF (pdf.js
 * in the page's thread, pdf/browser.ts) and email (postal-mime, email/browser.ts); the kinds only Node
 * reads (images, which need OCR, and whole mailboxes) are a typed `NODE_ONLY` error.
 */
import { ExtractionError } from '../errors.js';
import { extractEmailInBrowser } from './email/browser.js';
import { extractPdfInBrowser } from './pdf/browser.js';
import {
  type ExtractOptions,
  type ExtractResult,
  extractWith,
  type Reader,
  type Readers,
  TEXT_READERS,
} from './pipeline.js';

/** A kind this build does not read: a typed error saying where it can be read. */
function nodeOnly(why: string): Reader {
  return async (_bytes, name) => {
    throw new ExtractionError('NODE_ONLY', name, `${why}; use rostelecom-account on Node.js`);
  };
}

const BROWSER_READERS: Readers = {
  ...TEXT_READERS,
  pdf: (bytes, name, options) => extractPdfInBrowser(bytes, name, options),
  email: (bytes, name, options) => extractEmailInBrowser(bytes, name, options),
  image: nodeOnly('images need OCR, which runs only on Node'),
  mbox: nodeOnly('mailboxes are read only on Node'),
};

/**
 * Extracts one document given as bytes (or as a string, read as text): text, HTML and PDF (pdf.js runs in
 * the page's thread, loaded on the first PDF; no set-up call). Never throws for a bad document: the
 * result carries `error`. Throws `TypeError` only for bad options.
 */
export function extract(input: Uint8Array | string, options: ExtractOptions = {}): Promise<ExtractResult> {
  return extractWith(BROWSER_READERS, input, options);
}
