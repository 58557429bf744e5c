/**
 * One page's positioned items → blocks → reading order → text in which each label stands beside its
 * value. Kept apart from the barrel (index.ts) so that the modules here that lay out a page
 * (text-table.ts) import it without importing the barrel that imports them.
 */

import { findLabels } from '../locate/labels.js';
import { toBlocks } from './blocks.js';
import { type LooseLines, type Rules, ruledLines } from './cells.js';
import { type LayoutOptions, type PositionedItem, toChunkLines, usableItems } from './chunks.js';
import { type Pairing, pairHeaders } from './headers.js';
import { readingOrder } from './order.js';
import { splitUnderOverlays } from './overlays.js';
import { type PositionedPair, pairByPosition } from './pairs.js';
import { asPrinted } from './pieces.js';
import { splitStackedRows } from './rows.js';
import { splitDateValue } from './words.js';

export interface PageLayout {
  text: string;
  /** The blocks found, how they were read, and each header paired with a value (for `--explain`). */
  notes: string[];
  /** Each candidate number paired with its label by position (pairs.ts), for the locator. */
  pairs: PositionedPair[];
  /**
   * Laid out without rules, the page may read otherwise with them: lines of one height stood too far
   * apart to join (dompdf's cells), and a candidate found no label or a label no number. The reader
   * then reads the page's ruling lines and lays it out again (src/extract/pdf/rules.ts); a page that
   * reads right the first time costs nothing more.
   */
  rulesMayHelp: boolean;
}

/**
 * Items with each letter-spaced run of digits as printed: pdf.js spells «28.3111» drawn letter-spaced
 * as «2 8 . 3 1 1 1» (pieces.ts). Typed text keeps its spaces.
 */
function spelled(items: PositionedItem[], options: LayoutOptions): PositionedItem[] {
  if (options.typed) return items;
  return splitDateValue(items).map((i) => {
    const text = asPrinted(i.text);
    return text === i.text ? i : { ...i, text };
  });
}

/** Account and contract labels in `text`. */
function labelCount(text: string): number {
  let n = 0;
  for (const _ of findLabels(text)) n++;
  return n;
}

/**
 * Lays out one page's items and says how. `rules`: the page's ruling lines, which let the lines of a
 * ruled cell stand further apart than `linePitch` (cells.ts).
 */
export function layoutPageExplained(
  items: readonly PositionedItem[],
  options: LayoutOptions & { explain?: boolean; rules?: Rules },
): PageLayout {
  const splits: string[] | undefined = options.explain ? [] : undefined;
  const lines = toChunkLines(spelled(usableItems(splitUnderOverlays(items)), options));
  const loose: LooseLines = ruledLines(options.rules);
  const blocks = splitStackedRows(toBlocks(lines, options.lengths, loose), splits);
  const reading = readingOrder(blocks, options.explain === true);
  const pairings: Pairing[] | undefined = options.explain ? [] : undefined;
  const text = pairHeaders(reading.rows, pairings).join('\n');
  const paired = pairByPosition(blocks, lines, { ...options, explain: options.explain === true });
  const ruled = options.rules;
  const notes = [
    ...(options.explain && ruled
      ? [
          `ruling lines: ${ruled.horizontal.length} horizontal, ${ruled.vertical.length} vertical; ${loose.joined} of ${loose.found} loosely set line pairs joined inside one ruled cell`,
        ]
      : []),
    ...(splits ?? []),
    ...reading.notes,
    ...(pairings ?? []).map((p) => `header «${p.header}» paired with «${p.value}»`),
    ...paired.notes,
  ];
  const rulesMayHelp =
    !options.rules && loose.found > 0 && (paired.unpaired > 0 || labelCount(text) > paired.pairs.length);
  return { text, notes, pairs: paired.pairs, rulesMayHelp };
}

/**
 * Only the pairing stage over one page's items (no reading order, no text): for text whose reading
 * order is its own, such as plain text, whose characters' columns are positions too (text-pairs.ts).
 */
export function pairPage(
  items: readonly PositionedItem[],
  options: LayoutOptions & { explain?: boolean },
): { pairs: PositionedPair[]; notes: string[] } {
  const lines = toChunkLines(spelled(usableItems(items), options));
  const blocks = splitStackedRows(toBlocks(lines, options.lengths), undefined);
  return pairByPosition(blocks, lines, { ...options, explain: options.explain === true });
}

/** Lays out one page's items as text: blocks in reading order, table cells separated by tabs. */
export function layoutPage(items: readonly PositionedItem[], options: LayoutOptions): string {
  return layoutPageExplained(items, options).text;
}
