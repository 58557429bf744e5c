/**
 * The readers every runtime shares, by kind: text and HTML, and the PDF and email readers, which do their
 * runtime's part through the runtime they are given (its PDF engine, its MIME parser, its OCR).
 */
import { readArchive } from './archive/read.js';
import { readEmlx } from './email/emlx.js';
import { readEmail } from './email/read.js';
import { readHtmlBlock } from './html.js';
import { readDocx, readRtf, readXlsx } from './office/read.js';
import { readPdf } from './pdf/read.js';
import type { Readers } from './runtime.js';
import { unquote } from './text/quotes.js';
import { decodeText } from './text/read.js';

export const SHARED_READERS = {
  // Text tables (columns aligned with spaces or bars) go through the layout stage in the pipeline, once
  // damaged text is repaired: mojibake changes the width of every Cyrillic letter.
  text: async (part) => ({
    blocks: [{ text: unquote(part.text ?? decodeText(part.bytes, part.charset).text), origin: 'text' }],
    warnings: [],
  }),
  html: async (part, options) => ({
    blocks: [readHtmlBlock(part.text ?? part.bytes, options.explain === true)],
    warnings: [],
  }),
  pdf: (part, options, runtime) => readPdf(part.bytes, part.name, options, runtime),
  email: readEmail,
  emlx: readEmlx,
  zip: readArchive,
  docx: readDocx,
  xlsx: readXlsx,
  rtf: readRtf,
} satisfies Readers;
