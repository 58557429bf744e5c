/**
 * The cells of a line of fixed-width plain text, in character columns: between bars (`| a | b |`), or
 * two or more spaces apart. Shared by the text-table layout (text-table.ts) and the pairing of plain
 * text by position (text-pairs.ts).
 */
// Cells are two or more spaces apart, or a tab.
const SPACED_SPLIT = /\s{2,}|\t/g;
// A line of a barred table: a bar at its start, or a bar with a space beside it inside. A bar with
// letters on both sides (`ST00012|Name=…|PersAcc=…`, a payment QR payload) is not a column.
const BARRED = /^\s*\||\s\|\s|\s\|$/;
export const RULER = /^[\s\-=+|_:.~*]*$/;
export const QR_PAYLOAD = /ST0001[123]/;

export interface TextCell {
  text: string;
  /** Character columns [start, end). */
  start: number;
  end: number;
  /** Ordinal between bars (barred lines), else -1. */
  ord: number;
}

export interface TextRow {
  at: number;
  cells: TextCell[];
  barred: boolean;
}

export const hasDigit = (s: string) => /\d/.test(s);
export const digitFree = (row: TextRow) => row.cells.every((c) => !hasDigit(c.text));

/** The cells between the bars of a line (`| a | | b |`): empty cells keep their ordinal. */
export function barredCells(line: string): TextCell[] | null {
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
export function spacedCells(line: string): TextCell[] | null {
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

export function rowOf(line: string, at: number): TextRow | null {
  if (RULER.test(line)) return null;
  const barred = barredCells(line);
  if (barred) return { at, cells: barred, barred: true };
  const spaced = spacedCells(line);
  return spaced ? { at, cells: spaced, barred: false } : null;
}

/** Tabs would make columns mean nothing; a tab stops at the next multiple of eight, as terminals print it. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? `${' '.repeat(8 - (out.length % 8))} ` : ch;
  return out;
}

export function singleRow(line: string, at: number): TextRow {
  const start = line.search(/\S/);
  return { at, cells: [{ text: line.trim(), start, end: line.trimEnd().length, ord: -1 }], barred: false };
}
