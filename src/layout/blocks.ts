/**
 * Chunks → blocks. A block is one cell or one paragraph: chunks stacked at line spacing, overlapping
 * in x. A header cell wrapped over three lines is one block however its neighbours are centred; a
 * number wrapped in a narrow cell is one block. Blocks stay one kind: text lines join text lines, and a
 * value line joins another only as the rest of a wrapped number, so rows of values stay rows.
 */
import type { LooseLines } from './cells.js';
import type { Chunk } from './chunks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

export interface Block {
  lines: Chunk[];
  x0: number;
  x1: number;
  /** Top of the first line and bottom of the last (ascent and descent around the baselines). */
  top: number;
  bottom: number;
  /** Largest font size in the block. */
  h: number;
  /** A value (possibly wrapped) rather than text. */
  value: boolean;
}

/** A line's ink above and below its baseline, in font heights (the settings' names, for the modules here). */
export const ASCENT = S.ascent;
export const DESCENT = S.descent;

// Digit groups with the separators people print between them: spaces of any width, dashes, dots.
const DIGIT_GROUPS = /^[\d \u00A0\u2002-\u200A\u202F\-\u2010-\u2013.]+$/;
/** A line of a number that ends on a separator: the number goes on (`40-1234-`, `44.5946.`). */
const OPEN_END = /\d[-\u2010-\u2013.]$/;
const digitCount = (s: string) => s.replace(/\D/g, '').length;

function overlap(a: { x0: number; x1: number }, b: { x0: number; x1: number }): number {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
}

/** Whether `next` continues the wrapped number of `block` (`40-1234-5678-` / `9012`, `6310020` / `0300411`). */
function continuesNumber(block: Block, next: Chunk, lengths: readonly number[]): boolean {
  const last = block.lines.at(-1)!;
  if (!DIGIT_GROUPS.test(last.text) || !DIGIT_GROUPS.test(next.text)) return false;
  const have = block.lines.reduce((n, l) => n + digitCount(l.text), 0);
  const total = have + digitCount(next.text);
  if (!lengths.includes(total) && !(total < Math.max(...lengths) && OPEN_END.test(last.text))) return false;
  // Already a whole number: the line below is another value, unless the first line ended on a dash.
  return !lengths.includes(have) || OPEN_END.test(last.text);
}

function extend(block: Block, chunk: Chunk): void {
  block.lines.push(chunk);
  block.x0 = Math.min(block.x0, chunk.x0);
  block.x1 = Math.max(block.x1, chunk.x1);
  block.h = Math.max(block.h, chunk.h);
  block.bottom = chunk.y + DESCENT * chunk.h;
}

function newBlock(chunk: Chunk): Block {
  return {
    lines: [chunk],
    x0: chunk.x0,
    x1: chunk.x1,
    top: chunk.y - ASCENT * chunk.h,
    bottom: chunk.y + DESCENT * chunk.h,
    h: chunk.h,
    value: chunk.value,
  };
}

/** Whether two lines set further apart than `linePitch` join: one height, stacked, and in one ruled cell. */
function looseJoin(loose: LooseLines, last: Chunk, chunk: Chunk, dy: number): boolean {
  const h = Math.max(last.h, chunk.h);
  if (dy > S.ruledPitch * h || Math.abs(last.h - chunk.h) > 0.05 * h || overlap(last, chunk) <= 0) return false;
  loose.found++;
  if (loose.join?.(last, chunk) !== true) return false;
  loose.joined++;
  return true;
}

/** A line that continues a cell above it: it starts with a small letter or a sign («№»), not a new row's word or value. */
const CONTINUES = /^[\p{Ll}\p{P}\p{S}]/u;

/**
 * Whether a number wrapped in a borderless cell goes on a line further down than `linePitch` (dompdf
 * sets a cell's lines 1.5 heights apart, and no ruling tells its lines from rows): the line completes
 * the number (`continuesNumber`), stands at most `ruledPitch` below, of one height, aligned with the
 * line above at its left or right edge or its centre, as a cell aligns its lines; and the line holds
 * no new row: nothing under another cell of the number's row but the rest of that cell («№» under
 * «Л/с», «заключения» under «Дата»). A table's next row fills its cells with words and values that
 * start afresh.
 */
function wrapsLoosely(
  block: Block,
  chunk: Chunk,
  dy: number,
  lines: readonly Chunk[][],
  lengths: readonly number[],
): boolean {
  const last = block.lines.at(-1)!;
  const h = Math.max(last.h, chunk.h);
  if (!block.value || !chunk.value || dy > S.ruledPitch * h) return false;
  if (Math.abs(last.h - chunk.h) > 0.05 * h || !continuesNumber(block, chunk, lengths)) return false;
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.5 * h;
  if (!near(last.x0, chunk.x0) && !near(last.x1, chunk.x1) && !near(last.x0 + last.x1, chunk.x0 + chunk.x1))
    return false;
  const upper = lines[last.line]!;
  return lines[chunk.line]!.every(
    (o) => o === chunk || CONTINUES.test(o.text) || !upper.some((u) => u !== last && overlap(u, o) > 0),
  );
}

/**
 * Stacks chunks into blocks, line by line. Each chunk looks only at the blocks still open (whose last
 * line is within a line's spacing above it), so the work grows with the number of chunks times the
 * number of columns, not with the square of the page. Lines of one height stacked further apart than
 * `linePitch` (up to `ruledPitch`) are counted in `loose` and join where `loose.join` says they stand in
 * one ruled cell (cells.ts).
 */
export function toBlocks(lines: readonly Chunk[][], lengths: readonly number[], loose?: LooseLines): Block[] {
  const blocks: Block[] = [];
  let open: Block[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    const y = line[0]!.y;
    open = open.filter((b) => y - b.lines.at(-1)!.y <= S.linePitch * 1.5 * b.h + 1e-6);
    // 1. Each chunk's tentative block above: the open block it overlaps most that may continue into it.
    const above = new Map<Chunk, Block>();
    for (const chunk of line) {
      let best: Block | undefined;
      let bestOverlap = 0;
      for (const b of open) {
        const last = b.lines.at(-1)!;
        const h = Math.max(last.h, chunk.h);
        const dy = chunk.y - last.y;
        if (dy <= 0.5 * h || Math.abs(last.h - chunk.h) > 0.25 * h) continue;
        if (
          dy > S.linePitch * h &&
          !wrapsLoosely(b, chunk, dy, lines, lengths) &&
          !(loose && looseJoin(loose, last, chunk, dy))
        )
          continue;
        if (b.lines.length > 1) {
          const pitch = (last.y - b.lines[0]!.y) / (b.lines.length - 1);
          if (Math.abs(dy - pitch) > S.pitchDrift * h) continue;
        }
        const o = overlap(last, chunk);
        if (o <= 0 || o <= bestOverlap) continue;
        if (b.value ? !(chunk.value && continuesNumber(b, chunk, lengths)) : chunk.value) continue;
        best = b;
        bestOverlap = o;
      }
      if (best) {
        // One chunk per block per line: the one that overlaps it most.
        const rival = [...above].find(([, b]) => b === best)?.[0];
        if (rival && overlap(rival, best.lines.at(-1)!) >= bestOverlap) continue;
        if (rival) above.delete(rival);
        above.set(chunk, best);
      }
    }
    // 2. Text joins text only where the row does: when the chunk beside it on this line stands under
    //    the chunk beside the block's last line, the two must be stacked lines of one cell as well.
    //    Otherwise the two lines are rows of a table («Абонент | Иванов» over «Лицевой счёт | 5100…»).
    for (const chunk of line) {
      const block = above.get(chunk);
      if (!block || block.value) continue;
      const last = block.lines.at(-1)!;
      const prevLine = lines[last.line]!;
      for (const side of [-1, 1]) {
        const mine = line[chunk.col + side];
        const theirs = prevLine[last.col + side];
        if (mine && theirs && overlap(mine, theirs) > 0 && above.get(mine)?.lines.at(-1) !== theirs) {
          above.delete(chunk);
          break;
        }
      }
    }
    for (const chunk of line) {
      const block = above.get(chunk);
      if (block) extend(block, chunk);
      else {
        const b = newBlock(chunk);
        blocks.push(b);
        open.push(b);
      }
    }
  }
  return blocks;
}

/** Digit groups parted by dots or dashes only («41.74.1», «013.1024»): no space between digits. */
const MARKED_GROUPS = /^(?=.*\d[.\-\u2010-\u2013]\d)[\d.\-\u2010-\u2013]+$/;

/**
 * Whether a value's line and the next are one number a cell wrapped inside a group: a number whose
 * groups are parted by dots or dashes shows no mark where the line broke («41.74.1» ⏎ «013.1024»).
 */
const wrappedInGroup = (text: string, next: string) =>
  /\d$/.test(text) &&
  /^\d/.test(next) &&
  (MARKED_GROUPS.test(text) || MARKED_GROUPS.test(next)) &&
  /^[\d.\-\u2010-\u2013]+$/.test(next) &&
  /(?:^|\s)[\d.\-\u2010-\u2013]+$/.test(text);

/**
 * The text of a block read as one cell: wrapped lines joined (a number broken after a dash, or inside
 * a group of a number marked with dots or dashes, without a space).
 */
export function cellText(block: Block): string {
  let text = '';
  for (const line of block.lines) {
    if (text === '') text = line.text;
    else text += block.value && (OPEN_END.test(text) || wrappedInGroup(text, line.text)) ? line.text : ` ${line.text}`;
  }
  return text;
}
