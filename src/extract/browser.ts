/**
 * `extract()` in browsers and edge runtimes: the shared pipeline (pipeline.ts) with this runtime: text,
 * HTML, PDF (pdf.js in the page's thread, pdf/browser.ts) and email (postal-mime, as on Node); the
 * kinds only Node reads (images, which need OCR, and whole mailboxes) are a typed `NODE_ONLY` error.
 */
import { ExtractionError } from '../errors.js';
import { type ExtractOptions, settle } from '../options.js';
import { BROWSER_PDF } from './pdf/browser.js';
import { type ExtractResult, extractWith } from './pipeline.js';
import { SHARED_READERS } from './readers.js';
import type { Reader, Runtime } from './runtime.js';

/** A kind this build does not read: a typed error saying where it can be read. */
function nodeOnly(why: string): Reader {
  return async (part) => {
    throw new ExtractionError('NODE_ONLY', part.name, `${why}; use rostelecom-account on Node.js`);
  };
}

const BROWSER: Runtime = {
  readers: {
    ...SHARED_READERS,
    image: nodeOnly('images need OCR, which runs only on Node'),
    mbox: nodeOnly('mailboxes are read only on Node'),
    doc: nodeOnly('Word 97 documents (.doc) are read only on Node'),
    msg: nodeOnly('Outlook messages (.msg) are read only on Node'),
  },
  pdf: BROWSER_PDF,
};

/**
 * Extracts one document given as bytes (or as a string, read as text): text, HTML and PDF (pdf.js runs in
 * the page's thread, loaded on the first PDF; no set-up call). Never throws for a bad document: the
 * result carries `error`. Throws `TypeError` only for bad options.
 */
export async function extract(input: Uint8Array | string, options: ExtractOptions = {}): Promise<ExtractResult> {
  return extractWith(BROWSER, input, settle(options));
}
