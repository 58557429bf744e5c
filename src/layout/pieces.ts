/**
 * Numbers drawn in pieces, read as one the way the eye reads them (issue #23): glyph by glyph,
 * letter-spaced, a narrow no-break space or a dot between groups, one text item per glyph or per group,
 * in any drawing order. Two steps, both on one baseline line: the text of a letter-spaced run loses the
 * spaces pdf.js put between its glyphs (`asPrinted`), and digit groups that stand apart at one spacing
 * and make one of the groupings numbers are printed in become one chunk (`joinNumberPieces`). Two
 * numbers side by side (an ИНН and a КПП, a phone beside an account, the cells of a table row) keep
 * apart: their groups are longer than four digits, stand at uneven gaps, or make no such grouping.
 */

import { LAYOUT_SETTINGS as S } from './settings.js';

/**
 * A run of digits (and the dots or dashes between its groups) whose pieces are one space apart, as
 * pdf.js spells out a letter-spaced run: it puts a space wherever glyphs stand wider apart than a
 * fraction of a space, so «28.3111.7965» comes as «2 8 . 3 1 1 1 . 7 9 6 5». A run ends before a piece
 * that goes on past a dot or a dash with no space: a date or a code drawn on after it in the same item
 * («2 4 27.07.2024»: the spaced number ran into the next cell), whose first digits are not the run's.
 */
const SPACED_RUN = /(?<![\p{L}\p{N}])\d(?: (?:\d+|[.\-\u2010-\u2013]))+(?![\p{L}\p{N}]|[.\-\u2010-\u2013]\d)/gu;

/**
 * A chunk's text as printed: a run most of whose pieces are single glyphs is letter-spaced and read
 * without its spaces («4 3 11» is «4311»: pdf.js left two close glyphs together). Groups of several
 * digits a space apart («8 800 552», «1 675,26», «12 3456») are groups, and stay as they are.
 */
export function asPrinted(text: string): string {
  if (!/\d \d/.test(text)) return text;
  return text.replace(SPACED_RUN, (run) => {
    const pieces = run.split(' ');
    const single = pieces.filter((p) => p.length === 1).length;
    return 3 * single >= 2 * pieces.length ? pieces.join('') : run;
  });
}

/** The part of a chunk a number drawn in pieces may use: where it is, what it says, its font size. */
interface Piece {
  text: string;
  x0: number;
  x1: number;
  h: number;
}

/**
 * How numbers are printed in groups (issue #23, and a 20-digit bank account in fours): a run of pieces
 * is one number when its groups make one of these, or begin one at the end of their line (the cell
 * wrapped the rest) or end one at its start.
 */
const GROUPINGS: readonly (readonly number[])[] = [
  [2, 4, 4, 4],
  [4, 4, 4, 2],
  [3, 3, 3, 3, 2],
  [4, 3, 3, 4],
  [2, 2, 4, 4],
  [3, 3, 3, 3],
  [4, 4, 4],
  [4, 4, 4, 4, 4],
];
/** A partial grouping (a number wrapped at the line's end or start) counts from this many groups. */
const MIN_PARTIAL_GROUPS = 3;
/** Gaps between the pieces of one number are one size: the widest at most this much wider than the narrowest. */
const EVEN_GAPS = 0.25;

// Between two groups: a space of any width, or a dot or a dash with at most a space either side.
const SEP =
  '(?:[ \\u00A0\\u2002-\\u200A\\u202F]?[.\\-\\u2010-\\u2013][ \\u00A0\\u2002-\\u200A\\u202F]?|[ \\u00A0\\u2002-\\u200A\\u202F])';
/** A chunk that is nothing but digit groups of at most four digits, a separator between them (maybe one at an end). */
const GROUPS = new RegExp(`^${SEP}?\\d{1,4}(?:${SEP}\\d{1,4})*${SEP}?$`);
/** The digit groups a chunk ends with, after its text («Номер лицевого счёта: 1755», «3273 .»). */
const TRAILING_GROUPS = new RegExp(`(?:^|[\\s:№#])(\\d{1,4}(?:${SEP}\\d{1,4})*${SEP}?)$`, 'u');

/**
 * A chunk that opens with the last digit groups of a number and goes on past a space with a leader or a
 * caption that starts with a mark, not a word: a form's underscores after the boxes («60 _________»), a
 * caption after the number («1293 — № л/сч.», «12 (Л/С)»). Drawn one item per glyph, the last group
 * stands as close to the mark as to its own digits and shares its chunk.
 */
const GROUPS_THEN_MARK = new RegExp(
  `^${SEP}?(\\d{1,4}(?:${SEP}\\d{1,4})*)\\s+(?:_{2,}|[.…]{2,}|…|\\(|[\\-\\u2010-\\u2015]\\s+[^\\d\\s])`,
  'u',
);

const sizesOf = (groups: string) => (groups.match(/\d+/g) ?? []).map((g) => g.length);

/** A date among the groups («01.09.2020», «1-9-20»): a cell of its own, never a piece of a number. */
const DATE = /(?<![\d.-])(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?![\d.-]?\d)/g;
const hasDate = (text: string) =>
  [...text.matchAll(DATE)].some(
    (m) => Number(m[1]) >= 1 && Number(m[1]) <= 31 && Number(m[2]) >= 1 && Number(m[2]) <= 12,
  );

/** The text of a number joined from its pieces: a space between groups, none around a dot or a dash. */
export const joinedText = (texts: readonly string[]): string =>
  texts.join(' ').replace(/(\d) ?([.\-\u2010-\u2013]) ?(?=\d)/g, '$1$2');

/**
 * Whether group sizes make a grouping: all of it, or (from `MIN_PARTIAL_GROUPS` groups) a stretch of
 * it whose beginning is elsewhere only at the line's start and whose end is elsewhere only at its end:
 * a cell wrapped the number at a separator, or inside a group (the group at the edge is shorter).
 */
function fitsGrouping(sizes: readonly number[], atLineStart: boolean, atLineEnd: boolean): boolean {
  const n = sizes.length;
  return GROUPINGS.some((g) => {
    for (let s = 0; s + n <= g.length; s++) {
      const w = g.slice(s, s + n);
      const headCut = sizes[0]! < w[0]!;
      const tailCut = sizes[n - 1]! < w[n - 1]!;
      if (n === 1 && headCut && tailCut) continue;
      const inner = sizes.every((k, i) => k === w[i] || (i === 0 && headCut) || (i === n - 1 && tailCut));
      if (!inner || sizes.some((k, i) => k > w[i]!)) continue;
      const begins = s === 0 && !headCut;
      const ends = s + n === g.length && !tailCut;
      if (begins && ends) return true;
      if (n >= MIN_PARTIAL_GROUPS && (begins || atLineStart) && (ends || atLineEnd)) return true;
    }
    return false;
  });
}

/**
 * Joins the digit groups of one number that stand apart on a line into one chunk (`merge` makes the
 * chunk from a run of them): a chunk ending in digit groups, then chunks of nothing but groups, each
 * within `pieceGap` of the one before at gaps of one size, all of whose groups make a grouping above.
 */
export function joinNumberPieces<C extends Piece>(chunks: C[], merge: (run: C[]) => C): C[] {
  if (chunks.length < 2) return chunks;
  const out: C[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const run = numberRun(chunks, i);
    if (run > 1) {
      out.push(merge(chunks.slice(i, i + run)));
      i += run - 1;
    } else out.push(chunks[i]!);
  }
  return out;
}

/** How many chunks from `i` on make one number drawn in pieces (1: none). */
function numberRun(chunks: readonly Piece[], i: number): number {
  const head = TRAILING_GROUPS.exec(chunks[i]!.text);
  if (!head || hasDate(head[1]!)) return 1;
  const sizes = sizesOf(head[1]!);
  let best = 1;
  let minGap = Infinity;
  let maxGap = 0;
  for (let k = i + 1; k < chunks.length; k++) {
    const prev = chunks[k - 1]!;
    const next = chunks[k]!;
    const h = Math.max(prev.h, next.h);
    const gap = next.x0 - prev.x1;
    // Groups and then a leader or a caption end the number: nothing of it goes on past them.
    const tail = GROUPS.test(next.text) ? undefined : GROUPS_THEN_MARK.exec(next.text)?.[1];
    if ((tail === undefined && !GROUPS.test(next.text)) || hasDate(next.text) || gap > S.pieceGap * h || gap < 0) break;
    minGap = Math.min(minGap, gap);
    maxGap = Math.max(maxGap, gap);
    if (maxGap - minGap > EVEN_GAPS * h) break;
    sizes.push(...sizesOf(tail ?? next.text));
    // The run may go on past its line's edge (a cell wrapped it) where it is set apart from what stands
    // beside it further than its pieces are from each other, or nothing does.
    const apart = (a: Piece | undefined, b: Piece | undefined) => !a || !b || b.x0 - a.x1 > maxGap + EVEN_GAPS * h;
    const atLineStart = head[1] === chunks[i]!.text.trim() && apart(chunks[i - 1], chunks[i]);
    const atLineEnd = tail === undefined && apart(next, chunks[k + 1]);
    if (fitsGrouping(sizes, atLineStart, atLineEnd)) best = k - i + 1;
    if (tail !== undefined) break;
  }
  return best;
}

/** What the digits of a line need of an item: its text, left edge, width and font size. */
interface Drawn {
  text: string;
  x: number;
  width: number;
  height: number;
}

const DIGITS_ONLY = /^\d+$/;

/**
 * Indices of the items of a line that continue a number drawn in pieces: a glyph or short group of
 * digits right after another (closer than a word space: glyphs drawn one by one, letter-spaced), or a
 * short group after another no further from it than a word space plus twice the spacing between its
 * glyphs («3 8 4   3 2 3»), or a digit of a run drawn one per box (`boxedDigits`). Read by positions,
 * such a number is one, even where its glyphs or groups line up with those of the next line like the
 * cells of a column. chunks.ts asks it which items no column edge may part from the one before.
 */
export function groupBreaks(line: readonly Drawn[]): Set<number> {
  const breaks = boxedDigits(line);
  let group = 0;
  let spacing = 0;
  for (let i = 0; i < line.length; i++) {
    const item = line[i]!;
    const prev = line[i - 1];
    const text = item.text.trim();
    if (!DIGITS_ONLY.test(text) || text.length > S.groupDigits) {
      group = 0;
      spacing = 0;
      continue;
    }
    const gap = prev ? item.x - (prev.x + prev.width) : Infinity;
    if (group > 0 && gap < S.glyphGap * item.height) {
      breaks.add(i);
      group += text.length;
      spacing = Math.max(spacing, gap);
    } else if (group > 0 && group <= S.groupDigits && gap <= S.wordGap * item.height + 2 * spacing) {
      breaks.add(i);
      group = text.length;
    } else {
      group = text.length;
      spacing = 0;
    }
  }
  return breaks;
}

const isDigitGlyph = (item: Drawn) => item.text.length === 1 && item.text >= '0' && item.text <= '9';

/**
 * Indices of the items of a line that continue a run of single digits drawn at one pitch, at least
 * `boxedDigits` of them, each within a cell gap of the one before: a form's digits one per box, or
 * letter-spaced wider than a glyph gap; or at least `boxedWideDigits` of them at one pitch however wide
 * (a form's boxes stretched over a wide cell: xhtml2pdf sets an inline table of one-digit cells the
 * whole width of its cell, a digit every three ems). Equal gaps are what says they are one number: the cells of a
 * table seldom stand so close and so evenly, and a column edge through the run (another line's cell
 * starting level with one of its digits) must not cut it.
 */
function boxedDigits(line: readonly Drawn[]): Set<number> {
  const breaks = new Set<number>();
  // The run's first item (-1: none) and the gap its digits keep (NaN until its second digit).
  let start = -1;
  let pitch = Number.NaN;
  let wide = false; // a gap of the run is wider than a cell gap: boxes stretched over a wide cell
  const close = (end: number) => {
    const least = wide ? S.boxedWideDigits : S.boxedDigits;
    if (start >= 0 && end - start >= least) for (let k = start + 1; k < end; k++) breaks.add(k);
  };
  for (let i = 0; i < line.length; i++) {
    const item = line[i]!;
    if (!isDigitGlyph(item)) {
      close(i);
      start = -1;
      continue;
    }
    if (start >= 0) {
      const prev = line[i - 1]!;
      const gap = item.x - (prev.x + prev.width);
      const h = Math.max(item.height, prev.height);
      const even = Number.isNaN(pitch) || Math.abs(gap - pitch) <= S.boxedDrift * h;
      // A run is of one pitch: its first gap says whether it is boxes a cell gap apart or stretched wide.
      const fits = Number.isNaN(pitch) || gap > S.cellGap * h === wide;
      if (gap >= 0 && even && fits) {
        if (Number.isNaN(pitch)) {
          pitch = gap;
          wide = gap > S.cellGap * h;
        }
        continue;
      }
      close(i);
    }
    start = i;
    pitch = Number.NaN;
    wide = false;
  }
  close(line.length);
  return breaks;
}
