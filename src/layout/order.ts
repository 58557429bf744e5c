/**
 * Blocks → reading order → rows of cells. A recursive XY-cut on whitespace: a page is cut where no
 * block crosses a horizontal band (rows, paragraphs) or a vertical one (columns), and each part is read
 * in turn. Where both cuts exist, columns of self-contained lines («ИНН 7707049388») are blocks side by
 * side and are read one after the other; otherwise the page is a table and is read row by row. Columns
 * that pair up row by row (labels beside values, a header cell over each column) are read as a table:
 * blocks that share a row become the cells of one line.
 */
import { type Block, cellText } from './blocks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

export interface Cell {
  text: string;
  x0: number;
  x1: number;
}

export interface Row {
  cells: Cell[];
  top: number;
  bottom: number;
  h: number;
}

export interface Reading {
  rows: Row[];
  /** What was decided and why, for `--explain`. */
  notes: string[];
}

// A line that carries its own label and value: a word, then a number of six digits or more.
const SELF_CONTAINED = /\p{L}{2,}\.?[:№#]?\s*(?:№\s*)?\+?\d[\d \-\u00A0()]{4,}\d/u;

function splitBy(blocks: readonly Block[], lo: (b: Block) => number, hi: (b: Block) => number): Block[][] {
  const sorted = [...blocks].sort((a, b) => lo(a) - lo(b));
  const groups: Block[][] = [];
  let reach = -Infinity;
  for (const b of sorted) {
    if (groups.length === 0 || lo(b) >= reach) {
      groups.push([b]);
      reach = hi(b);
    } else {
      groups.at(-1)!.push(b);
      reach = Math.max(reach, hi(b));
    }
  }
  return groups;
}

const bands = (blocks: readonly Block[]) =>
  splitBy(
    blocks,
    (b) => b.top,
    (b) => b.bottom,
  );
const columns = (blocks: readonly Block[]) =>
  splitBy(
    blocks,
    (b) => b.x0,
    (b) => b.x1,
  );

function selfContained(blocks: readonly Block[]): number {
  let lines = 0;
  let own = 0;
  for (const b of blocks)
    for (const l of b.lines) {
      lines++;
      if (SELF_CONTAINED.test(l.text)) own++;
    }
  return lines === 0 ? 0 : own / lines;
}

const isProse = (column: readonly Block[]) =>
  selfContained(column) >= 0.5 || column.some((b) => b.lines.length > S.maxCellLines);

const row = (cells: Cell[], top: number, bottom: number, h: number): Row => ({ cells, top, bottom, h });
const cellOf = (b: Block): Cell => ({ text: cellText(b), x0: b.x0, x1: b.x1 });

/** A block read on its own: a wrapped value as one line, text line by line. */
function rowsOfBlock(b: Block): Row[] {
  if (b.value || b.lines.length === 1) return [row([cellOf(b)], b.top, b.bottom, b.h)];
  return b.lines.map((l) => row([{ text: l.text, x0: l.x0, x1: l.x1 }], l.y - 0.9 * l.h, l.y + 0.3 * l.h, l.h));
}

/**
 * Blocks that share a row (their heights overlap by more than a third of a line) become the cells of one
 * row; blocks of one row that overlap in x are one cell stacked in pieces (a value the producer wrapped
 * where it found no room: «407028104107621529» over «57», «82-» over «2025/85» over «74»).
 */
function tableRows(blocks: readonly Block[]): Row[] {
  const sorted = [...blocks].sort((a, b) => a.top - b.top || a.x0 - b.x0);
  const rows: Array<{ blocks: Block[]; top: number; bottom: number; h: number }> = [];
  for (const b of sorted) {
    const last = rows.at(-1);
    if (last && (b.top < last.bottom - 0.35 * Math.min(last.h, b.h) || continuesStack(last.blocks, b, sorted))) {
      last.blocks.push(b);
      last.bottom = Math.max(last.bottom, b.bottom);
      last.h = Math.max(last.h, b.h);
    } else rows.push({ blocks: [b], top: b.top, bottom: b.bottom, h: b.h });
  }
  return rows.map((r) => row(stackedCells(r.blocks, blocks), r.top, r.bottom, r.h));
}

/**
 * Whether value block `b`, below a row, is the next line of a cell of it wrapped over lines: it lies
 * under a value cell of two lines or more, one line pitch below the last, and nothing else of the table
 * stands beside it (the next row, even one set at the line pitch, has other cells there). A top-aligned row whose account
 * cell wrapped over three lines («82-» ⏎ «2025/85» ⏎ «74») ends after its longest cell.
 */
function continuesStack(row: readonly Block[], b: Block, table: readonly Block[]): boolean {
  if (!b.value) return false;
  const above = row.filter((c) => c.value && c.x0 < b.x1 && c.x1 > b.x0);
  const lines = above.flatMap((c) => c.lines.map((l) => l.y)).sort((p, q) => p - q);
  if (lines.length < 2) return false;
  const pitch = (lines.at(-1)! - lines[0]!) / (lines.length - 1);
  if (Math.abs(b.lines[0]!.y - lines.at(-1)! - pitch) > S.stackDrift * b.h) return false;
  const beside = (c: Block) =>
    c !== b && !row.includes(c) && Math.min(c.bottom, b.bottom) - Math.max(c.top, b.top) > 0.35 * Math.min(c.h, b.h);
  return !table.some(beside);
}

/** The cells of a row: its blocks left to right, those that overlap in x joined top to bottom. */
function stackedCells(blocks: readonly Block[], table: readonly Block[]): Cell[] {
  const byX = [...blocks].sort((a, b) => a.x0 - b.x0);
  const stacks: Block[][] = [];
  let reach = -Infinity;
  for (const b of byX) {
    if (stacks.length > 0 && b.x0 < reach) stacks.at(-1)!.push(b);
    else stacks.push([b]);
    reach = stacks.at(-1)!.length === 1 ? b.x1 : Math.max(reach, b.x1);
  }
  return stacks.map((stack) => {
    if (stack.length === 1) return cellOf(stack[0]!);
    const pieces = stack.sort((a, b) => a.top - b.top);
    const x0 = Math.min(...pieces.map((b) => b.x0));
    const x1 = Math.max(...pieces.map((b) => b.x1));
    // The column is at least as wide as the widest thing set in it.
    const widest = Math.max(...table.filter((b) => b.x0 < x1 && b.x1 > x0).map((b) => b.x1));
    let text = cellText(pieces[0]!);
    for (let k = 1; k < pieces.length; k++)
      text += joint(pieces[k - 1]!, text, pieces[k]!, widest) + cellText(pieces[k]!);
    return { text, x0, x1 };
  });
}

/**
 * What joins two pieces of one wrapped cell: nothing after a dash that ends a word («RT-» over
 * «2023/392735»); nothing where the piece above is one
 * word that fills its column and the first word below would not have fitted beside it (the producer broke
 * the word itself for want of room: «2025/85» over «74») — unless both are long numbers; a space otherwise.
 */
function joint(upper: Block, text: string, lower: Block, widest: number): string {
  if (/\S[-\u2010-\u2013]$/.test(text)) return '';
  if (!upper.value || !lower.value) return ' ';
  const line = lower.lines[0]!;
  const word = line.text.split(' ')[0]!;
  if (/\s/.test(text) || !/[\p{L}\p{N}]$/u.test(text) || !/^[\p{L}\p{N}]/u.test(word)) return ' ';
  // Two numbers of ten digits or more, each whole, are two values of a column (rows set at the line pitch).
  if (/^\d{10,}$/.test(text) && /^\d{10,}$/.test(word)) return ' ';
  const wordWidth = ((line.x1 - line.x0) * word.length) / line.text.length;
  return upper.x1 + wordWidth > widest + 0.5 ? '' : ' ';
}

/**
 * Whether two neighbouring columns are halves of one table: their blocks pair up row by row (a label
 * beside its value, a row header beside a value centred against it, a header over each column), and
 * neither is prose. Blocks of self-contained lines side by side («Оператор» | «Абонент») are not.
 */
function linked(left: readonly Block[], right: readonly Block[]): boolean {
  if (isProse(left) || isProse(right)) return false;
  let paired = 0;
  for (const r of right) {
    const mid = (r.top + r.bottom) / 2;
    if (
      left.some((l) => l.top <= mid && mid <= l.bottom) ||
      left.some((l) => r.top <= (l.top + l.bottom) / 2 && (l.top + l.bottom) / 2 <= r.bottom)
    )
      paired++;
  }
  return paired > 0 && paired >= 0.5 * Math.min(left.length, right.length);
}

function describe(b: Block): string {
  const kind = b.value ? 'value' : 'text';
  return `${kind} block, ${b.lines.length} line${b.lines.length > 1 ? 's' : ''}, x ${Math.round(b.x0)}–${Math.round(b.x1)}, y ${Math.round(b.top)}–${Math.round(b.bottom)}: «${b.lines.map((l) => l.text).join(' ⏎ ')}»`;
}

function order(blocks: readonly Block[], notes: string[] | undefined, depth: number): Row[] {
  if (blocks.length === 1) return rowsOfBlock(blocks[0]!);
  const byRows = bands(blocks);
  const byColumns = columns(blocks);
  // Depth bounds the work on pathological pages; a leaf is still read top to bottom.
  if (depth > 40) return leaf(blocks);
  if (
    byRows.length > 1 &&
    (byColumns.length <= 1 || !byColumns.some((c) => c.length > 0 && isProse(c) && c.length < blocks.length))
  ) {
    return byRows.flatMap((band) => order(band, notes, depth + 1));
  }
  if (byColumns.length > 1) return readColumns(byColumns, notes, depth);
  return leaf(blocks);
}

function readColumns(cols: Block[][], notes: string[] | undefined, depth: number): Row[] {
  const out: Row[] = [];
  let group: Block[][] = [cols[0]!];
  const flush = () => {
    if (group.length === 1) out.push(...order(group[0]!, notes, depth + 1));
    else {
      const rows = tableRows(group.flat());
      notes?.push(
        `table of ${group.length} columns, ${rows.length} row${rows.length > 1 ? 's' : ''}: ${rows.map((r) => r.cells.map((c) => `«${c.text}»`).join(' | ')).join(' / ')}`,
      );
      out.push(...rows);
    }
  };
  for (let i = 1; i < cols.length; i++) {
    if (linked(group.at(-1)!, cols[i]!)) group.push(cols[i]!);
    else {
      if (notes && group.length === 1 && cols.length > 1)
        notes.push(
          `column read on its own, then the next: ${group[0]!.length} block(s) from x ${Math.round(Math.min(...group[0]!.map((b) => b.x0)))}`,
        );
      flush();
      group = [cols[i]!];
    }
  }
  flush();
  return out;
}

function leaf(blocks: readonly Block[]): Row[] {
  return [...blocks].sort((a, b) => a.top - b.top || a.x0 - b.x0).flatMap(rowsOfBlock);
}

/** Reads blocks in order; with `explain`, notes say which blocks were found and how they were read. */
export function readingOrder(blocks: readonly Block[], explain = false): Reading {
  const notes = explain ? blocks.map(describe) : undefined;
  const rows = blocks.length === 0 ? [] : order(blocks, notes, 0);
  return { rows, notes: notes ?? [] };
}
