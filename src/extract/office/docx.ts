/**
 * Word documents (.docx, Office Open XML) as HTML, so the HTML reader's tables pair a requisites
 * table's labels with its values as they do in a saved page. Paragraphs become blocks, tables stay
 * tables (with their column spans), text boxes and content controls are read where they stand, and
 * the headers and footers follow the body. Only the text is kept: styles, pictures and fields' codes go.
 */

import type { ChildNode, Element } from 'domhandler';
import { textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { ArchiveEntry } from '../archive/zip.js';
import { escapeHtml } from './markup.js';

/** Element names of WordprocessingML that carry nothing a reader sees. */
const HIDDEN = new Set(['w:instrText', 'w:delText', 'w:pPr', 'w:rPr', 'w:tblPr', 'w:trPr', 'w:tcPr', 'w:sectPr']);

/** WordprocessingML elements written as the HTML element that reads the same: paragraphs, tables, rows. */
const BLOCKS: Record<string, string> = { 'w:p': 'div', 'w:tbl': 'table', 'w:tr': 'tr' };

function toHtml(nodes: readonly ChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type !== 'tag') continue;
    const el = node as Element;
    const block = BLOCKS[el.name];
    if (el.name === 'w:t') out.push(escapeHtml(textContent(el)));
    else if (el.name === 'w:tab' || el.name === 'w:ptab') out.push(' ');
    else if (el.name === 'w:br' || el.name === 'w:cr') out.push('<br>');
    else if (block !== undefined || el.name === 'w:tc') {
      const span = el.name === 'w:tc' ? Number(findAttr(el, 'w:gridSpan') ?? 1) : 1;
      const tag = block ?? 'td';
      out.push(span > 1 ? `<${tag} colspan="${span}">` : `<${tag}>`);
      toHtml(el.children, out);
      out.push(`</${tag}>`);
    } else if (!HIDDEN.has(el.name)) toHtml(el.children, out);
  }
}

/** The `w:val` of a cell property such as `<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>`. */
function findAttr(cell: Element, property: string): string | undefined {
  for (const child of cell.children) {
    if (child.type !== 'tag' || (child as Element).name !== 'w:tcPr') continue;
    for (const p of (child as Element).children)
      if (p.type === 'tag' && (p as Element).name === property) return (p as Element).attribs['w:val'];
  }
  return undefined;
}

const decoder = new TextDecoder('utf-8');

/** The document's body, then its headers and footers, as one HTML page. */
export function docxToHtml(entries: readonly ArchiveEntry[]): string {
  const parts = [
    ...entries.filter((e) => e.name === 'word/document.xml'),
    ...entries.filter((e) => /^word\/(header|footer)\d*\.xml$/.test(e.name)),
  ];
  const out: string[] = ['<html><body>'];
  for (const part of parts) toHtml(parseDocument(decoder.decode(part.bytes), { xmlMode: true }).children, out);
  out.push('</body></html>');
  return out.join('');
}

/** True when the archive's entries are a Word document's. */
export const isDocx = (entries: readonly ArchiveEntry[]) => entries.some((e) => e.name === 'word/document.xml');
