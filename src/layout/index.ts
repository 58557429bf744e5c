/**
 * The layout stage, one for everything that has positions: pdf.js text items, OCR word boxes and
 * fixed-width plain text (character columns as x). Words → lines → chunks → blocks (cells) → reading
 * order (recursive XY-cut) → tables (header cells over values, row headers beside them) → text in
 * which each label stands beside its value. Pure functions; tested without PDFs.
 */

import { toBlocks } from './blocks.js';
import { type LayoutOptions, type PositionedItem, toChunkLines, usableItems } from './chunks.js';
import { type Pairing, pairHeaders } from './headers.js';
import { readingOrder } from './order.js';
import { splitStackedRows } from './rows.js';

export type { LayoutOptions, PositionedItem } from './chunks.js';
export { layoutPlainText } from './text-table.js';

export interface PageLayout {
  text: string;
  /** The blocks found, how they were read, and each header paired with a value (for `--explain`). */
  notes: string[];
}

/** Lays out one page's items and says how. */
export function layoutPageExplained(
  items: readonly PositionedItem[],
  options: LayoutOptions & { explain?: boolean },
): PageLayout {
  const splits: string[] | undefined = options.explain ? [] : undefined;
  const blocks = splitStackedRows(toBlocks(toChunkLines(usableItems(items)), options.lengths), splits);
  const reading = readingOrder(blocks, options.explain === true);
  const pairings: Pairing[] | undefined = options.explain ? [] : undefined;
  const text = pairHeaders(reading.rows, pairings).join('\n');
  const notes = [
    ...(splits ?? []),
    ...reading.notes,
    ...(pairings ?? []).map((p) => `header «${p.header}» paired with «${p.value}»`),
  ];
  return { text, notes };
}

/** Lays out one page's items as text: blocks in reading order, table cells separated by tabs. */
export function layoutPage(items: readonly PositionedItem[], options: LayoutOptions): string {
  return layoutPageExplained(items, options).text;
}
