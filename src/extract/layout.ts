/**
 * Reading a PDF page the way a person does. pdf.js gives text items in content-stream order, which
 * report engines choose freely (a value may be drawn before its label), so order comes from positions:
 * items are grouped into lines by baseline and sorted left to right, wide gaps become cell breaks
 * (tabs), a header row is paired with the row of values under it, and a number wrapped over two lines
 * of a narrow cell is joined. Pure functions over positioned items, so they are tested without PDFs.
 */

export interface PositionedItem {
  text: string;
  /** Left edge, in points, from the page's left. */
  x: number;
  /** Baseline, in points, from the page's top (y grows downwards). */
  y: number;
  width: number;
  /** Font size in points. */
  height: number;
}

interface Cell {
  text: string;
  x0: number;
  x1: number;
}

interface Line {
  y: number;
  height: number;
  cells: Cell[];
}

export interface LayoutOptions {
  /** Accepted account lengths: a wrapped digit run is joined only when it makes one of these. */
  lengths: readonly number[];
}

/** A gap wider than this many font heights separates table cells rather than words. */
const CELL_GAP = 1.2;
/** A gap narrower than this many font heights joins two items without a space (one word split in two). */
const GLUE_GAP = 0.12;

function groupLines(items: PositionedItem[]): Array<{ y: number; height: number; items: PositionedItem[] }> {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Array<{ y: number; height: number; items: PositionedItem[] }> = [];
  for (const item of sorted) {
    const last = lines.at(-1);
    // Baselines within 40% of the font height are one line (superscripts, mixed fonts, rounding).
    if (last && Math.abs(item.y - last.y) <= 0.4 * Math.max(last.height, item.height)) {
      last.items.push(item);
      last.height = Math.max(last.height, item.height);
    } else {
      lines.push({ y: item.y, height: item.height, items: [item] });
    }
  }
  for (const line of lines) line.items.sort((a, b) => a.x - b.x);
  return lines;
}

function toCells(items: PositionedItem[], height: number): Cell[] {
  const cells: Cell[] = [];
  for (const item of items) {
    const text = item.text.replace(/\s+/g, ' ');
    const last = cells.at(-1);
    const gap = last ? item.x - last.x1 : Infinity;
    if (last && gap <= CELL_GAP * height) {
      const glue = gap < GLUE_GAP * height || last.text.endsWith(' ') || text.startsWith(' ') ? '' : ' ';
      last.text += glue + text;
      last.x1 = Math.max(last.x1, item.x + item.width);
    } else {
      cells.push({ text, x0: item.x, x1: item.x + item.width });
    }
  }
  return cells.map((c) => ({ ...c, text: c.text.trim() })).filter((c) => c.text !== '');
}

const digitCount = (s: string) => s.replace(/\D/g, '').length;
const isDigitsOnly = (s: string) => /^\d[\d \u00A0]*$/.test(s);

/** Joins a digit run that continues in the same column on the next line: `6310020` / `0300411`. */
function joinWrappedNumbers(lines: Line[], options: LayoutOptions): void {
  const max = Math.max(...options.lengths);
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1]!;
    if (next.y - line.y > 1.8 * Math.max(line.height, next.height)) continue;
    for (const cell of line.cells) {
      if (!isDigitsOnly(cell.text) || digitCount(cell.text) >= max) continue;
      const below = next.cells.findIndex(
        (c) => isDigitsOnly(c.text) && Math.abs(c.x0 - cell.x0) <= 0.6 * line.height &&
          options.lengths.includes(digitCount(cell.text) + digitCount(c.text)),
      );
      if (below < 0) continue;
      cell.text += next.cells[below]!.text;
      next.cells.splice(below, 1);
    }
  }
}

/**
 * A row of digit-free headers over rows of values: each value is written after the header whose
 * column it sits in (`Лицевой счёт: 3600…`), so the locator sees the label beside its value.
 * A two-cell row whose first cell has no digits is a label/value row («Абонент | Иванов»,
 * «Лицевой счёт | 5100…»), never a header and its values, however the rows above look.
 */
function pairHeaders(lines: Line[]): string[] {
  const out: string[] = [];
  let header: Line | undefined;
  let previous: Line | undefined;
  for (const line of lines) {
    const cells = line.cells;
    const close = (other: Line | undefined) => other !== undefined && line.y - other.y <= 3 * Math.max(line.height, other.height);
    const labelValueRow = cells.length === 2 && !/\d/.test(cells[0]!.text);
    const valueRow = cells.length >= 2 && cells.some((c) => /\d/.test(c.text)) && !labelValueRow;
    if (valueRow && previous && close(previous) && isHeaderRow(previous) && Math.abs(previous.cells.length - cells.length) <= 1) {
      header = previous;
    } else if (!(valueRow && header && previous && close(previous) && previous.cells.length === cells.length)) {
      header = undefined;
    }
    if (header && header !== line) {
      const headerCells = header.cells;
      out.push(cells.map((cell) => {
        const h = columnHeader(headerCells, cell);
        return h ? `${h.text}: ${cell.text}` : cell.text;
      }).join('\t'));
    } else {
      out.push(cells.map((c) => c.text).join('\t'));
    }
    previous = line;
  }
  return out;
}

function isHeaderRow(line: Line): boolean {
  return line.cells.length >= 2 && line.cells.every((c) => !/\d/.test(c.text));
}

/** The header cell over `cell`: the one it overlaps most, else the nearest by centre within a column's reach. */
function columnHeader(headers: Cell[], cell: Cell): Cell | undefined {
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
  const nearest = [...headers].sort((a, b) => Math.abs(centre(a) - centre(cell)) - Math.abs(centre(b) - centre(cell)))[0];
  return nearest && Math.abs(centre(nearest) - centre(cell)) <= nearest.x1 - nearest.x0 ? nearest : undefined;
}

/** Lays out one page's items as text: lines top to bottom, cells separated by tabs. */
export function layoutPage(items: PositionedItem[], options: LayoutOptions): string {
  // Some producers leave the font size out (height 0); a body-text size keeps the gap rules sane.
  const usable = items
    .filter((i) => i.text.trim() !== '' && Number.isFinite(i.x) && Number.isFinite(i.y))
    .map((i) => (i.height > 0 && Number.isFinite(i.height) ? i : { ...i, height: 10 }));
  const lines: Line[] = groupLines(usable).map((l) => ({ y: l.y, height: l.height, cells: toCells(l.items, l.height) }));
  joinWrappedNumbers(lines, options);
  return pairHeaders(lines.filter((l) => l.cells.length > 0)).join('\n');
}
