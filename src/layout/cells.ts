/**
 * Ruled cells: the ruling lines a producer draws around table cells (pdfplumber's and Camelot's
 * "lattice" idea), used for one decision only. dompdf sets the lines of a cell about 1.5 font heights
 * apart (1.7 with a span per glyph), further than `linePitch` allows, while the single-line rows of a
 * tight borderless table (Chromium row headers, ReportLab requisites) stand as close. No pitch tells the
 * two apart; the borders do: two lines that stand inside one closed cell box, with no rule between them,
 * are lines of one cell however loosely they are set. Borderless tables have no box, so they stay as
 * they were. The rules come from the page's drawing (src/extract/pdf/rules.ts), in the layout's
 * coordinates (points, y growing downwards).
 */
import type { Chunk } from './chunks.js';

/** A horizontal rule (`at` is its y, `from`–`to` its x-range) or a vertical one (`at` its x, `from`–`to` its y-range). */
export interface Rule {
  at: number;
  from: number;
  to: number;
}

export interface Rules {
  /** Merged: collinear pieces that touch are one rule (dompdf draws each cell's borders apart). Sorted by `at`. */
  horizontal: Rule[];
  vertical: Rule[];
}

/**
 * Stacked lines further apart than `linePitch` that a ruled cell may still join: `found` counts the
 * stacked pairs of one height seen at such a pitch (whether rules could matter on this page at all);
 * `join` says whether a pair stands inside one ruled cell (absent on a first layout without rules).
 */
export interface LooseLines {
  found: number;
  /** Of those, how many joined. */
  joined: number;
  join?: (upper: Chunk, lower: Chunk) => boolean;
}

/** Rules this close (points) are one line; pieces with a gap this small between their ends are one rule. */
const SNAP = 1.5;
/** A cell box taller than this many font heights is a frame around a page or a block, not a cell. */
const MAX_CELL_LINES = 10;

/** Sorts pieces and merges those on one line whose ends touch (within SNAP). */
export function mergeRules(pieces: readonly Rule[]): Rule[] {
  const sorted = [...pieces].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Rule[] = [];
  // Rules on one line (within SNAP of the first) are merged by their ranges; the line's rules stay sorted by `from`.
  let lineStart = 0;
  for (const piece of sorted) {
    const first = out[lineStart];
    if (!first || piece.at - first.at > SNAP) {
      lineStart = out.length;
      out.push({ ...piece });
      continue;
    }
    let merged = false;
    for (let k = lineStart; k < out.length; k++) {
      const r = out[k]!;
      if (piece.from <= r.to + SNAP && piece.to >= r.from - SNAP) {
        r.from = Math.min(r.from, piece.from);
        r.to = Math.max(r.to, piece.to);
        merged = true;
        break;
      }
    }
    if (!merged) out.push({ ...piece });
  }
  return out;
}

const covers = (r: Rule, from: number, to: number) => r.from <= from + SNAP && r.to >= to - SNAP;

/** The rule nearest to `at` on the side `dir` says (−1: smaller `at`), between `limit` and `at`, covering `from`–`to`. */
function nearest(rules: readonly Rule[], at: number, dir: -1 | 1, limit: number, from: number, to: number) {
  let best: Rule | undefined;
  for (const r of rules) {
    const d = (r.at - at) * dir;
    if (d < 0 || d > limit || !covers(r, from, to)) continue;
    if (!best || d < (best.at - at) * dir) best = r;
  }
  return best;
}

/**
 * Whether two stacked lines stand inside one ruled cell: no horizontal rule between them, a horizontal
 * rule above the upper and below the lower line, a vertical rule on each side, and the four closing one
 * box (each side's rule reaching the others), as a table's cell border does.
 */
export function inOneCell(rules: Rules, upper: Chunk, lower: Chunk): boolean {
  const h = Math.max(upper.h, lower.h);
  const x0 = Math.min(upper.x0, lower.x0);
  const x1 = Math.max(upper.x1, lower.x1);
  // Between the upper baseline and the middle of the lower line: a row border (however tight the padding,
  // one the lower line's capitals reach), or a rule under a heading.
  const between = (r: Rule) => r.at > upper.y && r.at < lower.y - 0.5 * lower.h && r.to > x0 && r.from < x1;
  if (rules.horizontal.some(between)) return false;
  const reach = MAX_CELL_LINES * h;
  const top = nearest(rules.horizontal, upper.y - 0.6 * upper.h, -1, reach, x0, x1);
  const bottom = nearest(rules.horizontal, lower.y, 1, reach, x0, x1);
  if (!top || !bottom || bottom.at - top.at > reach) return false;
  const left = nearest(rules.vertical, x0, -1, Infinity, top.at, bottom.at);
  const right = nearest(rules.vertical, x1, 1, Infinity, top.at, bottom.at);
  if (!left || !right) return false;
  return covers(top, left.at, right.at) && covers(bottom, left.at, right.at);
}

/** The loose lines of a page with rules: those inside one ruled cell join. */
export function ruledLines(rules: Rules | undefined): LooseLines {
  const empty = !rules || rules.horizontal.length === 0 || rules.vertical.length === 0;
  return empty
    ? { found: 0, joined: 0 }
    : { found: 0, joined: 0, join: (upper, lower) => inOneCell(rules, upper, lower) };
}
