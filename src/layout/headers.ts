/**
 * Rows → text in which each label stands beside its value. A row of digit-free cells over rows of
 * values is a header: each value is written after the header whose column it sits in
 * (`Лицевой счёт: 3600…`), so the locator, a pure text function, sees the label beside its value.
 */
import type { Cell, Row } from './order.js';

const hasDigit = (s: string) => /\d/.test(s);
/**
 * A value that may stand alone in its row under a header: a number or a code of capitals, digits and
 * signs (`RT-2024/871326`), never words with a number («Заказ 1234…», a line of prose under a table).
 */
export const LONE_VALUE = /^(?:\d|[\p{Lu}\d][\p{Lu}\d\-/.]*\d[\d\-/.]*$)/u;

function isHeaderRow(row: Row): boolean {
  return row.cells.length >= 2 && row.cells.every((c) => !hasDigit(c.text));
}

const overlap = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** The index of the span `cell` overlaps most, or -1. */
function mostOverlapped(spans: readonly Cell[], cell: Cell): number {
  let best = -1;
  let bestOverlap = 0;
  spans.forEach((h, k) => {
    const o = overlap(h, cell);
    if (o > bestOverlap) {
      best = k;
      bestOverlap = o;
    }
  });
  return best;
}

/** The header over a cell, and whether the cell overlaps its column (else it is only the nearest). */
interface Head {
  k: number;
  overlaps: boolean;
}

/**
 * The header cell over `cell`: the one it overlaps most; else the column it overlaps most, a column
 * being its header widened by the cells that stand under that header alone in every row of the table
 * (a value left-aligned in a wide column under a short centred header overlaps the values of the other
 * rows, not the header); else the nearest by centre within a column's reach.
 */
function columnHeader(headers: readonly Cell[], columns: readonly Cell[], cell: Cell): Head | undefined {
  const direct = mostOverlapped(headers, cell);
  if (direct >= 0) return { k: direct, overlaps: true };
  const widened = mostOverlapped(columns, cell);
  if (widened >= 0) return { k: widened, overlaps: true };
  const centre = (c: Cell) => (c.x0 + c.x1) / 2;
  let nearest = -1;
  headers.forEach((h, k) => {
    if (nearest < 0 || Math.abs(centre(h) - centre(cell)) < Math.abs(centre(headers[nearest]!) - centre(cell)))
      nearest = k;
  });
  const h = headers[nearest];
  return h && Math.abs(centre(h) - centre(cell)) <= h.x1 - h.x0 ? { k: nearest, overlaps: false } : undefined;
}

/** Each header cell widened by the cells, in every row under it, that stand under it and no other. */
function columnsOf(header: Row, rows: readonly Row[]): Cell[] {
  const columns = header.cells.map((c) => ({ ...c }));
  for (const r of rows)
    for (const cell of r.cells) {
      const over = header.cells.flatMap((h, k) => (overlap(h, cell) > 0 ? [k] : []));
      if (over.length !== 1) continue;
      const column = columns[over[0]!]!;
      column.x0 = Math.min(column.x0, cell.x0);
      column.x1 = Math.max(column.x1, cell.x1);
    }
  return columns;
}

/**
 * `Лицевой счёт: 1234…`; a header that ends in a sign («Л/с №», «Счёт №», «Договор N») is followed by the value
 * after a space only, so «Счёт № 2026…» still reads as the bill's own number.
 */
export function labelled(header: string, value: string): string {
  // «N», «No», «Nr» standing for «№» (a charset without it, an English form) are signs as well.
  const sign = !/[\p{L}\p{N})]$/u.test(header) || /(?:^|\s)(?:N|No|Nr)$/u.test(header);
  return sign ? `${header} ${value}` : `${header}: ${value}`;
}

export interface Pairing {
  header: string;
  value: string;
}

/** The one header cell `cell` lies under (their x-ranges overlap), or undefined. */
function headerOver(header: Row, cell: Cell): Cell | undefined {
  const over = header.cells.filter((h) => Math.min(h.x1, cell.x1) - Math.max(h.x0, cell.x0) > 0);
  return over.length === 1 ? over[0] : undefined;
}

/**
 * Whether `row` can stand under `header`: about as many cells, or fewer (empty cells) each of them
 * under a header cell.
 */
function fits(header: Row, row: Row): boolean {
  const n = row.cells.length;
  const m = header.cells.length;
  if (Math.abs(n - m) <= 1) return true;
  return n < m && row.cells.every((c) => header.cells.some((h) => Math.min(h.x1, c.x1) - Math.max(h.x0, c.x0) > 0));
}

/**
 * Lines of text, one per row, cells separated by tabs. A two-cell row whose first cell has no digits
 * is a label/value row («Абонент | Иванов», «Лицевой счёт | 5100…»), never a header and its values.
 */
export function pairHeaders(rows: readonly Row[], pairings?: Pairing[]): string[] {
  // Which header row (if any) each row stands under.
  const under: Array<Row | undefined> = [];
  let header: Row | undefined;
  let previous: Row | undefined;
  for (const r of rows) {
    const cells = r.cells;
    const close = (other: Row | undefined) =>
      other !== undefined && r.top >= other.top && r.top - other.bottom <= 2.5 * Math.max(r.h, other.h);
    const labelValueRow = cells.length === 2 && !hasDigit(cells[0]!.text);
    // A row of one value (the others empty) stands under a header only where it is under one of its cells.
    const isUnder = (h: Row | undefined) => h !== undefined && isHeaderRow(h) && headerOver(h, cells[0]!) !== undefined;
    const lone = cells.length === 1 && LONE_VALUE.test(cells[0]!.text) && (isUnder(previous) || isUnder(header));
    const valueRow = ((cells.length >= 2 && cells.some((c) => hasDigit(c.text))) || lone) && !labelValueRow;
    if (valueRow && previous && close(previous) && isHeaderRow(previous) && fits(previous, r)) {
      header = previous;
    } else if (
      !(
        valueRow &&
        header &&
        previous &&
        close(previous) &&
        (previous.cells.length === cells.length || fits(header, r))
      )
    ) {
      header = undefined;
    }
    under.push(header && header !== r ? header : undefined);
    previous = r;
  }
  // The columns of each table, found from all its rows.
  const columns = new Map<Row, Cell[]>();
  for (const h of new Set(under))
    if (h)
      columns.set(
        h,
        columnsOf(
          h,
          rows.filter((_, i) => under[i] === h),
        ),
      );
  return rows.map((r, i) => {
    const h = under[i];
    if (!h) return r.cells.map((c) => c.text).join('\t');
    const heads = r.cells.map((cell) => columnHeader(h.cells, columns.get(h)!, cell));
    return r.cells
      .map((cell, k) => {
        const head = heads[k];
        if (!head) return cell.text;
        const rivals = heads.filter((x) => x?.k === head.k);
        // A cell only near a header yields it to a cell in its column. A header over two cells of one row is
        // two header cells glued together (cells closer than a gap): it names neither for sure, and a wrong
        // name is worse than none.
        if (rivals.length > 1 && (!head.overlaps || rivals.filter((x) => x!.overlaps).length > 1)) return cell.text;
        const name = h.cells[head.k]!.text;
        pairings?.push({ header: name, value: cell.text });
        return labelled(name, cell.text);
      })
      .join('\t');
  });
}
