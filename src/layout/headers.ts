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

/** The header cell over `cell`: the one it overlaps most, else the nearest by centre within a column's reach. */
function columnHeader(headers: readonly Cell[], cell: Cell): Cell | undefined {
  let best: Cell | undefined;
  let bestOverlap = 0;
  for (const h of headers) {
    const overlap = Math.min(h.x1, cell.x1) - Math.max(h.x0, cell.x0);
    if (overlap > bestOverlap) {
      best = h;
      bestOverlap = overlap;
    }
  }
  if (best) return best;
  const centre = (c: Cell) => (c.x0 + c.x1) / 2;
  let nearest: Cell | undefined;
  for (const h of headers)
    if (!nearest || Math.abs(centre(h) - centre(cell)) < Math.abs(centre(nearest) - centre(cell))) nearest = h;
  return nearest && Math.abs(centre(nearest) - centre(cell)) <= nearest.x1 - nearest.x0 ? nearest : undefined;
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
  const out: string[] = [];
  let header: Row | undefined;
  let previous: Row | undefined;
  for (const r of rows) {
    const cells = r.cells;
    const close = (other: Row | undefined) =>
      other !== undefined && r.top >= other.top && r.top - other.bottom <= 2.5 * Math.max(r.h, other.h);
    const labelValueRow = cells.length === 2 && !hasDigit(cells[0]!.text);
    // A row of one value (the others empty) stands under a header only where it is under one of its cells.
    const under = (h: Row | undefined) => h !== undefined && isHeaderRow(h) && headerOver(h, cells[0]!) !== undefined;
    const lone = cells.length === 1 && LONE_VALUE.test(cells[0]!.text) && (under(previous) || under(header));
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
    if (header && header !== r) {
      const headerCells = header.cells;
      const heads = cells.map((cell) => columnHeader(headerCells, cell));
      out.push(
        cells
          .map((cell, k) => {
            const h = heads[k];
            // A header over two cells of one row is two header cells glued together (cells closer than a
            // gap): it names neither for sure, and a wrong name is worse than none.
            if (!h || heads.filter((x) => x === h).length > 1) return cell.text;
            pairings?.push({ header: h.text, value: cell.text });
            return labelled(h.text, cell.text);
          })
          .join('\t'),
      );
    } else {
      out.push(cells.map((c) => c.text).join('\t'));
    }
    previous = r;
  }
  return out;
}
