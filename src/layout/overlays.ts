/**
 * Values written over a form's blanks. A filled form is often the blank's page with the values drawn
 * on top, each in its own text object at the blank's place (PDF::API2 or FPDI overlays, pdf-lib's
 * `drawText` on a template, a typewriter over a printed form): «договору____________ від ______» is one
 * item of the blank, and «1072/У» another, lying inside it over the underscores. Read in the order of
 * their left edges, the value would follow the whole blank line, after the text that follows its blank
 * («…від _______,1072/У»). So an item that lies on the line of a longer item, over a run of its leader
 * characters, takes the place of that blank: the line reads «договору 1072/У від 2026-03-15,», each
 * value after its own caption. An item over letters (text struck through, a bold copy drawn twice) cuts nothing.
 */
import type { PositionedItem } from './chunks.js';

/** A blank: a run of leaders (underscores, dots), two at least. */
const BLANK = /[_.…]{2,}/g;
/** The least share of a value (or of its blank, if shorter) that lies over the blank it is written on. */
const MIN_COVER = 0.3;
/** How near two baselines are, in font heights, for one item to be drawn over another's line. */
const SAME_LINE = 0.35;

/**
 * The blank of `under` that `over` is written on: of its runs of leaders, the one whose place overlaps
 * the value most; else undefined. Character places are estimated from the item's width (a caption's
 * letters and a blank's underscores are seldom of one width), which is why the runs compete rather than
 * the character under the value's left edge deciding; a value may run on past its blank (the text after
 * the blank then follows the value, see `splitUnderOverlays`).
 */
function blankUnder(under: PositionedItem, over: PositionedItem): [number, number] | undefined {
  const per = under.width / under.text.length;
  let best: [number, number] | undefined;
  let most = 0;
  for (const run of under.text.matchAll(BLANK)) {
    const from = run.index;
    const to = from + run[0].length;
    const overlap = Math.min(over.x + over.width, under.x + to * per) - Math.max(over.x, under.x + from * per);
    if (overlap > most) {
      most = overlap;
      best = [from, to];
    }
  }
  // Over a blank, not beside one: a good part of the value or of the blank is covered.
  return best && most >= MIN_COVER * Math.min(over.width, (best[1] - best[0]) * per) ? best : undefined;
}

/** `item`'s characters `[from, to)` as an item of their own, placed by the same estimate. */
function slice(item: PositionedItem, from: number, to: number): PositionedItem {
  const per = item.width / item.text.length;
  return { ...item, text: item.text.slice(from, to), x: item.x + from * per, width: (to - from) * per };
}

/** Items with every blank that a value is drawn over cut where the value lies (see above). */
export function splitUnderOverlays(items: readonly PositionedItem[]): readonly PositionedItem[] {
  // Only items with a run of leaders can be cut: most pages have none, and cost one test per item.
  const blanks = items.filter((i) => /[_.…]{3}/.test(i.text));
  if (blanks.length === 0) return items;
  const cut = new Map<PositionedItem, PositionedItem[]>();
  for (const under of blanks) {
    const overs = items
      .filter(
        (o) =>
          o !== under &&
          !/[_]{2}/.test(o.text) &&
          o.text.trim() !== '' &&
          Math.abs(o.y - under.y) <= SAME_LINE * Math.max(o.height, under.height) &&
          o.x >= under.x &&
          o.x < under.x + under.width,
      )
      .sort((a, b) => a.x - b.x);
    if (overs.length === 0) continue;
    const pieces: PositionedItem[] = [];
    let start = 0;
    let after = Number.NEGATIVE_INFINITY; // where the last value written over a blank ends
    const piece = (from: number, to: number) => {
      const p = slice(under, from, to);
      // What follows a blank follows the value written on it, wherever the estimate put it.
      pieces.push(p.x < after ? { ...p, x: after } : p);
    };
    for (const over of overs) {
      const covered = blankUnder(under, over);
      if (!covered || covered[0] < start) continue;
      if (covered[0] > start) piece(start, covered[0]);
      start = covered[1];
      after = over.x + over.width;
    }
    if (start === 0) continue;
    if (start < under.text.length) piece(start, under.text.length);
    cut.set(under, pieces);
  }
  if (cut.size === 0) return items;
  return items.flatMap((i) => cut.get(i) ?? [i]);
}
