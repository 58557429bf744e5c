/**
 * Up a candidate's column (pairs.ts): the block right above a number, and a header cell too far above
 * for that, in the band of a deeper header cell beside it. Blocks come sorted by their bottom.
 */
import type { Block } from './blocks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

const overlapX = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** What the search needs of a candidate: its box. */
interface Box {
  x0: number;
  x1: number;
  top: number;
  h: number;
}

/**
 * The block whose bottom is nearest above `floor` and whose x-range overlaps `box`'s, within reach
 * (`aboveReach` lines, or `reach` when given), or undefined.
 */
export function nearestAbove(
  byBottom: readonly Block[],
  box: { x0: number; x1: number; h: number },
  floor: number,
  reach: number = S.aboveReach,
): Block | undefined {
  // Blocks sorted by bottom: the last one that ends by `floor` (a little ink overlap allowed), going up.
  const limit = floor + S.descent * box.h;
  let lo = 0;
  let hi = byBottom.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byBottom[mid]!.bottom <= limit) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const b = byBottom[i]!;
    if (floor - b.bottom > reach * box.h) return undefined;
    if (overlapX(b, box) > 0) return b;
  }
  return undefined;
}

/**
 * A header cell of one line, top-aligned in a header row whose other cells wrap over many lines
 * («Л/С» beside «Договор на / оказание / услуг связи / №», set 1.5 heights apart): further above its
 * value than `aboveReach`, but in the band of a header cell beside it that ends within reach. The
 * nearest text block over the value's x-range within twice the reach, when text blocks stacked from
 * its band down (each a loose line's pitch under the one before: a cell's lines `linePitch` kept
 * apart) end within reach of the value.
 */
export function shortHeader(byBottom: readonly Block[], c: Box): Block | undefined {
  const b = nearestAbove(byBottom, c, c.top, 2 * S.aboveReach);
  if (!b || b.value) return undefined;
  const limit = c.top + S.descent * c.h;
  let stack = byBottom.filter(
    (o) => !o.value && o !== b && o.top <= b.bottom && o.bottom >= b.bottom && o.bottom <= limit,
  );
  for (let steps = 0; steps < 12 && stack.length > 0; steps++) {
    if (stack.some((o) => c.top - o.bottom <= S.aboveReach * c.h)) return b;
    stack = stack.flatMap((o) => {
      const under = byBottom.find(
        (u) => !u.value && u.top > o.top && u.top - o.bottom <= (S.ruledPitch - 1.2) * u.h && overlapX(u, o) > 0,
      );
      return under && under.bottom <= limit ? [under] : [];
    });
  }
  return undefined;
}
