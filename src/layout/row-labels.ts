/**
 * Row labels a pairing by rows (pairs.ts, `inRow`) finds beside a value though no overlap of heights
 * ties them: a label whose cell set its lines further apart than `linePitch` (dompdf's 1.5 heights, no
 * ruling), read with its loose lines; a label standing apart from its value's height by most of a line,
 * with nothing else beside it.
 */
import { type Block, cellText } from './blocks.js';
import type { Candidate } from './numbers.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

/** A row label's lines read together: at most this many. */
const LABEL_LINES = 4;

const sharedY = (a: { top: number; bottom: number }, b: { top: number; bottom: number }) =>
  Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);

/** A lone row header may stand this share of a line clear of its value's height (a label centred between two rows). */
const TOUCH = 0.25;
/** A line that goes on from the line above: a small letter or a sign («договора» under «Номер», «№»). */
const GOES_ON = /^[\p{Ll}\p{P}\p{S}]/u;

/**
 * A row label's text with the lines its cell set further apart than `linePitch` (dompdf's 1.5 heights,
 * no ruling): the text blocks right under it, a loose line's pitch apart, that go on from it.
 */
export function withLooseLines(label: Block, blocks: readonly Block[]): string {
  let text = cellText(label);
  let last = label;
  for (let k = 1; k < LABEL_LINES; k++) {
    const next = blocks.find(
      (b) =>
        !b.value &&
        b.top > last.top &&
        b.top - last.bottom <= (S.ruledPitch - S.ascent - S.descent) * b.h &&
        Math.abs(b.x0 - last.x0) <= 0.5 * b.h &&
        GOES_ON.test(b.lines[0]!.text),
    );
    if (!next) break;
    text += ` ${cellText(next)}`;
    last = next;
  }
  return text;
}

/**
 * A row header set lower or higher than its value by most of a line (dompdf's loosely set cells: a
 * label of two lines beside a value of one, aligned apart), touching its height but by less than
 * `sideOverlap`: the nearest text block left of the value that touches it, when nothing but the value
 * stands beside it at its height. A label with a value of its own is that value's.
 */
export function loneRowHeader(c: Candidate, blocks: readonly Block[]): Block | undefined {
  let best: Block | undefined;
  for (const b of blocks) {
    const touch = -TOUCH * Math.min(b.h, c.h);
    if (b === c.block || b.value || b.x1 > c.x0 + 0.5 || c.x0 - b.x1 > S.leftReach * c.h || sharedY(b, c) <= touch)
      continue;
    if (!best || b.x1 > best.x1) best = b;
  }
  if (!best) return undefined;
  const label = best;
  const beside = (o: Block) => o !== label && o !== c.block && o.x0 >= label.x1 - 0.5 && sharedY(o, label) > 0;
  return blocks.some(beside) ? undefined : label;
}
