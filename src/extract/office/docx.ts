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

function toHtml(nodes: readonly ChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type !== 'tag') continue;
    const el = node as Element;
    switch (el.name) {
      case 'w:t':
        out.push(escapeHtml(textContent(el)));
        break;
      case 'w:tab':
      case 'w:ptab':
        out.push(' ');
        break;
      case 'w:br':
      case 'w:cr':
        out.push('<br>');
        break;
      case 'w:p':
        out.push('<div>');
        toHtml(el.children, out);
        out.push('</div>');
        break;
      case 'w:tbl':
        out.push('<table>');
        toHtml(el.children, out);
        out.push('</table>');
        break;
      case 'w:tr':
        out.push('<tr>');
        toHtml(el.children, out);
        out.push('</tr>');
        break;
      case 'w:tc': {
        const span = Number(findAttr(el, 'w:gridSpan') ?? 1);
        out.push(span > 1 ? `<td colspan="${span}">` : '<td>');
        toHtml(el.children, out);
        out.push('</td>');
        break;
      }
      default:
        if (!HIDDEN.has(el.name)) toHtml(el.children, out);
    }
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
