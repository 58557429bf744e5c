/**
 * HTML to lines of text in which every label sits beside its value. Scripts and styles are dropped,
 * entities decoded (htmlparser2), block structure kept as lines, and tables understood: a header row
 * labels every cell below it, so a saved «Мои услуги» table becomes `Лицевой счёт: 1234…` per service.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { decodeText } from './text.js';

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'object', 'iframe', 'button', 'select']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'ul', 'tr', 'td', 'th',
]);

/** Collects text as lines: inline text joins, block edges break lines. */
class LineWriter {
  private readonly lines: string[] = [];
  private current = '';

  inline(text: string): void {
    if (text === '') return;
    if (text === ' ' && (this.current === '' || this.current.endsWith(' '))) return;
    this.current += this.current.endsWith(' ') && text.startsWith(' ') ? text.slice(1) : text;
  }

  break(): void {
    const line = this.current.trim();
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
      out.break();
      const sub = new LineWriter();
      render(node.children, sub, true);
      for (const l of sub.result().join('\n').split(/\r?\n/)) out.line(l);
    } else if (BLOCKS.has(name)) {
      out.break();
      render(node.children, out, pre);
      out.break();
    } else {
      render(node.children, out, pre);
    }
  }
}

interface Cell {
  lines: string[];
  header: boolean;
  span: number;
}

function cellsOf(row: Element): Cell[] {
  const cells: Cell[] = [];
  for (const child of row.children) {
    if (!isElement(child)) continue;
    const name = child.name.toLowerCase();
    if (name !== 'td' && name !== 'th') continue;
    const sub = new LineWriter();
    render(child.children, sub);
    const span = Math.min(Math.max(Number.parseInt(child.attribs['colspan'] ?? '1', 10) || 1, 1), 100);
    cells.push({ lines: sub.result(), header: name === 'th', span });
  }
  return cells;
}

/** The rows of this table, not of tables nested in its cells. */
function rowsOf(table: Element): Array<{ cells: Cell[]; inHead: boolean }> {
  const rows: Array<{ cells: Cell[]; inHead: boolean }> = [];
  const visit = (parent: Element, inHead: boolean) => {
    for (const child of parent.children) {
      if (!isElement(child)) continue;
      const name = child.name.toLowerCase();
      if (name === 'tr') rows.push({ cells: cellsOf(child), inHead });
      else if (name === 'thead') visit(child, true);
      else if (name === 'tbody' || name === 'tfoot') visit(child, inHead);
    }
  };
  visit(table, false);
  return rows;
}

const single = (c: Cell) => c.lines.length <= 1;
const textOf = (c: Cell) => c.lines.join(' ');

/**
 * Which row, if any, heads the columns: a `<thead>` row or a row of `<th>` cells; failing that, a first
 * row of three or more short digit-free cells above rows that carry digits (saved pages often use
 * `<td>` for headers). Two-column label/value tables never get a header row this way.
 */
function headerIndex(rows: Array<{ cells: Cell[]; inHead: boolean }>): number {
  const explicit = rows.findIndex((r) => r.cells.length > 0 && (r.inHead || r.cells.every((c) => c.header)));
  if (explicit >= 0 && rows.slice(explicit + 1).length > 0 && rows[explicit]!.cells.length > 1) return explicit;
  const first = rows[0];
  if (!first || first.cells.length < 3 || rows.length < 2) return -1;
  const looksLikeHeader = first.cells.every((c) => single(c) && textOf(c).length <= 48 && !/\d/.test(textOf(c)));
  const digitsBelow = rows.slice(1).some((r) => r.cells.some((c) => /\d/.test(textOf(c))));
  return looksLikeHeader && digitsBelow ? 0 : -1;
}

function columnsOf(cells: Cell[]): Array<{ col: number; cell: Cell }> {
  let col = 0;
  return cells.map((cell) => {
    const at = { col, cell };
    col += cell.span;
    return at;
  });
}

function renderTable(table: Element, out: LineWriter): void {
  out.break();
  const rows = rowsOf(table);
  const head = headerIndex(rows);
  const headers = new Map<number, string>();
  if (head >= 0) {
    for (const { col, cell } of columnsOf(rows[head]!.cells)) headers.set(col, textOf(cell));
  }
  rows.forEach((row, r) => {
    if (r === head) {
      out.line(row.cells.map(textOf).join('\t'));
      return;
    }
    const labelled = columnsOf(row.cells).map(({ col, cell }) => {
      const header = r > head && head >= 0 ? headers.get(col) : undefined;
      if (!header || cell.lines.length === 0) return cell.lines;
      const [firstLine, ...rest] = cell.lines;
      return [`${header}: ${firstLine ?? ''}`, ...rest];
    });
    if (labelled.every((lines) => lines.length <= 1)) {
      // One row, one line: the label cell and its value cell stay side by side.
      out.line(labelled.map((lines) => lines[0] ?? '').filter((t) => t !== '').join('\t'));
    } else {
      // A layout table: its cells hold whole blocks of the page.
      for (const lines of labelled) for (const l of lines) out.line(l);
    }
  });
  out.break();
}

/** Renders HTML markup to text lines joined by `\n`. */
export function htmlToText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const out = new LineWriter();
  render(doc.children, out);
  return out.result().join('\n');
}

/** The charset an HTML document declares in its first bytes, if any. */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

export function decodeHtml(bytes: Uint8Array): string {
  return htmlToText(decodeText(bytes, declaredHtmlCharset(bytes)).text);
}
