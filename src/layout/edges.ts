/**
 * Right edges where items end on several lines: the column of a table whose cells are right-aligned,
 * or whose right-aligned cell wraps, beside a cell set closer than a cell gap («Единый» ⏎ «лицевой» ⏎
 * «счёт» ending at one x, «Сумма» ⏎ «к» ⏎ «оплате,» centred beside them, «счёт оплате,» a word space
 * and a half apart). pdfplumber's "text" strategy finds columns from aligned word edges, left, right
 * or centred; the left edges are chunks.ts's `columnEdges`. An item that ends where items end on two
 * other lines, each with a gap after it wider than a word space by far, ends a cell: the gap after it
 * parts two cells when it is wider than a word space. Prose seldom ends a word at the same point thrice
 * with wide gaps after it.
 */
import type { PositionedItem } from './chunks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

const edgeKey = (x: number) => Math.round(x / S.edgeSnapPoints);

/** Per right edge, the lines on which an item ends there and the next item stands an edge gap or more after it. */
export function rightEdges(lines: readonly PositionedItem[][]): Map<number, number> {
  const count = new Map<number, number>();
  for (const line of lines) {
    const seen = new Set<number>();
    for (let i = 0; i + 1 < line.length; i++) {
      const item = line[i]!;
      const end = item.x + item.width;
      if (line[i + 1]!.x - end < S.edgeGap * item.height) continue;
      const key = edgeKey(end);
      if (seen.has(key)) continue;
      seen.add(key);
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  return count;
}

/**
 * Whether an item that ends at `end` ends a cell, so that a gap of `gap` font heights after it (wider
 * than a word space) parts it from the next: items end there on two other lines, an edge gap before
 * the next.
 */
export function atRightEdge(edges: ReadonlyMap<number, number>, end: number, gap: number): boolean {
  if (gap < S.wordGap) return false;
  let lines = 0;
  for (const d of [-1, 0, 1]) lines = Math.max(lines, edges.get(edgeKey(end) + d) ?? 0);
  // The item's own line counts where its gap is an edge gap already.
  return lines - (gap >= S.edgeGap ? 1 : 0) >= 2;
}
