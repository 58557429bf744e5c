/**
 * HTML to lines of text in which every label sits beside its value. Scripts and styles are dropped,
 * entities decoded (htmlparser2), block structure kept as lines, and tables understood: a header row
 * labels every cell below it, so a saved «Мои услуги» table becomes `Лицевой счёт: 1234…` per service.
 * Cells spanning rows or columns are placed on a grid as browsers do; the header is the `<thead>`
 * (or the leading `<th>` rows), below any group rows, and a row header spanning rows heads each of them.
 */

import type { ChildNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { DEFAULT_LENGTHS } from '../account.js';
import { labelled as labelledText } from '../layout/headers.js';
import { layoutPlainText } from '../layout/text-table.js';
import type { PositionedPair } from '../locate/pairs.js';
import { type GridCell, type GridSlot, joinBoxedDigits, pairGrid, valignOf } from './html-grid.js';
import { latin1 } from './text/node.js';
import { decodeText } from './text/read.js';
import type { TextBlock } from './types.js';

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'svg',
  'object',
  'iframe',
  'button',
  'select',
]);
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'ul',
  'tr',
  'td',
  'th',
]);

/** Collects text as lines: inline text joins, block edges break lines. */
class LineWriter {
  private readonly lines: string[] = [];
  private current = '';
  /** Numbers in the tables paired with their labels by position (html-grid.ts), and how. */
  readonly pairs: PositionedPair[] = [];
  readonly notes: string[] = [];

  /**
   * `pairing`: the tables' cells go through the pairing stage (only where someone uses the pairs: an
   * HTML document's reader, not `htmlToText`'s callers, who take the text alone).
   */
  constructor(
    private readonly verbatim = false,
    readonly explain = false,
    readonly pairing = false,
  ) {}

  /** What a writer of a part of this one (a cell) paired. */
  adopt(sub: LineWriter): void {
    this.pairs.push(...sub.pairs);
    this.notes.push(...sub.notes);
  }

  inline(text: string): void {
    if (text === '') return;
    if (text === ' ' && (this.current === '' || this.current.endsWith(' '))) return;
    this.current += this.current.endsWith(' ') && text.startsWith(' ') ? text.slice(1) : text;
  }

  break(): void {
    // Preformatted text keeps the spaces that start its lines (its columns); other text is trimmed.
    const line = this.verbatim ? this.current.replace(/^(?:[ \t]*\r?\n)+|\s+$/g, '') : this.current.trim();
    if (line !== '') this.lines.push(line);
    this.current = '';
  }

  /** A line of its own, e.g. a rendered table row. */
  line(text: string): void {
    this.break();
    if (text.trim() !== '') this.lines.push(text.trim());
  }

  result(): string[] {
    this.break();
    return this.lines;
  }
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function render(nodes: readonly ChildNode[], out: LineWriter, pre = false): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      out.inline(pre ? node.data : node.data.replace(/[ \t\r\n\f]+/g, ' '));
      continue;
    }
    if (!isElement(node)) continue;
    const name = node.name.toLowerCase();
    if (SKIPPED.has(name)) continue;
    if (pre && node.type === 'tag' && name === 'br') {
      out.inline('\n');
      continue;
    }
    if (name === 'br') {
      out.break();
    } else if (name === 'table') {
      renderTable(node, out);
    } else if (name === 'pre') {
      // Preformatted text keeps its columns: a text table (`<pre>` in a mailed statement) is laid out
      // as in a text document before its lines join the page's.
      out.break();
      const sub = new LineWriter(true);
      render(node.children, sub, true);
      const text = sub.result().join('\n');
      for (const l of layoutPlainText(text, { lengths: DEFAULT_LENGTHS }).split(/\r?\n/)) out.line(l);
    } else if (BLOCKS.has(name)) {
      out.break();
      render(node.children, out, pre);
      out.break();
    } else {
      render(node.children, out, pre);
    }
  }
}

interface Cell extends GridCell {
  header: boolean;
}

const spanOf = (value: string | undefined) => Math.min(Math.max(Number.parseInt(value ?? '1', 10) || 1, 1), 100);

const DIGIT_GROUPS = /^[\d \u00A0\u2009\u202F\-\u2010-\u2013]+$/;

/**
 * A number broken over the lines of a narrow cell (`42-` / `2251-7302-2185`) is one number again. Only
 * when its first line is shorter than any account (a whole account over another stays two).
 */
function joinWrappedNumber(lines: string[]): string[] {
  if (lines.length < 2 || !lines.every((l) => DIGIT_GROUPS.test(l))) return lines;
  if (lines[0]!.replace(/\D/g, '').length >= 12) return lines;
  let text = lines[0]!;
  for (const l of lines.slice(1)) text += /[-\u2010-\u2013]$/.test(text) ? l : ` ${l}`;
  return [text];
}

function cellsOf(row: Element, out: LineWriter): Cell[] {
  const cells: Cell[] = [];
  for (const child of row.children) {
    if (!isElement(child)) continue;
    const name = child.name.toLowerCase();
    if (name !== 'td' && name !== 'th') continue;
    const sub = new LineWriter(false, out.explain, out.pairing);
    render(child.children, sub);
    out.adopt(sub);
    cells.push({
      lines: joinWrappedNumber(sub.result()),
      header: name === 'th',
      colspan: spanOf(child.attribs.colspan),
      rowspan: spanOf(child.attribs.rowspan),
      valign: valignOf(child),
    });
  }
  return cells;
}

/** The rows of this table, not of tables nested in its cells. */
function rowsOf(table: Element, out: LineWriter): Array<{ cells: Cell[]; inHead: boolean }> {
  const rows: Array<{ cells: Cell[]; inHead: boolean }> = [];
  const visit = (parent: Element, inHead: boolean) => {
    for (const child of parent.children) {
      if (!isElement(child)) continue;
      const name = child.name.toLowerCase();
      if (name === 'tr') rows.push({ cells: joinBoxedDigits(cellsOf(child, out)), inHead });
      else if (name === 'thead') visit(child, true);
      else if (name === 'tbody' || name === 'tfoot') visit(child, inHead);
    }
  };
  visit(table, false);
  return rows;
}

const single = (c: Cell) => c.lines.length <= 1;
const textOf = (c: Cell) => c.lines.join(' ');

interface Placed {
  cell: Cell;
  row: number;
  col: number;
}

/**
 * The table as a grid: each cell placed at the first free column of its row, covering the rows and
 * columns it spans, as browsers lay tables out. `grid[r][c]` is the cell over that slot.
 */
function gridOf(rows: Array<{ cells: Cell[] }>): Array<Array<Placed | undefined>> {
  const grid: Array<Array<Placed | undefined>> = rows.map(() => []);
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row.cells) {
      while (grid[r]![col]) col++;
      const placed = { cell, row: r, col };
      for (let dr = 0; dr < cell.rowspan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < cell.colspan; dc++) grid[r + dr]![col + dc] = placed;
      }
      col += cell.colspan;
    }
  });
  return grid;
}

/** A row above the header that groups its columns («Реквизиты» over three of them): one cell spanning several. */
const isGroupRow = (row: { cells: Cell[] }) =>
  row.cells.length === 1 && row.cells[0]!.colspan > 1 && !/\d/.test(textOf(row.cells[0]!));

/**
 * How many rows at the top head the columns: the `<thead>` rows, or the leading rows of `<th>` cells
 * (group rows above them included); failing that, a first row of three or more short digit-free cells
 * above rows that carry digits (saved pages often use `<td>` for headers), perhaps under group rows.
 * Two-column label/value tables never get a header row this way. 0 when no row heads the columns.
 */
function headerRows(rows: Array<{ cells: Cell[]; inHead: boolean }>): number {
  let n = 0;
  while (n < rows.length && (rows[n]!.inHead || (rows[n]!.cells.length > 0 && rows[n]!.cells.every((c) => c.header))))
    n++;
  const width = (k: number) => rows[k]!.cells.reduce((w, c) => w + c.colspan, 0);
  if (n > 0 && n < rows.length && Math.max(...rows.slice(0, n).map((_, k) => width(k))) > 1) return n;
  let first = 0;
  while (first < rows.length && isGroupRow(rows[first]!)) first++;
  const head = rows[first];
  if (!head || head.cells.length < 3 || rows.length < first + 2) return 0;
  const looksLikeHeader = head.cells.every((c) => single(c) && textOf(c).length <= 48 && !/\d/.test(textOf(c)));
  const digitsBelow = rows.slice(first + 1).some((r) => r.cells.some((c) => /\d/.test(textOf(c))));
  return looksLikeHeader && digitsBelow ? first + 1 : 0;
}

function renderTable(table: Element, out: LineWriter): void {
  out.break();
  const rows = rowsOf(table, out);
  const head = headerRows(rows);
  const grid = gridOf(rows);
  if (out.pairing) pairTable(grid, out);
  // Each column is headed by the lowest header cell over it (a column header, not the group above it).
  const headers = new Map<number, string>();
  for (let r = 0; r < head; r++) {
    grid[r]!.forEach((slot, col) => {
      const text = slot ? textOf(slot.cell) : '';
      if (text !== '') headers.set(col, text);
    });
  }
  rows.forEach((row, r) => {
    if (r < head) {
      out.line(row.cells.map(textOf).join('\t'));
      return;
    }
    const labelled: string[][] = [];
    grid[r]!.forEach((slot, col) => {
      if (!slot || slot.col !== col) return;
      if (slot.row !== r) {
        // A row header spanning several rows («Лицевой счёт» beside two lines) heads each of them.
        if (slot.cell.header && slot.cell.lines.length > 0 && col === 0) labelled.push([textOf(slot.cell)]);
        return;
      }
      // A cell over several columns («Итого» across three) is headed only by a header they share.
      const spanned = Array.from({ length: slot.cell.colspan }, (_, k) => headers.get(col + k));
      const header = head > 0 && spanned.every((h) => h === spanned[0]) ? spanned[0] : undefined;
      const cell = slot.cell;
      if (!header || cell.lines.length === 0) {
        labelled.push(cell.lines);
        return;
      }
      const [firstLine, ...rest] = cell.lines;
      labelled.push([labelledText(header, firstLine ?? ''), ...rest]);
    });
    if (labelled.every((lines) => lines.length <= 1)) {
      // One row, one line: the label cell and its value cell stay side by side.
      out.line(
        labelled
          .map((lines) => lines[0] ?? '')
          .filter((t) => t !== '')
          .join('\t'),
      );
    } else {
      // A layout table: its cells hold whole blocks of the page.
      for (const lines of labelled) for (const l of lines) out.line(l);
    }
  });
  out.break();
}

/** The table's cells by position through the pairing stage: its pairs, and with `explain` how. */
function pairTable(grid: Array<Array<Placed | undefined>>, out: LineWriter): void {
  const slots: GridSlot[] = [];
  grid.forEach((row, r) => {
    row.forEach((slot, c) => {
      if (slot && slot.row === r && slot.col === c && slot.cell.lines.length > 0) slots.push(slot);
    });
  });
  const paired = pairGrid(slots, grid.length, { lengths: DEFAULT_LENGTHS, explain: out.explain });
  out.pairs.push(...paired.pairs);
  if (paired.notes.length > 0) out.notes.push(`table of ${grid.length} rows by position:`, ...paired.notes);
}

/** Renders HTML markup to text lines joined by `\n`. */
export function htmlToText(html: string): string {
  return renderHtml(html, new LineWriter()).text;
}

/**
 * HTML as text, with the numbers of its tables paired with their labels by position (for the locator)
 * and, with `explain`, how each was paired.
 */
export function htmlToTextPaired(
  html: string,
  explain = false,
): { text: string; pairs: PositionedPair[]; notes: string[] } {
  return renderHtml(html, new LineWriter(false, explain, true));
}

function renderHtml(html: string, out: LineWriter): { text: string; pairs: PositionedPair[]; notes: string[] } {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  render(doc.children, out);
  return { text: out.result().join('\n'), pairs: out.pairs, notes: out.notes };
}

/** The charset an HTML document declares in its first bytes, if any. */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = latin1(bytes.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/** An HTML document's bytes as one block of text, with its tables' pairs and (with `explain`) how they were made. */
export function readHtmlBlock(html: Uint8Array | string, explain = false): TextBlock {
  const text = typeof html === 'string' ? html : decodeText(html, declaredHtmlCharset(html)).text;
  const read = htmlToTextPaired(text, explain);
  return {
    text: read.text,
    origin: 'html',
    ...(read.pairs.length > 0 ? { pairs: read.pairs } : {}),
    ...(read.notes.length > 0 ? { layout: read.notes } : {}),
  };
}
