/**
 * An HTML table's cells as positioned text: a cell grid is geometry too. Each cell is set in its
 * columns' x-range and its rows' band, its lines one under another, aligned in the band as the cell's
 * `valign` (or CSS `vertical-align`) says — middle by default, as browsers set table cells. The one
 * pairing stage (layout/pairs.ts) then pairs each number with the label a reader connects it to: the
 * row header beside it, the label above it in its cell, its column's header however many lines tall.
 */
import type { Element } from 'domhandler';
import { type PositionedItem, pairPage } from '../layout/index.js';
import type { PositionedPair } from '../locate/pairs.js';

export type VAlign = 'top' | 'middle' | 'bottom';

export interface GridCell {
  lines: string[];
  colspan: number;
  rowspan: number;
  valign: VAlign;
}

/** A cell at its place in the grid (html.ts places cells as browsers do). */
export interface GridSlot {
  cell: GridCell;
  row: number;
  col: number;
}

/**
 * A form's digits one per box (a run of one-digit cells, empty cells parting the groups) as the number
 * they print, in one cell spanning theirs: «5 | 1 | 2 | 0 | …» read cell by cell would be fourteen
 * numbers of one digit.
 */
export function joinBoxedDigits<C extends GridCell>(cells: C[]): C[] {
  const box = (c: C) => c.colspan === 1 && c.rowspan === 1 && /^\d?$/.test(textOf(c).trim());
  const out: C[] = [];
  const textOf = (c: C) => c.lines.join(' ');
  for (let i = 0; i < cells.length; ) {
    let j = i;
    while (j < cells.length && box(cells[j]!)) j++;
    // The run from its first digit to its last: empty cells at its ends are cells of their own.
    while (j > i && textOf(cells[j - 1]!).trim() === '') j--;
    let k = i;
    while (k < j && textOf(cells[k]!).trim() === '') k++;
    const run = cells.slice(k, j);
    if (run.filter((c) => textOf(c).trim() !== '').length >= 6) {
      out.push(...cells.slice(i, k));
      const text = run
        .map((c) => textOf(c).trim() || ' ')
        .join('')
        .replace(/ +/g, ' ');
      out.push({ ...run[0]!, lines: [text], colspan: run.length });
      i = j;
    } else {
      out.push(cells[i]!);
      i++;
    }
  }
  return out;
}

/** Font height 1; lines of a cell 1.2 apart; a row's padding; a column's width and the gap between columns. */
const LINE = 1.2;
const ROW_PAD = 0.8;
const COLUMN = 20;
const COLUMN_GAP = 4;
/** A line's ink above its baseline (the layout's `ascent`). */
const ASCENT = 0.9;

/** How a cell's lines sit in its band: its `valign`, or its style's `vertical-align`. */
export function valignOf(cell: Element): VAlign {
  const style = /vertical-align\s*:\s*(top|middle|bottom)/i.exec(cell.attribs.style ?? '')?.[1];
  const v = (style ?? cell.attribs.valign ?? '').toLowerCase();
  return v === 'top' || v === 'bottom' ? v : 'middle';
}

/** The items of the page a table makes: a line of a cell an item. */
export function gridItems(slots: readonly GridSlot[], rowCount: number): PositionedItem[] {
  // Each row's band is as tall as its tallest cell that spans it alone.
  const lines = Array.from({ length: rowCount }, () => 1);
  for (const { cell, row } of slots) if (cell.rowspan === 1) lines[row] = Math.max(lines[row]!, cell.lines.length);
  const top = [0];
  for (let r = 0; r < rowCount; r++) top.push(top[r]! + lines[r]! * LINE + ROW_PAD);
  const items: PositionedItem[] = [];
  for (const { cell, row, col } of slots) {
    const end = Math.min(rowCount, row + cell.rowspan);
    const room = top[end]! - top[row]! - ROW_PAD - cell.lines.length * LINE;
    const drop = cell.valign === 'top' ? 0 : cell.valign === 'bottom' ? room : room / 2;
    cell.lines.forEach((text, i) => {
      items.push({
        text,
        x: col * (COLUMN + COLUMN_GAP),
        y: top[row]! + Math.max(0, drop) + i * LINE + ASCENT,
        width: cell.colspan * (COLUMN + COLUMN_GAP) - COLUMN_GAP,
        height: 1,
      });
    });
  }
  return items;
}

/** Each number in a table paired with its label by position, and how (with `explain`). */
export function pairGrid(
  slots: readonly GridSlot[],
  rowCount: number,
  options: { lengths: readonly number[]; explain?: boolean },
): { pairs: PositionedPair[]; notes: string[] } {
  // Only tables that hold a run of digits long enough to be a number, or a code.
  if (!slots.some(({ cell }) => cell.lines.some((l) => /\d/.test(l)))) return { pairs: [], notes: [] };
  return pairPage(gridItems(slots, rowCount), options);
}
