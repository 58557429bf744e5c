/**
 * The readers every runtime shares, by kind: text and HTML, and the PDF and email readers, which do their
 * runtime's part through the runtime they are given (its PDF engine, its MIME parser, its OCR).
 */
import { readEmail } from './email/read.js';
import { decodeHtml } from './html.js';
import { readPdf } from './pdf/read.js';
import type { Readers } from './runtime.js';
import { decodeText } from './text/read.js';

export const SHARED_READERS = {
  // Text tables (columns aligned with spaces or bars) go through the layout stage in the pipeline, once
  // damaged text is repaired: mojibake changes the width of every Cyrillic letter.
  text: async (part) => ({
    blocks: [{ text: decodeText(part.bytes, part.charset).text, origin: 'text' }],
    warnings: [],
  }),
  html: async (part) => ({ blocks: [{ text: decodeHtml(part.bytes), origin: 'html' }], warnings: [] }),
  pdf: (part, options, runtime) => readPdf(part.bytes, part.name, options, runtime),
  email: readEmail,
} satisfies Readers;
