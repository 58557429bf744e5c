/**
 * Words → lines → chunks. A chunk is a run of words on one baseline with no wide gap inside: one line
 * of one cell or one block. Items come in any drawing order (one glyph at a time, values before their
 * labels); only their positions count.
 */

export interface PositionedItem {
  text: string;
  /** Left edge, from the page's left. */
  x: number;
  /** Baseline, from the page's top (y grows downwards). */
  y: number;
  width: number;
  /** Font size (the height of a line of this text). */
  height: number;
}

export interface LayoutOptions {
  /** Accepted account lengths: a digit run wrapped over two lines is joined only when it makes one of these. */
  lengths: readonly number[];
}

/** One line of one cell: words on a baseline without a wide gap between them. */
export interface Chunk {
  text: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  /** Font size. */
  h: number;
  /** A value (its first letter or digit is a digit: an account, an amount, a date) or text (labels, words). */
  value: boolean;
  /** Index of the baseline line it stands on. */
  line: number;
  /** Position in its line, left to right. */
  col: number;
}

/**
 * Named tolerances, in font heights (pdfplumber's habit: every threshold has a name and a reason).
 * - cellGap: a gap wider than this separates cells (or blocks side by side) rather than words
 *   (a space is about 0.3; a tight table's cells stand about one font height apart).
 * - edgeGap: a gap at least this wide separates cells where items start at one column edge on two lines.
 * - glueGap: a gap narrower than this joins two items without a space (one word drawn in pieces).
 * - baseline: baselines closer than this are one line (superscripts, mixed fonts, rounding).
 */
export const TOLERANCES = { cellGap: 0.9, glueGap: 0.12, baseline: 0.4, edgeGap: 0.45 } as const;
/** Left edges within this many points are one column edge. */
const EDGE_SNAP = 1;

const VALUE_RE = /^[^\p{L}\p{N}]*\p{N}/u;

export const isValueText = (text: string): boolean => VALUE_RE.test(text);

/** Drops empty and unplaced items; a missing font size (some producers give 0) becomes a body-text size. */
export function usableItems(items: readonly PositionedItem[]): PositionedItem[] {
  const out: PositionedItem[] = [];
  for (const i of items) {
    if (i.text.trim() === '' || !Number.isFinite(i.x) || !Number.isFinite(i.y)) continue;
    const height = i.height > 0 && Number.isFinite(i.height) ? i.height : 10;
    const width = Number.isFinite(i.width) && i.width >= 0 ? i.width : i.text.length * height * 0.5;
    out.push(height === i.height && width === i.width ? i : { ...i, height, width });
  }
  return out;
}

/** Groups items into baseline lines (top to bottom), each split into chunks at wide gaps. */
export function toChunkLines(items: readonly PositionedItem[]): Chunk[][] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: PositionedItem[][] = [];
  let lineY = 0;
  let lineH = 0;
  for (const item of sorted) {
    const last = lines.at(-1);
    if (last && Math.abs(item.y - lineY) <= TOLERANCES.baseline * Math.max(lineH, item.height)) {
      last.push(item);
      lineH = Math.max(lineH, item.height);
    } else {
      lines.push([item]);
      lineY = item.y;
      lineH = item.height;
    }
  }
  const sortedLines = lines.map((line) => line.sort((a, b) => a.x - b.x));
  const edges = columnEdges(sortedLines);
  return sortedLines.map((line, n) => chunksOf(line, n, edges));
}

const edgeKey = (x: number) => Math.round(x / EDGE_SNAP);

/**
 * Left edges of items that start after a gap on at least two lines: the columns of a table whose
 * cells stand closer than a cell gap (pdfplumber's "text" strategy finds columns the same way, from
 * aligned word edges). Prose seldom starts a word at the same point twice after a wide space.
 */
function columnEdges(lines: readonly PositionedItem[][]): Set<number> {
  const count = new Map<number, number>();
  for (const line of lines) {
    const seen = new Set<number>();
    for (let i = 1; i < line.length; i++) {
      const prev = line[i - 1]!;
      const item = line[i]!;
      if (item.x - (prev.x + prev.width) < TOLERANCES.edgeGap * item.height) continue;
      const key = edgeKey(item.x);
      if (seen.has(key)) continue;
      seen.add(key);
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  const edges = new Set<number>();
  for (const [key, n] of count) if (n >= 2) edges.add(key);
  return edges;
}

function chunksOf(items: PositionedItem[], line: number, edges: ReadonlySet<number>): Chunk[] {
  const chunks: Chunk[] = [];
  const h = Math.max(...items.map((i) => i.height));
  const y = items.reduce((s, i) => s + i.y, 0) / items.length;
  let text = '';
  let x0 = 0;
  let x1 = -Infinity;
  const flush = () => {
    const t = text.trim();
    if (t !== '') chunks.push({ text: t, x0, x1, y, h, value: isValueText(t), line, col: chunks.length });
    text = '';
  };
  for (const item of items) {
    const piece = item.text.replace(/\s+/g, ' ');
    const gap = item.x - x1;
    const atEdge =
      gap >= TOLERANCES.edgeGap * h &&
      (edges.has(edgeKey(item.x)) || edges.has(edgeKey(item.x) - 1) || edges.has(edgeKey(item.x) + 1));
    if (text !== '' && gap <= TOLERANCES.cellGap * h && !atEdge) {
      // Glyphs drawn one by one touch (or overlap: kerning); words are a space apart.
      const glue = gap < TOLERANCES.glueGap * h || text.endsWith(' ') || piece.startsWith(' ') ? '' : ' ';
      text += glue + piece;
      x1 = Math.max(x1, item.x + item.width);
    } else {
      flush();
      text = piece;
      x0 = item.x;
      x1 = item.x + item.width;
    }
  }
  flush();
  return chunks;
}
