/**
 * Office documents as documents: .docx, .xlsx and .rtf read everywhere (their text turned into HTML the
 * HTML reader understands, tables kept), .doc (Word 97) on Node with word-extractor (office/node.ts).
 */

import { readZip } from '../archive/zip.js';
import { htmlToText, readHtmlBlock } from '../html.js';
import type { Reader } from '../runtime.js';
import { docxToHtml } from './docx.js';
import { rtfToHtml } from './rtf.js';
import { xlsxToHtml } from './xlsx.js';

const latin1 = new TextDecoder('latin1');

export const readDocx: Reader = async (part) => ({
  blocks: [{ text: htmlToText(docxToHtml(readZip(part.bytes, part.name).entries)), origin: 'document' }],
  warnings: [],
});

// A sheet is a table: its numbers are paired with their column headers and row labels by position, as
// an HTML page's tables are (a row's empty cells keep it lined up with a header of twenty columns).
export const readXlsx: Reader = async (part, options) => ({
  blocks: [
    {
      ...readHtmlBlock(xlsxToHtml(readZip(part.bytes, part.name).entries), options.explain === true),
      origin: 'workbook',
    },
  ],
  warnings: [],
});

// RTF is 7-bit: its bytes are escaped in the text, so Latin-1 reads it as written.
export const readRtf: Reader = async (part) => ({
  blocks: [{ text: htmlToText(rtfToHtml(latin1.decode(part.bytes))), origin: 'document' }],
  warnings: [],
});
