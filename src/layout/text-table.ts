/**
 * Fixed-width plain text through the same layout as PDF pages: in a table printed with spaces or `|`
 * between columns (bank statements, accounting exports), a character's column is its x and a line's
 * number its y. Only runs of lines that look like a table (a digit-free header line over lines of
 * values, cells two spaces or a bar apart) are laid out; every other line is left exactly as it was.
 */
import type { LayoutOptions, PositionedItem } from './chunks.js';
import { layoutPage } from './index.js';

// Cells are two or more spaces apart, or a bar with a space beside it (`a | b`, `|a|` at a line's edge).
// A bar with letters on both sides (`ST00012|Name=…|PersAcc=…`, a payment QR payload) is not a column.
const CELL_SPLIT = /\s{2,}|\s\|\s?|\|\s|^\||\|$|\t/g;
const RULER = /^[\s\-=+|_:.~*]*$/;
/** A font size under one character, so that a gap of one character (a bar) already separates cells. */
const CHAR_HEIGHT = 0.8;
/** Columns of a barred table, placed by ordinal, this many characters apart. */
const BAR_COLUMN = 100;

interface Columnar {
  cells: Array<{ text: string; col: number }>;
}

function columnar(line: string): Columnar | null {
  if (!line.includes('  ') && !line.includes('|') && !line.includes('\t')) return null;
  if (/ST0001[123]/.test(line)) return null;
  const cells: Array<{ text: string; col: number }> = [];
  let start = 0;
  const push = (end: number) => {
    const raw = line.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '') cells.push({ text, col: start + lead });
  };
  CELL_SPLIT.lastIndex = 0;
  for (let m = CELL_SPLIT.exec(line); m; m = CELL_SPLIT.exec(line)) {
    push(m.index);
    start = m.index + m[0].length;
    if (m[0].length === 0) CELL_SPLIT.lastIndex++;
  }
  push(line.length);
  return cells.length >= 2 ? { cells } : null;
}

function single(line: string): Columnar {
  return { cells: [{ text: line.trim(), col: line.length - line.trimStart().length }] };
}

/** Tabs would make columns mean nothing; a tab stops at the next multiple of eight, as terminals print it. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? `${' '.repeat(8 - (out.length % 8))} ` : ch;
  return out;
}

/**
 * Replaces each text table in `text` by its layout (`Лицевой счёт: 4012 3456 7890 12\tПериод: 10.2026`),
 * so the locator reads each value beside the header of its column.
 */
export function layoutPlainText(text: string, options: LayoutOptions): string {
  if (!text.includes('  ') && !text.includes('|') && !text.includes('\t')) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; ) {
    const first = columnar(expandTabs(lines[i]!.replace(/\r$/, '')));
    if (!first) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    // The run of columnar lines (rulers and blank lines inside it are kept out of the layout).
    let end = i;
    const rows: Array<{ at: number; row: Columnar }> = [];
    for (let j = i; j < lines.length; j++) {
      const line = expandTabs(lines[j]!.replace(/\r$/, ''));
      // A header name wrapped to a second line may leave that line a single cell: it stays in the run
      // when columnar lines stand on both sides of it.
      const row =
        columnar(line) ??
        (j > i && !RULER.test(line) && j + 1 < lines.length && columnar(expandTabs(lines[j + 1]!.replace(/\r$/, '')))
          ? single(line)
          : null);
      if (row) {
        rows.push({ at: j, row });
        end = j + 1;
      } else if (!(RULER.test(line) && j + 1 < lines.length && columnar(expandTabs(lines[j + 1]!.replace(/\r$/, '')))))
        break;
    }
    const header = rows.some((r) => r.row.cells.every((c) => !/\d/.test(c.text)));
    const values = rows.some((r) => r.row.cells.some((c) => /\d/.test(c.text)));
    if (rows.length < 2 || !header || !values) {
      for (let j = i; j < end; j++) out.push(lines[j]!);
      i = end;
      continue;
    }
    // Bars delimit the columns (a Markdown table need not line its bars up): a cell's place is its
    // ordinal. Otherwise characters are columns.
    const barred = rows.every(({ at }) => /^\s*\||\s\|\s/.test(lines[at]!));
    const items: PositionedItem[] = [];
    for (const { at, row } of rows) {
      row.cells.forEach((c, k) => {
        const x = barred ? k * BAR_COLUMN : c.col;
        const width = barred ? BAR_COLUMN / 2 : c.text.length;
        items.push({ text: c.text, x, y: at - i + 1, width, height: CHAR_HEIGHT });
      });
    }
    out.push(...layoutPage(items, options).split('\n'));
    changed = true;
    i = end;
  }
  return changed ? out.join('\n') : text;
}
