/**
 * Blocks → blocks: a block that stacks the cells of several rows is split by the rows beside it.
 *
 * A table set tight (LibreOffice sets row-header tables with no gap between rows; a scan's OCR gives
 * no ruling either) puts the label cells of consecutive rows at the one line pitch of a paragraph:
 * «Номер заказа ⏎ Номер лицевого ⏎ счёта ⏎ Договор №» is one block by every spacing measure, and the
 * values beside it, each centred on its own row, pair with the wrong label or none. Line spacing cannot
 * tell these rows apart, and ruling lines are not always drawn (and not given by OCR), but the column
 * beside the block can: each of its cells is one row, centred on (or aligned at the top or bottom of)
 * the lines of its own label. So the block's lines are cut into runs, one per cell beside it, by the
 * least misalignment (a small dynamic programme over lines × cells); lines beside no cell (a row whose
 * value is empty) stand on their own. The split is made only when every cell beside the block finds
 * its run, so a paragraph beside a single number or beside another paragraph is left whole.
 */
import { ASCENT, type Block, DESCENT } from './blocks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

const baselines = (b: Block) => b.lines.map((l) => l.y);

function blockOf(parent: Block, from: number, to: number): Block {
  const lines = parent.lines.slice(from, to);
  const first = lines[0]!;
  const last = lines.at(-1)!;
  return {
    lines,
    x0: Math.min(...lines.map((l) => l.x0)),
    x1: Math.max(...lines.map((l) => l.x1)),
    top: first.y - ASCENT * first.h,
    bottom: last.y + DESCENT * last.h,
    h: Math.max(...lines.map((l) => l.h)),
    value: parent.value,
  };
}

/**
 * The cells of the column next to `block` on one side that reach into its height, nearest column
 * first; undefined when that column holds something that is no cell (a paragraph) beside it.
 */
function besideColumn(block: Block, near: readonly Block[], side: 1 | -1): Block[] | undefined {
  const overlapping = near.filter(
    (b) =>
      b !== block &&
      Math.min(b.bottom, block.bottom) - Math.max(b.top, block.top) > S.sideOverlap * Math.min(b.h, block.h) &&
      (side === 1 ? b.x0 >= block.x1 - 0.5 : b.x1 <= block.x0 + 0.5),
  );
  if (overlapping.length === 0) return undefined;
  // The nearest column: blocks whose x-ranges chain together starting from the nearest one.
  const sorted = [...overlapping].sort((a, b) => (side === 1 ? a.x0 - b.x0 : b.x1 - a.x1));
  const column = [sorted[0]!];
  let lo = sorted[0]!.x0;
  let hi = sorted[0]!.x1;
  for (const b of sorted.slice(1)) {
    if (b.x0 < hi && b.x1 > lo) {
      column.push(b);
      lo = Math.min(lo, b.x0);
      hi = Math.max(hi, b.x1);
    }
  }
  column.sort((a, b) => a.top - b.top);
  for (let i = 0; i < column.length; i++) {
    const c = column[i]!;
    if (c.lines.length > S.maxCellLines) return undefined;
    if (i > 0 && c.lines[0]!.y <= column[i - 1]!.lines.at(-1)!.y) return undefined;
  }
  return column;
}

type Align = 'middle' | 'top' | 'bottom';
/** Alignments in order of preference. */
const ALIGNS: readonly Align[] = ['middle', 'top', 'bottom'];

export interface Run {
  /** Lines [from, to) of the block. */
  from: number;
  to: number;
  /** The cell beside the run, or -1. */
  cell: number;
}

/**
 * The runs of `ys` (baselines at `pitch`) that pair with `cells` (each its baselines) in order, or
 * undefined when some cell has no run aligned with it. One table aligns its cells one way (centred,
 * at the top or at the bottom), so each alignment is tried for the whole column and the best kept,
 * centred first on a tie: «Счёт № ⏎ Договор об ⏎ оказании услуг ⏎ связи №» beside two one-line cells
 * on the first and third lines reads as two rows centred, not as two top-aligned pairs.
 */
export function runsBeside(
  ys: readonly number[],
  cells: ReadonlyArray<readonly number[]>,
  pitch: number,
  continues: readonly boolean[] = [],
): Run[] | undefined {
  let best: { cost: number; runs: Run[] } | undefined;
  for (const align of ALIGNS) {
    const found = runsAligned(ys, cells, pitch, align, continues);
    if (found && (!best || found.cost < best.cost - S.alignPreference)) best = found;
  }
  return best?.runs;
}

function runsAligned(
  ys: readonly number[],
  cells: ReadonlyArray<readonly number[]>,
  pitch: number,
  align: Align,
  continues: readonly boolean[],
): { cost: number; runs: Run[] } | undefined {
  const n = ys.length;
  const k = cells.length;
  const tolerance = S.alignTolerance * pitch;
  const misalignment = (from: number, to: number, c: number): number => {
    const cell = cells[c]!;
    const top = ys[from]!;
    const bottom = ys[to - 1]!;
    if (align === 'top') return Math.abs(top - cell[0]!);
    if (align === 'bottom') return Math.abs(bottom - cell.at(-1)!);
    return Math.abs((top + bottom) / 2 - (cell[0]! + cell.at(-1)!) / 2);
  };
  // cost[j][i]: least cost of pairing the first j lines with the first i cells.
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(k + 1).fill(Infinity));
  const back = Array.from({ length: n + 1 }, () => new Array<[number, number]>(k + 1));
  cost[0]![0] = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= k; i++) {
      if (cost[j]![i]! === Infinity) continue;
      const here = cost[j]![i]! + (continues[j] ? S.continuedCost : 0);
      for (let e = j + 1; e <= n; e++) {
        const unpaired = here + S.unpairedCost;
        if (unpaired < cost[e]![i]!) {
          cost[e]![i] = unpaired;
          back[e]![i] = [j, -1];
        }
        if (i < k) {
          const m = misalignment(j, e, i);
          if (m <= tolerance && here + m / pitch < cost[e]![i + 1]!) {
            cost[e]![i + 1] = here + m / pitch;
            back[e]![i + 1] = [j, i];
          }
        }
      }
    }
  }
  const total = cost[n]![k]!;
  if (total === Infinity) return undefined;
  const runs: Run[] = [];
  let i = k;
  for (let e = n; e > 0; ) {
    const [j, c] = back[e]![i]!;
    runs.unshift({ from: j, to: e, cell: c });
    if (c >= 0) i--;
    e = j;
  }
  // Unpaired runs next to each other are one run.
  const merged: Run[] = [];
  for (const r of runs) {
    const last = merged.at(-1);
    if (last && last.cell === -1 && r.cell === -1) last.to = r.to;
    else merged.push({ ...r });
  }
  return { cost: total, runs: merged };
}

/** `block` cut into the runs of lines that pair with the cells of the column beside it, or undefined. */
function splitBeside(block: Block, near: readonly Block[]): Block[] | undefined {
  const ys = baselines(block);
  const pitch = (ys.at(-1)! - ys[0]!) / (ys.length - 1);
  if (!(pitch > 0)) return undefined;
  for (const side of [1, -1] as const) {
    const column = besideColumn(block, near, side);
    if (!column || column.length < 2) continue;
    const continues = block.lines.map((l, j) => j > 0 && /^\p{Ll}/u.test(l.text));
    const runs = runsBeside(ys, column.map(baselines), pitch, continues);
    if (!runs || runs.length < 2) continue;
    return runs.map((r) => blockOf(block, r.from, r.to));
  }
  return undefined;
}

/**
 * Splits every text block that stacks the cells of several rows (see the module's note). `notes`, when
 * given, says which blocks were split. Blocks are looked up by height in a list sorted by top, so the
 * work grows with the blocks times the blocks beside each, not with the square of the page.
 */
export function splitStackedRows(blocks: readonly Block[], notes?: string[]): Block[] {
  const byTop = [...blocks].sort((a, b) => a.top - b.top);
  const tallest = Math.max(0, ...blocks.map((b) => b.bottom - b.top));
  const out: Block[] = [];
  for (const block of blocks) {
    if (block.value || block.lines.length < 2 || block.lines.length > S.maxStackLines) {
      out.push(block);
      continue;
    }
    // Blocks that can reach into this one's height: their top is at most `tallest` above it.
    const near: Block[] = [];
    for (let i = lowerBound(byTop, block.top - tallest); i < byTop.length && byTop[i]!.top < block.bottom; i++)
      near.push(byTop[i]!);
    const parts = splitBeside(block, near);
    if (!parts) {
      out.push(block);
      continue;
    }
    notes?.push(
      `block «${block.lines.map((l) => l.text).join(' ⏎ ')}» split by the rows beside it: ${parts.map((p) => `«${p.lines.map((l) => l.text).join(' ')}»`).join(' | ')}`,
    );
    out.push(...parts);
  }
  return out;
}

function lowerBound(sorted: readonly Block[], top: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.top < top) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
