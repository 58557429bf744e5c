/**
 * Fixed-width plain text through the same layout as PDF pages: in a table printed with spaces or `|`
 * between columns (bank statements, accounting exports), a character's column is its x and a line's
 * number its y. Only runs of lines that look like a table (a digit-free header line over lines of
 * values, cells two spaces or a bar apart) are laid out; every other line is left exactly as it was.
 *
 * A header name wrapped over several lines («Номер лицевого» over «счёта», while the next column's
 * name fits on one line) is one header: its lines are joined column by column before the layout sees
 * them, by the bar they stand between or by the characters they share, so each value still finds the
 * whole name of its column however unevenly the names wrap.
 */
import type { LayoutOptions, PositionedItem } from './chunks.js';
import { layoutPage } from './index.js';

// Cells are two or more spaces apart, or a tab.
const SPACED_SPLIT = /\s{2,}|\t/g;
// A line of a barred table: a bar at its start, or a bar with a space beside it inside. A bar with
// letters on both sides (`ST00012|Name=…|PersAcc=…`, a payment QR payload) is not a column.
const BARRED = /^\s*\||\s\|\s|\s\|$/;
const RULER = /^[\s\-=+|_:.~*]*$/;
const QR_PAYLOAD = /ST0001[123]/;
/** A font size under one character, so that a gap of one character (a bar) already separates cells. */
const CHAR_HEIGHT = 0.8;
/** Lines of text are rows this many font heights apart: never stacked as the lines of one cell. */
const ROW_PITCH = 2.5 * CHAR_HEIGHT;
/** Columns of a barred table, placed by ordinal, this many characters apart. */
const BAR_COLUMN = 100;

interface TextCell {
  text: string;
  /** Character columns [start, end). */
  start: number;
  end: number;
  /** Ordinal between bars (barred lines), else -1. */
  ord: number;
}

interface TextRow {
  at: number;
  cells: TextCell[];
  barred: boolean;
}

const hasDigit = (s: string) => /\d/.test(s);
const digitFree = (row: TextRow) => row.cells.every((c) => !hasDigit(c.text));

/** The cells between the bars of a line (`| a | | b |`): empty cells keep their ordinal. */
function barredCells(line: string): TextCell[] | null {
  if (!BARRED.test(line) || QR_PAYLOAD.test(line)) return null;
  // Segments [from, to) between bars; text before the first bar or after the last is a cell when not blank.
  const bounds: number[] = [-1];
  for (let k = line.indexOf('|'); k >= 0; k = line.indexOf('|', k + 1)) bounds.push(k);
  bounds.push(line.length);
  const segments: Array<[number, number]> = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]! + 1;
    const to = bounds[k + 1]!;
    const outer = k === 0 || k + 2 === bounds.length;
    if (outer && line.slice(from, to).trim() === '') continue;
    segments.push([from, to]);
  }
  const cells: TextCell[] = [];
  segments.forEach(([from, to], ord) => {
    const raw = line.slice(from, to);
    const text = raw.trim();
    if (text === '') return;
    const start = from + raw.length - raw.trimStart().length;
    cells.push({ text, start, end: start + text.length, ord });
  });
  return segments.length >= 2 && cells.length >= 1 ? cells : null;
}

/** The cells of a line whose columns are two or more spaces apart. */
function spacedCells(line: string): TextCell[] | null {
  if (!line.includes('  ') && !line.includes('\t')) return null;
  if (QR_PAYLOAD.test(line)) return null;
  const cells: TextCell[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = line.slice(start, end);
    const text = raw.trim();
    if (text === '') return;
    const from = start + raw.length - raw.trimStart().length;
    cells.push({ text, start: from, end: from + text.length, ord: -1 });
  };
  SPACED_SPLIT.lastIndex = 0;
  for (let m = SPACED_SPLIT.exec(line); m; m = SPACED_SPLIT.exec(line)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(line.length);
  return cells.length >= 2 ? cells : null;
}

function rowOf(line: string, at: number): TextRow | null {
  if (RULER.test(line)) return null;
  const barred = barredCells(line);
  if (barred) return { at, cells: barred, barred: true };
  const spaced = spacedCells(line);
  return spaced ? { at, cells: spaced, barred: false } : null;
}

/** Tabs would make columns mean nothing; a tab stops at the next multiple of eight, as terminals print it. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? `${' '.repeat(8 - (out.length % 8))} ` : ch;
  return out;
}

const overlap = (a: TextCell, b: TextCell) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

/** The header cell `cell` continues: the one between the same bars, or the one sharing most characters. */
function headerCellOver(header: TextRow, cell: TextCell, barred: boolean): TextCell | undefined {
  if (barred) return header.cells.find((h) => h.ord === cell.ord);
  let best: TextCell | undefined;
  for (const h of header.cells) if (overlap(h, cell) > 0 && (!best || overlap(h, cell) > overlap(best, cell))) best = h;
  return best;
}

/**
 * Whether a digit-free line right under a header line continues its names rather than being a row
 * of its own: some name wrapped and others did not (the lines have cells in different columns), or a
 * cell reads on from the line above (a small letter, «№»).
 */
function continuesHeader(header: TextRow, row: TextRow, barred: boolean): boolean {
  if (row.cells.some((c) => /^[\p{Ll}№(,]/u.test(c.text))) return true;
  if (row.cells.length !== header.cells.length) return true;
  return row.cells.some((c) => !headerCellOver(header, c, barred));
}

/** The header line `header` with the names of `row` joined to theirs column by column. */
function joinHeader(header: TextRow, row: TextRow, barred: boolean): TextRow {
  const cells = header.cells.map((c) => ({ ...c }));
  for (const c of row.cells) {
    const over = headerCellOver({ ...header, cells }, c, barred);
    if (over) {
      over.text = `${over.text} ${c.text}`;
      over.start = Math.min(over.start, c.start);
      over.end = Math.max(over.end, c.end);
    } else cells.push({ ...c });
  }
  cells.sort((a, b) => (barred ? a.ord - b.ord : a.start - b.start));
  return { ...header, cells };
}

/** Lines a header name wraps over at most. */
const MAX_HEADER_LINES = 3;

/**
 * The rows of a table with each header's wrapped lines joined into one header row: the digit-free
 * lines right above a row of values (up to three: «Personal account» over «No.»), and any digit-free
 * line that reads on from the one above it.
 */
function joinHeaders(rows: readonly TextRow[], barred: boolean): TextRow[] {
  const out: TextRow[] = [];
  for (let k = 0; k < rows.length; ) {
    // A group: digit-free rows on consecutive lines.
    let end = k + 1;
    if (digitFree(rows[k]!))
      while (end < rows.length && digitFree(rows[end]!) && rows[end]!.at === rows[end - 1]!.at + 1) end++;
    let header = rows[k]!;
    const overValues = end < rows.length && end - k <= MAX_HEADER_LINES;
    for (let j = k + 1; j < end; j++) {
      const row = rows[j]!;
      if (overValues || continuesHeader(header, row, barred)) header = joinHeader(header, row, barred);
      else {
        out.push(header);
        header = row;
      }
    }
    out.push(header);
    k = end;
  }
  return out;
}

/**
 * Replaces each text table in `text` by its layout (`Лицевой счёт: 4012 3456 7890 12\tПериод: 10.2026`),
 * so the locator reads each value beside the header of its column.
 */
export function layoutPlainText(text: string, options: LayoutOptions): string {
  if (!text.includes('  ') && !text.includes('|') && !text.includes('\t')) return text;
  const lines = text.split('\n');
  const lineAt = (j: number) => expandTabs(lines[j]!.replace(/\r$/, ''));
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; ) {
    const first = rowOf(lineAt(i), i);
    if (!first || (first.cells.length < 2 && !first.barred)) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    // The run of table lines (rulers and blank lines inside it are kept out of the layout).
    let end = i;
    const rows: TextRow[] = [];
    for (let j = i; j < lines.length; j++) {
      const line = lineAt(j);
      const next = j + 1 < lines.length ? rowOf(lineAt(j + 1), j + 1) : null;
      // A header name wrapped to a second line may leave that line a single cell: it stays in the run
      // when table lines stand on both sides of it.
      const row =
        rowOf(line, j) ??
        (j > i && !RULER.test(line) && next
          ? {
              at: j,
              cells: [{ text: line.trim(), start: line.search(/\S/), end: line.trimEnd().length, ord: -1 }],
              barred: false,
            }
          : null);
      if (row) {
        rows.push(row);
        end = j + 1;
      } else if (!(RULER.test(line) && next)) break;
    }
    const header = rows.some(digitFree);
    const values = rows.some((r) => !digitFree(r));
    if (rows.length < 2 || !header || !values) {
      for (let j = i; j < end; j++) out.push(lines[j]!);
      i = end;
      continue;
    }
    // Bars delimit the columns (a Markdown table need not line its bars up): a cell's place is its
    // ordinal. Otherwise characters are columns.
    const barred = rows.every((r) => r.barred);
    const items: PositionedItem[] = [];
    joinHeaders(
      barred ? rows : rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, ord: -1 })) })),
      barred,
    ).forEach((row, k) => {
      for (const c of row.cells) {
        const x = barred ? c.ord * BAR_COLUMN : c.start;
        const width = barred ? BAR_COLUMN / 2 : c.end - c.start;
        items.push({ text: c.text, x, y: (k + 1) * ROW_PITCH, width, height: CHAR_HEIGHT });
      }
    });
    out.push(...layoutPage(items, options).split('\n'));
    changed = true;
    i = end;
  }
  return changed ? out.join('\n') : text;
}
