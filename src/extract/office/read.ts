/**
 * Office documents as documents: .docx, .xlsx and .rtf read everywhere (their text turned into HTML the
 * HTML reader understands, tables kept), .doc (Word 97) on Node with word-extractor (office/node.ts).
 */

import { readZip } from '../archive/zip.js';
import { readHtmlBlock } from '../html.js';
import type { Reader } from '../runtime.js';
import { docxToHtml } from './docx.js';
import { rtfToHtml } from './rtf.js';
import { xlsxToHtml } from './xlsx.js';

const latin1 = new TextDecoder('latin1');

// Their tables are paired by position, as an HTML page's are: a label cell and its value cell, a column's
// header over its cells, whatever the text lines make of empty cells.
const asDocument = (html: string, explain: boolean, origin: 'document' | 'workbook') => ({
  blocks: [{ ...readHtmlBlock(html, explain), origin }],
  warnings: [],
});

export const readDocx: Reader = async (part, options) =>
  asDocument(docxToHtml(readZip(part.bytes, part.name).entries), options.explain === true, 'document');

// A sheet is a table: a row's empty cells keep it lined up with a header of twenty columns.
export const readXlsx: Reader = async (part, options) =>
  asDocument(xlsxToHtml(readZip(part.bytes, part.name).entries), options.explain === true, 'workbook');

// RTF is 7-bit: its bytes are escaped in the text, so Latin-1 reads it as written.
export const readRtf: Reader = async (part, options) =>
  asDocument(rtfToHtml(latin1.decode(part.bytes)), options.explain === true, 'document');
