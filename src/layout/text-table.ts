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
import { LONE_VALUE } from './headers.js';
import { layoutPageExplained, type PageLayout } from './page.js';
import {
  barredCells,
  digitFree,
  expandTabs,
  hasDigit,
  RULER,
  rowOf,
  singleRow,
  spacedCells,
  type TextCell,
  type TextRow,
} from './text-cells.js';

/** A font size under one character, so that a gap of one character (a bar) already separates cells. */
const CHAR_HEIGHT = 0.8;
/** Lines of text are rows this many font heights apart: never stacked as the lines of one cell. */
const ROW_PITCH = 2.5 * CHAR_HEIGHT;
/** Columns of a barred table, placed by ordinal, this many characters apart. */
const BAR_COLUMN = 100;
/**
 * A number a cell wrapped goes on in the next line of text, a row's pitch below (in font heights, and a
 * little more): the pairing stage joins its pieces that far apart, here only.
 */
const WRAP_REACH = ROW_PITCH / CHAR_HEIGHT + 0.1;

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
 * Whether `line`, next to the table line `row`, is one cell within the column of one of its cells (a
 * title across the page is not): a piece of a wrapped header name (no digits), or with `value` a
 * value alone on its line.
 */
function headerPiece(line: string, row: TextRow, value = false): boolean {
  if (RULER.test(line) || (!value && hasDigit(line)) || spacedCells(line) || barredCells(line)) return false;
  const piece = singleRow(line, -1).cells[0]!;
  const sorted = [...row.cells].sort((a, b) => a.start - b.start);
  const k = sorted.findIndex((c) => overlap(c, piece) > 0);
  if (k < 0) return false;
  const next = sorted[k + 1];
  const prev = sorted[k - 1];
  return (!next || piece.end < next.start) && (!prev || piece.start > prev.end);
}

/**
 * The columns of a table whose cells are spaces apart, found from its rows of values as pdfplumber's
 * "text" strategy and Camelot's stream mode find them: the character ranges values occupy, merged
 * where they overlap. Each cell gets the ordinal of its column: a value the column it lies in; a header
 * name the column it starts in, or, starting in the space before a column, that column (a left-aligned
 * name over right-aligned amounts), unless another name stands nearer to it: then the farther name
 * heads a column of its own, one whose cells are all empty. Undefined when two cells of one line fall
 * in one column (the columns are not clear): characters are positions then.
 */
function columnOrdinals(rows: readonly TextRow[]): TextRow[] | undefined {
  const spans = rows
    .filter((r) => !digitFree(r))
    .flatMap((r) => r.cells.map((c) => [c.start, c.end] as [number, number]))
    .sort((x, y) => x[0] - y[0]);
  const columns: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const last = columns.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else columns.push([start, end]);
  }
  const inside = (c: { start: number }) => columns.findIndex(([start, end]) => c.start >= start && c.start < end);
  const after = (c: { start: number }) => {
    const k = columns.findIndex(([start]) => start > c.start);
    return k >= 0 ? k : columns.length;
  };
  // Header names, their wrapped lines grouped where they overlap; a group lies in the column one of
  // its lines starts in, or else in the space before a column.
  const groups: Array<{ start: number; end: number; cells: TextCell[]; ord: number }> = [];
  for (const c of rows
    .filter(digitFree)
    .flatMap((r) => r.cells)
    .sort((x, y) => x.start - y.start)) {
    const last = groups.at(-1);
    if (last && c.start < last.end) {
      last.end = Math.max(last.end, c.end);
      last.cells.push(c);
    } else groups.push({ start: c.start, end: c.end, cells: [c], ord: -1 });
  }
  const gaps = new Map<number, typeof groups>();
  for (const g of groups) {
    const k = g.cells.map(inside).find((n) => n >= 0);
    if (k !== undefined) g.ord = k;
    else gaps.set(after(g), [...(gaps.get(after(g)) ?? []), g]);
  }
  // The group nearest the column is its name (unless a name starts inside it), each farther one the
  // name of a column of its own before it.
  for (const [k, gap] of gaps) {
    const named = groups.some((g) => g.ord === k);
    gap.forEach((g, n) => {
      const fromNearest = gap.length - 1 - n + (named ? 1 : 0);
      g.ord = fromNearest === 0 ? k : k - fromNearest / (gap.length + 1);
    });
  }
  const headerOrdinal = new Map<TextCell, number>();
  for (const g of groups) for (const c of g.cells) headerOrdinal.set(c, g.ord);
  const out: TextRow[] = [];
  for (const row of rows) {
    const cells = row.cells.map((c) => ({
      ...c,
      ord: headerOrdinal.get(c) ?? (inside(c) >= 0 ? inside(c) : after(c)),
    }));
    if (new Set(cells.map((c) => c.ord)).size < cells.length) return undefined;
    out.push({ ...row, cells });
  }
  // Columns numbered 0, 1, 2… again (a column of its own came between two).
  const ordinals = [...new Set(out.flatMap((r) => r.cells.map((c) => c.ord)))].sort((x, y) => x - y);
  for (const r of out) for (const c of r.cells) c.ord = ordinals.indexOf(c.ord);
  return out;
}

/**
 * One text table's lines as the layout stage reads them. Bars delimit the columns (a Markdown table need
 * not line its bars up): a cell's place is its ordinal. Otherwise the columns found from the values, and
 * failing those, characters are columns.
 */
function layTable(rows: TextRow[], options: LayoutOptions & { explain?: boolean }): PageLayout {
  const barred = rows.every((r) => r.barred);
  const spaced = rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, ord: -1 })) }));
  const placed = barred ? rows : columnOrdinals(spaced);
  const byOrdinal = placed !== undefined;
  const items: PositionedItem[] = [];
  joinHeaders(placed ?? spaced, byOrdinal).forEach((row, k) => {
    for (const c of row.cells) {
      const x = byOrdinal ? c.ord * BAR_COLUMN : c.start;
      const width = byOrdinal ? BAR_COLUMN / 2 : c.end - c.start;
      items.push({ text: c.text, x, y: (k + 1) * ROW_PITCH, width, height: CHAR_HEIGHT });
    }
  });
  return layoutPageExplained(items, { ...options, wrapReach: WRAP_REACH, typed: true });
}

/** Plain text with its tables laid out, the numbers paired with labels in them, and how (for `--explain`). */
export interface PlainLayout {
  text: string;
  pairs: PageLayout['pairs'];
  notes: string[];
}

/**
 * Replaces each text table in `text` by its layout (`Лицевой счёт: 4012 3456 7890 12\tПериод: 10.2026`),
 * so the locator reads each value beside the header of its column.
 */
export function layoutPlainText(text: string, options: LayoutOptions): string {
  return layoutPlainTextExplained(text, options).text;
}

/**
 * `layoutPlainText`, with the pairs the pairing stage made in each table (a header over its column's
 * value, however many lines either takes) and, with `explain`, how each table was read.
 */
export function layoutPlainTextExplained(text: string, options: LayoutOptions & { explain?: boolean }): PlainLayout {
  if (!mayHoldTable(text)) return { text, pairs: [], notes: [] };
  return layoutTextTables(text, options);
}

/**
 * Whether `text` may hold a table the layout would change: columns need two spaces, a bar or a tab, and
 * a table is laid out only when a row of it holds a digit (`values` below), so a text without one is
 * given back as it is, and needs no look line by line. Exact: the layout of a text this turns down is
 * the text itself, with no pairs and no notes (a test runs both over the fixtures).
 */
export function mayHoldTable(text: string): boolean {
  return (text.includes('  ') || text.includes('|') || text.includes('\t')) && DIGIT.test(text);
}

const DIGIT = /\d/;

/** The layout proper, with no pre-check (tests compare it with `layoutPlainTextExplained`). */
export function layoutTextTables(text: string, options: LayoutOptions & { explain?: boolean }): PlainLayout {
  const pairs: PlainLayout['pairs'] = [];
  const notes: string[] = [];
  const lines = text.split('\n');
  const lineAt = (j: number) => expandTabs(lines[j]!.replace(/\r$/, ''));
  const out: string[] = [];
  /**
   * Whether a table line follows line `j`, past rulers, blank lines and digit-free lines of one cell
   * (more pieces of a wrapped header), a few lines at most.
   */
  const leadsToTable = (j: number): TextRow | null => {
    for (let k = j + 1; k < Math.min(lines.length, j + 5); k++) {
      const line = lineAt(k);
      const row = rowOf(line, k);
      if (row) return row;
      if (RULER.test(line)) continue;
      // A value alone on its line (the other cells empty) leads on when a table line follows it.
      if (hasDigit(line)) return k + 1 < lines.length ? rowOf(lineAt(k + 1), k + 1) : null;
      if (k === j + MAX_HEADER_LINES) return null;
    }
    return null;
  };
  /**
   * Whether line `j`, of one cell, stays in the table whose last line so far is `above`: a value
   * followed by more of the table or standing right under it within one column, or a piece of a
   * wrapped header name within a column of the line above or below.
   */
  const inRun = (j: number, above: TextRow | undefined): boolean => {
    const line = lineAt(j);
    if (RULER.test(line)) return false;
    const below = leadsToTable(j);
    if (hasDigit(line)) {
      if (below) return true;
      return (
        LONE_VALUE.test(line.trim()) &&
        above !== undefined &&
        lines.slice(above.at + 1, j).every((l) => RULER.test(l)) &&
        headerPiece(line, above, true)
      );
    }
    return (
      (below !== null && headerPiece(line, below)) ||
      (above !== undefined && below !== null && headerPiece(line, above))
    );
  };
  /** Whether the first line past the rulers after line `j` is a value alone that stays in the table. */
  const loneAfter = (j: number, above: TextRow | undefined): boolean => {
    let k = j + 1;
    while (k < lines.length && k < j + 4 && RULER.test(lineAt(k))) k++;
    return k < lines.length && !rowOf(lineAt(k), k) && inRun(k, above);
  };
  /** Lines before this one are laid out already (a table ended here). */
  let laidUntil = 0;
  let changed = false;
  for (let i = 0; i < lines.length; ) {
    const first = rowOf(lineAt(i), i);
    if (!first || (first.cells.length < 2 && !first.barred)) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    // The run of table lines (rulers and blank lines inside it are kept out of the layout). Lines of one
    // cell belong to it where they are pieces of wrapped header names: just above its first line, each
    // within one of its columns, or between its lines.
    let start = i;
    while (start > laidUntil && start > i - MAX_HEADER_LINES + 1 && headerPiece(lineAt(start - 1), first)) start--;
    let end = i;
    const rows: TextRow[] = [];
    for (let j = start; j < i; j++) rows.push(singleRow(lineAt(j), j));
    for (let j = i; j < lines.length; j++) {
      const line = lineAt(j);
      const row = rowOf(line, j) ?? (j > i && inRun(j, rows.at(-1)) ? singleRow(line, j) : null);
      if (row) {
        rows.push(row);
        end = j + 1;
      } else if (!(RULER.test(line) && (leadsToTable(j) !== null || loneAfter(j, rows.at(-1))))) break;
    }
    const header = rows.some(digitFree);
    const values = rows.some((r) => !digitFree(r));
    if (rows.length < 2 || !header || !values) {
      for (let j = i; j < end; j++) out.push(lines[j]!);
      i = end;
      continue;
    }
    const table = layTable(rows, options);
    out.splice(out.length - (i - start), i - start, ...table.text.split('\n'));
    pairs.push(...table.pairs);
    if (options.explain) notes.push(`text table, lines ${start + 1}–${end}:`, ...table.notes);
    changed = true;
    laidUntil = end;
    i = end;
  }
  return { text: changed ? out.join('\n') : text, pairs, notes };
}
