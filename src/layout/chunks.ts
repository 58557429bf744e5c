/**
 * Words → lines → chunks. A chunk is a run of words on one baseline with no wide gap inside: one line
 * of one cell or one block. Items come in any drawing order (one glyph at a time, values before their
 * labels); only their positions count.
 */

import { atRightEdge, rightEdges } from './edges.js';
import { groupBreaks, joinedText, joinNumberPieces } from './pieces.js';
import { LAYOUT_SETTINGS as S } from './settings.js';
import { isValueText, type LineWords, lineWords, wordBreak } from './words.js';

export { isValueText } from './words.js';

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
  /** The items are OCR's words: OCR's misreadings of labels («JI/C») count when pairing labels with numbers. */
  ocr?: boolean;
  /**
   * The items' text is as typed (a fixed-width text table's cells): its spaces are characters someone
   * typed, kept as they are, not pdf.js's reading of letter-spaced glyphs (see `asPrinted`).
   */
  typed?: boolean;
  /**
   * How far below a line (in font heights) the rest of a number a cell wrapped may stand: the settings'
   * line pitch on a page; a fixed-width text table sets its rows further apart than lines (text-table.ts).
   */
  wrapReach?: number;
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
    if (last && Math.abs(item.y - lineY) <= S.baseline * Math.max(lineH, item.height)) {
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
  const rights = rightEdges(sortedLines);
  return sortedLines.map((line, n) => chunksOf(line, n, edges, rights));
}

const edgeKey = (x: number) => Math.round(x / S.edgeSnapPoints);

/**
 * Left edges where items start on several lines: the columns of a table whose cells stand closer than
 * a cell gap (pdfplumber's "text" strategy finds columns the same way, from aligned word edges). Each
 * edge counts the lines where an item starts there after an edge gap (`after`), and those where it
 * starts a line or follows a separate item (`lines`, which includes those). Prose seldom starts a word
 * at the same point twice after a wide space. An item that opens its line counts as following a gap
 * when the ink to its left on the lines level with it ends an edge gap before it: a cell centred in a
 * row stands on a baseline of its own, the cells beside it a little higher or lower. A digit group
 * inside a spaced-out number (`groupBreaks`) is no cell and says nothing about columns. Right edges
 * are edges.ts's.
 */
function columnEdges(lines: readonly PositionedItem[][]): Map<number, { after: number; lines: number }> {
  const count = new Map<number, { after: number; lines: number }>();
  lines.forEach((line, n) => {
    const seen = new Set<number>();
    const inNumber = groupBreaks(line);
    for (let i = 0; i < line.length; i++) {
      const prev = line[i - 1];
      const item = line[i]!;
      const gap = prev ? item.x - (prev.x + prev.width) : Infinity;
      if (gap < S.glueGap * item.height || inNumber.has(i)) continue;
      const key = edgeKey(item.x);
      if (seen.has(key)) continue;
      seen.add(key);
      const c = count.get(key) ?? { after: 0, lines: 0 };
      c.lines++;
      if (prev ? gap >= S.edgeGap * item.height : gapBesideLevel(lines, n, item)) c.after++;
      count.set(key, c);
    }
  });
  return count;
}

/**
 * Whether the ink left of `item` (which opens line `n`) on the lines level with it ends an edge gap
 * before it, with nothing of those lines across its left edge. False when nothing stands to its left.
 */
function gapBesideLevel(lines: readonly PositionedItem[][], n: number, item: PositionedItem): boolean {
  const reach = S.level * item.height;
  let left = -Infinity;
  for (const step of [-1, 1]) {
    for (let m = n + step; m >= 0 && m < lines.length; m += step) {
      const other = lines[m]!;
      if (Math.abs(other[0]!.y - item.y) >= reach) break;
      for (const o of other) {
        const end = o.x + o.width;
        if (o.x < item.x - S.edgeSnapPoints && end > item.x + S.edgeSnapPoints) return false;
        if (end <= item.x + S.edgeSnapPoints) left = Math.max(left, end);
      }
    }
  }
  return item.x - left >= S.edgeGap * item.height;
}

/** Digits in groups, with the separators a number is printed with. */
const DIGIT_RUN = /^[\d\s.\-\u2010-\u2013]+$/u;
/** Words, a colon or a space, then up to three digits: a label's run that ends where its number starts. */
const LABEL_THEN_DIGITS = /\p{L}[\p{L}\s]*[:\s]\s*\d{1,3}$/u;
/** A leader of dots, an ellipsis or underscores at the end of a run (a form's «Лицевой счёт ……»). */
const LEADER_END = /(?:[.…_]\s?){3,}\s*$/u;
/** Nothing but digits and what stands between the groups of a number. */
const DIGIT_GROUPS = /^[\d \u00A0\u2002-\u200A\u202F.\-\u2010-\u2013]+$/;

/**
 * Whether an item at `x` after a gap of `gap` (in font heights) starts a cell at a column edge: after
 * an edge gap where items start after a gap on two lines; after a little more than a word space where
 * items start on three lines (a tight column whose values open their lines, as LibreOffice sets a table
 * narrowed to its text); after any gap between separate items (less than a space: LibreOffice squeezes
 * cells until they touch) where items start on three lines, two of them after an edge gap; and with
 * no gap at all where a word starts there with a capital after a small letter (`camel`: «помещения» |
 * «Лицевой счет»), or inside the ink before it, further than kerning (`clipOverlap`): the cells of a
 * spreadsheet, clipped to their columns, drawn whole under their neighbours.
 */
function atColumnEdge(
  edges: ReadonlyMap<number, { after: number; lines: number }>,
  x: number,
  gap: number,
  camel: boolean,
): boolean {
  let after = 0;
  let lines = 0;
  for (const d of [-1, 0, 1]) {
    const e = edges.get(edgeKey(x) + d);
    if (e) {
      after = Math.max(after, e.after);
      lines = Math.max(lines, e.lines);
    }
  }
  return (
    (gap >= S.edgeGap && after >= 2) ||
    (gap >= S.wordGap && lines >= 3 && after >= 1) ||
    ((gap >= S.glueGap || (camel && gap >= 0) || gap < -S.clipOverlap) && lines >= 3 && after >= 2)
  );
}

/**
 * Whether the gap before item `i` separates two cells though it is narrower than a cell gap: the items
 * on either side are runs of words or values (a producer that draws a cell's text as one run puts its
 * word spaces inside the run, so a gap between runs wider than `runGap` is no word space), as in a header
 * row whose cells stand a little more than a word apart («Сумма к оплате, руб.  Единый лицевой счёт
 * Дата договора»), or a value row («57-2023/9574  382 853 455 767 14», «02.07.2024  7583/92140»).
 * Items of single glyphs or words (drawn one by one, letter-spaced, justified) say nothing of the
 * spaces and keep the cell gap alone, as do a number's digit groups drawn apart.
 */
function runBreak(items: readonly PositionedItem[], i: number, gap: number, h: number): boolean {
  if (i === 0 || gap < S.runGap * h) return false;
  const a = items[i - 1]!.text.trim();
  const b = items[i]!.text.trim();
  // Digit groups (letter-spaced, `Tc`, their spaces as wide as the gap) may be pieces of one number.
  // A date after a whole number is the next cell's («62883422539457» | «11.08.2020»).
  const pieces = DIGIT_RUN.test(a) && DIGIT_RUN.test(b) && !(WHOLE_NUMBER.test(a) && DATE_ONLY.test(b));
  if (a.length < 2 || b.length < 2 || pieces) return false;
  // A label's run that ends in the first digits of its number («Лицевой счёт: 6 2» «9 1 6 4 …», letter-spaced).
  if (DIGIT_RUN.test(b) && /\d$/.test(a) && !isValueText(a)) return false;
  // Two values side by side (a date, a code) hold no word space either, nor a word and a whole number
  // drawn apart (letter-spaced digits overflowing into the cell before: «Игровой» | «47483668826377»).
  return (
    /\s/.test(a) ||
    /\s/.test(b) ||
    (isValueOrCode(a) && isValueOrCode(b)) ||
    (/\p{L}$/u.test(a) && WHOLE_NUMBER.test(b))
  );
}

/** Ten digits or more in one piece: a number of its own, never the end of a run of words. */
const WHOLE_NUMBER = /^\d{10,}$/;
const DATE_ONLY = /^\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})$/;
/** A contract's code with a letter prefix («RT-2026/432689», «ЛС-12/5») is a value as much as a date. */
const CODE_TEXT = /^\p{Lu}{1,4}[-/]\d[\d\-/]*$/u;
const isValueOrCode = (text: string) => isValueText(text) || CODE_TEXT.test(text);

/** An item's text in a chunk, and its gap from the item before it. */
interface Part {
  piece: string;
  gap: number;
}

const isGlyph = (piece: string) => /^\d$/.test(piece);
const endsInDigit = (piece: string) => /\d$/.test(piece);
const startsWithDigit = (piece: string) => /^\d/.test(piece);
const isMark = (piece: string) => /^[.\-\u2010-\u2013]$/.test(piece);

/**
 * A chunk's text from its items. Glyphs drawn one by one touch (or overlap: kerning), words are a space
 * apart; digits drawn one item each, letter-spaced, are one group where they stand at the narrowest
 * spacing between digits in the chunk (give or take what kerning moves a glyph), and a wider gap
 * between them parts two groups («6 2 2   1 3 9» is «622 139», a narrow no-break space apart).
 */
function partsText(parts: readonly Part[], h: number): string {
  let spacing = Infinity;
  for (let k = 1; k < parts.length; k++)
    if (isGlyph(parts[k - 1]!.piece) && isGlyph(parts[k]!.piece)) spacing = Math.min(spacing, parts[k]!.gap);
  let text = parts[0]?.piece ?? '';
  for (let k = 1; k < parts.length; k++) {
    const { piece, gap } = parts[k]!;
    const prev = parts[k - 1]!.piece;
    // A dot or a dash drawn as a glyph of its own between two digits at their spacing is the number's
    // separator, not a word («3 7 5 3 . 9 8 2 8» is «3753.9828»); at the chunk's end it is the separator
    // a cell wrapped the number at («2 5 5 .» over «0 5» is «255.» over «05»), as a run would print it.
    const after = parts[k + 1]?.piece;
    const mark = isMark(piece) && isGlyph(prev) && (after === undefined || isGlyph(after));
    const afterMark = isMark(prev) && isGlyph(piece) && isGlyph(parts[k - 2]?.piece ?? '');
    const letterSpaced =
      (isGlyph(prev) ? startsWithDigit(piece) || mark : (isGlyph(piece) && endsInDigit(prev)) || afterMark) &&
      gap <= spacing + S.glueGap * h;
    const glue = gap < S.glueGap * h || letterSpaced || text.endsWith(' ') || piece.startsWith(' ') ? '' : ' ';
    text += glue + piece;
  }
  return text;
}

function chunksOf(
  items: PositionedItem[],
  line: number,
  edges: ReadonlyMap<number, { after: number; lines: number }>,
  rights: ReadonlyMap<number, number>,
): Chunk[] {
  const chunks: Chunk[] = [];
  const h = Math.max(...items.map((i) => i.height));
  const y = items.reduce((s, i) => s + i.y, 0) / items.length;
  let parts: Part[] = [];
  let x0 = 0;
  let x1 = -Infinity;
  const flush = () => {
    const t = partsText(parts, h).trim();
    if (t !== '') chunks.push({ text: t, x0, x1, y, h, value: isValueText(t), line, col: chunks.length });
    parts = [];
  };
  const inNumber = groupBreaks(items);
  // Only lines with a gap wider than a run gap between words need their words (most have none).
  let words: LineWords | undefined;
  const wordsOf = (): LineWords => {
    words ??= lineWords(items, h);
    return words;
  };
  items.forEach((item, i) => {
    const piece = item.text.replace(/\s+/g, ' ');
    const gap = item.x - x1;
    const camel = /\p{Ll}$/u.test(parts.at(-1)?.piece ?? '') && /^\p{Lu}/u.test(piece);
    const prev = items[i - 1];
    const atEdge =
      !inNumber.has(i) &&
      (atColumnEdge(edges, item.x, gap / h, camel) ||
        (prev !== undefined && !isValueText(piece) && atRightEdge(rights, prev.x + prev.width, gap / h)));
    // Digits further than a word space after a code or words ending in digits start another number (a
    // contract's code, then the account in the next cell of a tight row). Digit groups alone go on: the
    // groups of one number drawn apart (pieces.ts).
    const atRun =
      !inNumber.has(i) && (runBreak(items, i, gap, h) || (gap >= S.runGap * h && wordBreak(wordsOf(), i, gap, h)));
    const before = parts.at(-1)?.piece ?? '';
    const digitsMeet =
      !inNumber.has(i) &&
      gap >= S.edgeGap * h &&
      endsInDigit(before) &&
      startsWithDigit(piece) &&
      parts.some((p) => !DIGIT_GROUPS.test(p.piece)) &&
      // …but a label's run that ends in a number's first digits goes on («абонента: 6 2» «9 1 6 4 …»: one
      // letter-spaced number, the run broken at a group's wider gap).
      !(LABEL_THEN_DIGITS.test(before) && /^\d[\d\s]{3,}$/.test(piece));
    // Digits after a leader («Лицевой счёт ........ 5 6  9 3 …») are the value the leader leads to, not
    // the end of the label's run: letter-spaced, their first glyph would stay with the label.
    const afterLeader = LEADER_END.test(before) && startsWithDigit(piece);
    // A digit of a number drawn in pieces goes on however far (boxes stretched over a wide cell, pieces.ts).
    const near = gap <= S.cellGap * h || inNumber.has(i);
    if (parts.length > 0 && near && !atEdge && !atRun && !digitsMeet && !afterLeader) {
      parts.push({ piece, gap });
      x1 = Math.max(x1, item.x + item.width);
    } else {
      flush();
      // What a reader sees of a clipped cell ends where its neighbour starts.
      const before = chunks.at(-1);
      if (gap < 0 && before) before.x1 = Math.min(before.x1, item.x);
      parts = [{ piece, gap: Infinity }];
      x0 = item.x;
      x1 = item.x + item.width;
    }
  });
  flush();
  // The groups of a number drawn apart are one chunk, as a reader sees them (pieces.ts).
  const joined = joinNumberPieces(chunks, (run) => {
    const text = joinedText(run.map((c) => c.text));
    return { ...run[0]!, text, x1: run.at(-1)!.x1, value: isValueText(text) };
  });
  if (joined.length < chunks.length) {
    joined.forEach((c, col) => {
      c.col = col;
    });
  }
  return joined;
}
