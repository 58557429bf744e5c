/**
 * Spreadsheets (.xlsx, Office Open XML) as HTML tables, one per sheet in the workbook's order, so a
 * statement's column header «Лицевой счёт» labels every cell under it as a table header does on a
 * page. Cells are placed by their reference (`C7`), so empty cells keep the columns aligned. A number
 * stored as a numeric cell (an account typed into Excel) is written out in full, never as `3.6E+13`.
 */

import type { Element } from 'domhandler';
import { getElementsByTagName, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { ArchiveEntry } from '../archive/zip.js';
import { escapeHtml } from './markup.js';

const decoder = new TextDecoder('utf-8');
const xml = (entry: ArchiveEntry | undefined) =>
  entry ? parseDocument(decoder.decode(entry.bytes), { xmlMode: true }).children : [];

/** `3.6000111222333E+13` and `36000111222333` alike as the integer's digits; other numbers as stored. */
export function numberText(stored: string): string {
  if (!/^-?\d+(\.\d+)?(E[+-]?\d+)?$/i.test(stored)) return stored;
  const n = Number(stored);
  return Number.isSafeInteger(n) ? String(n) : stored;
}

/** The zero-based column of a reference such as `AB12`. */
function column(ref: string): number {
  let col = 0;
  for (const ch of /^[A-Z]+/.exec(ref)?.[0] ?? 'A') col = col * 26 + (ch.charCodeAt(0) - 64);
  return col - 1;
}

function cellText(cell: Element, shared: readonly string[]): string {
  const type = cell.attribs['t'];
  if (type === 'inlineStr') return textContent(getElementsByTagName('t', cell));
  const value = getElementsByTagName('v', cell)[0];
  const stored = value ? textContent(value) : '';
  if (type === 's') return shared[Number(stored)] ?? '';
  if (type === 'str' || type === 'e' || type === 'b') return stored;
  return numberText(stored);
}

function sheetToHtml(name: string, sheet: ArchiveEntry | undefined, shared: readonly string[]): string {
  const rows: string[] = [];
  for (const row of getElementsByTagName('row', xml(sheet))) {
    const cells: string[] = [];
    for (const cell of getElementsByTagName('c', row.children, false)) {
      const at = column(cell.attribs['r'] ?? '');
      while (cells.length < at) cells.push('');
      cells.push(cellText(cell, shared));
    }
    rows.push(`<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
  }
  return `<h2>${escapeHtml(name)}</h2><table>${rows.join('')}</table>`;
}

/** Every sheet of the workbook, in its order, as one HTML page. */
export function xlsxToHtml(entries: readonly ArchiveEntry[]): string {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const shared = getElementsByTagName('si', xml(byName.get('xl/sharedStrings.xml'))).map((si) =>
    // Rich text keeps its runs' text; phonetic hints (`rPh`) are not part of the cell's text.
    getElementsByTagName('t', si)
      .filter((t) => (t.parent as Element | null)?.name !== 'rPh')
      .map((t) => textContent(t))
      .join(''),
  );
  const targets = new Map(
    getElementsByTagName('Relationship', xml(byName.get('xl/_rels/workbook.xml.rels'))).map((r) => [
      r.attribs['Id'],
      r.attribs['Target'] ?? '',
    ]),
  );
  const html = getElementsByTagName('sheet', xml(byName.get('xl/workbook.xml'))).map((sheet) => {
    const target = targets.get(sheet.attribs['r:id']) ?? '';
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    return sheetToHtml(sheet.attribs['name'] ?? '', byName.get(path), shared);
  });
  return `<html><body>${html.join('')}</body></html>`;
}

/** True when the archive's entries are a spreadsheet's. */
export const isXlsx = (entries: readonly ArchiveEntry[]) => entries.some((e) => e.name === 'xl/workbook.xml');
