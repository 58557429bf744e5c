/**
 * Blocks → the numbers on a page as printed: the candidates the pairing stage (pairs.ts) looks for a
 * label for. A number is read the way the eye reads it, not the way it was drawn: a wrapped cell is one
 * number (the block already joins its lines), and digit groups that stand in a row on one baseline, each
 * of at most four digits and set at an even spacing, are one number however wide the gap between the
 * groups («6 2 1 9   0 7 3 4   5 5 8 1   4 6»: glyphs drawn one by one, letter-spaced, wider between
 * groups). Besides numbers, a cell that holds nothing but a code with digits («RT-2019/004512») is a
 * candidate too: a contract number looks for its label the same way.
 */
import { type Block, cellText } from './blocks.js';
import type { Chunk } from './chunks.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

export interface Candidate {
  /** As assembled: groups joined by a space where they were apart. */
  raw: string;
  digits: string;
  /** A code such as «RT-2019/004512» (a contract's shape) rather than a number. */
  code: boolean;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  h: number;
  /** The chunk the number starts in and the one it ends in (same line unless the cell wrapped it). */
  first: Chunk;
  last: Chunk;
  /** Text before the number in its first chunk («Единый лицевой счёт 6 2 1 9»), trimmed. */
  prefix: string;
  /** Nothing follows the number in its chunk: it may go on on the next line (a cell wrapped it). */
  open: boolean;
  /** The digits of its first line, where a cell wrapped it (the text may hold its lines apart). */
  head: string;
  /** It ends on a separator: the rest is on the next line, and without it the number is not whole. */
  dangling?: boolean;
  block: Block;
}

/** Numbers shorter than this are not looked at (the locator's own floor for listing a candidate). */
export const MIN_DIGITS = 10;
/** The shortest piece of a number wrapped over two lines that is looked at («3 0 4» over the rest). */
const MIN_PIECE = 2;
/** A line of a number that ends on a separator goes on without a space (`44.5946.` ⏎ `2641.8067`). */
const OPEN_END = /\d[-\u2010-\u2013.]$/;
// Digit groups joined by one or two spaces of any width, or by a dash or a dot with at most a space around.
const RUN_RE = /\d+(?:(?:[ \u00A0\u2002-\u200A\u202F]{1,2}|[ \u00A0]?[-\u2010-\u2013.][ \u00A0]?)\d+)*/g;
const GROUPS_ONLY = /^[\d \u00A0\u2002-\u200A\u202F\-\u2010-\u2013.]+$/;
// A cell holding one code with digits, a contract's shape: «RT-2019/004512», «6002/26667», «Д-15/2024».
const CODE_RE = /^(?:\p{L}{1,6}[-/]?)?\d[\p{L}\p{N}]*(?:[/\\-][\p{L}\p{N}]+)+$|^\p{L}{1,6}-?\d{3,}$/u;
const DATE_RE = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;

const digitsOf = (s: string) => s.replace(/\D/g, '');
/** How a piece of a number is drawn: a glyph apart («6 2 1 9», «7») or in compact groups («6219»). */
const drawnAs = (piece: string) => (/^\d(?:\s\d)*$/.test(piece.trim()) ? 'glyphs' : 'groups');
/** A group drawn glyph by glyph («6 2 1 9», letter-spaced) as printed to the eye: «6219». */
const glyphGroup = (piece: string) => (/^\d(?: \d)+$/.test(piece) ? piece.replace(/ /g, '') : piece);
const ASCENT = S.ascent;
const DESCENT = S.descent;

/**
 * The digit-group chunks that continue `chunk`'s number to its right on its line: pieces of at most
 * four digits, each a gap of at most `pieceGap` font heights after the one before, the gaps even
 * (a number drawn in groups keeps one spacing; cells of a table row do not). All of them: a 20-digit bank
 * account drawn a digit per cell is one number of 20 digits, never an account and six digits more.
 */
function piecesAfter(lines: readonly Chunk[][], chunk: Chunk, run: string): Chunk[] {
  // One number is drawn one way: glyph by glyph («6 2 1 9») or in compact groups («6219»), not both.
  const form = drawnAs(run);
  const line = lines[chunk.line]!;
  const pieces: Chunk[] = [];
  let prev = chunk;
  let minGap = Infinity;
  let maxGap = 0;
  for (let col = chunk.col + 1; col < line.length; col++) {
    const next = line[col]!;
    const gap = next.x0 - prev.x1;
    if (!GROUPS_ONLY.test(next.text) || gap > S.pieceGap * chunk.h) break;
    // A lone digit goes with either: the last glyph of a group a cell wrapped («509 4» ⏎ «18 046…»).
    const lone = /^\d$/.test(next.text);
    if (
      next.text.split(/\s+/).some((g) => digitsOf(g).length > S.groupDigits) ||
      (!lone && drawnAs(next.text) !== form)
    )
      break;
    minGap = Math.min(minGap, gap);
    maxGap = Math.max(maxGap, gap);
    if (maxGap > 2 * minGap + 0.5 * chunk.h) break;
    pieces.push(next);
    prev = next;
  }
  return pieces;
}

function candidate(
  block: Block,
  first: Chunk,
  last: Chunk,
  raw: string,
  prefix: string,
  code: boolean,
  open = true,
): Candidate {
  return {
    raw,
    digits: digitsOf(raw),
    head: digitsOf(raw),
    code,
    open,
    x0: Math.min(first.x0, last.x0),
    x1: Math.max(first.x1, last.x1),
    top: first.y - ASCENT * first.h,
    bottom: last.y + DESCENT * last.h,
    h: Math.max(first.h, last.h),
    first,
    last,
    prefix,
    block,
  };
}

/** The runs of digits in one chunk, and the number each makes with the pieces after it on its line. */
/** A day, a month and a year at the head of a run, then a space: how far the rest starts (0: no date). */
const DATE_HEAD = /^(\d{1,2})\.(\d{1,2})\.(?:\d{4}|\d{2})[ \u00A0\u2002-\u200A\u202F]+(?=\d)/;
function dateHead(run: string): number {
  const m = DATE_HEAD.exec(run);
  const date = m && Number(m[1]) >= 1 && Number(m[1]) <= 31 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
  return date ? m[0].length : 0;
}

/** A space, then a day, a month and a year at the tail of a run: where the date starts (the run's length: none). */
const DATE_TAIL = /[ \u00A0\u2002-\u200A\u202F]+(\d{1,2})\.(\d{1,2})\.(?:\d{4}|\d{2})$/;
function dateTail(run: string): number {
  const m = DATE_TAIL.exec(run);
  const date = m && Number(m[1]) >= 1 && Number(m[1]) <= 31 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
  return date ? m.index : run.length;
}

function numbersInChunk(block: Block, chunk: Chunk, lines: readonly Chunk[][], used: Set<Chunk>): Candidate[] {
  const out: Candidate[] = [];
  for (const m of chunk.text.matchAll(RUN_RE)) {
    // A date is a value of its own: the groups after it (a code in the next cell, set close) start afresh,
    // and a number a letter-spaced cell ran into the next cell's date ends before it.
    const skip = dateHead(m[0]);
    const start = m.index + skip;
    const end = m.index + dateTail(m[0]);
    let raw = m[0].slice(skip, end - m.index);
    let last = chunk;
    const rest = chunk.text.slice(end).trim();
    const atEnd = rest === '';
    // A number that ends its line on a separator («518.573.808.255.») goes on below: it is no whole number.
    // A whole number a sentence ends with its period («Счёт: 21004417730952.») is not: no dot inside it.
    const dangling = /^[-\u2010-\u2013.]$/.test(rest) && (raw.includes(rest) || digitsOf(raw).length < MIN_DIGITS);
    // The kopecks of an amount («2978,22») end it: the groups of the next cell, set close, are a number of their own.
    const decimals = /\d,$/.test(chunk.text.slice(0, start));
    if (atEnd && !decimals && raw.split(/\s+/).every((g) => digitsOf(g).length <= S.groupDigits)) {
      const pieces = piecesAfter(lines, chunk, raw);
      // Short pieces join when they make a number, or fill a value cell's line: the rest of a number the
      // cell wrapped (`6264 7230 62` ⏎ `93  90`), which joinWrapped joins only where it makes an account.
      if (
        pieces.length > 0 &&
        (start === 0 || digitsOf(raw).length + pieces.reduce((n, p) => n + digitsOf(p.text).length, 0) >= MIN_DIGITS)
      ) {
        raw = [raw, ...pieces.map((p) => p.text)].map(glyphGroup).join(' ');
        last = pieces.at(-1)!;
        for (const p of pieces) used.add(p);
      }
    }
    const open = last !== chunk || atEnd || dangling;
    // A short run counts only as a piece of a number a cell wrapped: at the end of its chunk.
    if (digitsOf(raw).length < (open ? MIN_PIECE : MIN_DIGITS)) continue;
    // Letters stuck to the number make it part of a word (a serial, an identifier), not a number.
    if (/\p{L}/u.test(chunk.text[start - 1] ?? '') || (last === chunk && /\p{L}/u.test(chunk.text[end] ?? '')))
      continue;
    const found = candidate(
      block,
      chunk,
      last,
      glyphGroup(raw) + (dangling && last === chunk ? rest : ''),
      chunk.text.slice(0, start).trim(),
      false,
      open,
    );
    found.dangling = dangling && last === chunk;
    out.push(found);
  }
  return out;
}

/** Every candidate on a page: numbers of ten digits or more (assembled), and cells holding a code. */
export function findCandidates(
  blocks: readonly Block[],
  lines: readonly Chunk[][],
  lengths: readonly number[],
  wrapReach: number = S.linePitch,
): Candidate[] {
  const out: Candidate[] = [];
  const used = new Set<Chunk>();
  for (const block of blocks) {
    const text = cellText(block);
    if (block.value && block.lines.length > 1 && block.lines.every((l) => GROUPS_ONLY.test(l.text))) {
      // A number wrapped in its cell: the block joined its lines already.
      if (digitsOf(text).length >= MIN_DIGITS) {
        const whole = candidate(block, block.lines[0]!, block.lines.at(-1)!, text, '', false);
        // The text may hold the lines apart (a row header's lines between them): its first line tells where.
        whole.head = digitsOf(block.lines[0]!.text);
        out.push(whole);
      }
      continue;
    }
    // A code, not a number: letters or a slash in it («RT-2019/004512», «6002/26667»).
    if (block.lines.length === 1 && CODE_RE.test(text) && !GROUPS_ONLY.test(text) && !DATE_RE.test(text)) {
      if (!wrappedPiece(block, blocks)) out.push(candidate(block, block.lines[0]!, block.lines[0]!, text, '', true));
      continue;
    }
    for (const chunk of block.lines) {
      if (used.has(chunk)) continue;
      out.push(...numbersInChunk(block, chunk, lines, used));
    }
  }
  // A piece taken into a number before it was reached stands for nothing on its own.
  const pieces = out.filter((c) => !used.has(c.first));
  return joinWrapped(pieces, lines, lengths, wrapReach).filter((c) => c.code || c.digits.length >= MIN_DIGITS);
}

/**
 * Whether a one-line code is a piece of a cell the producer wrapped: under a line that ends on a dash
 * or a slash («78-» over «2020/9489»), or over a few digits that end it («2025/85» over «74»). The
 * reading order joins such cells; read alone, a piece would be a wrong contract number.
 */
function wrappedPiece(block: Block, blocks: readonly Block[]): boolean {
  const near = (b: Block, dy: number) => b !== block && overlapX(b, block) > 0 && dy > 0 && dy <= S.linePitch * block.h;
  return blocks.some(
    (b) =>
      b.lines.length === 1 &&
      ((near(b, block.lines[0]!.y - b.lines[0]!.y) && /[-/\u2010-\u2013]$/.test(b.lines[0]!.text)) ||
        (near(b, b.lines[0]!.y - block.lines[0]!.y) && /^\d{1,4}$/.test(b.lines[0]!.text))),
  );
}

const overlapX = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/**
 * Numbers a cell wrapped over two lines that the blocks did not join (glyphs drawn apart, a break
 * inside a group): a piece that ends its line and is no whole number, and the piece right under it,
 * overlapping it, that makes it one (`3 0 4` ⏎ `6 5 4 6 0 8 1 7 4 1 9`). Pieces are looked up by line.
 */
function joinWrapped(
  candidates: Candidate[],
  lines: readonly Chunk[][],
  lengths: readonly number[],
  reach: number,
): Candidate[] {
  const byLine = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const list = byLine.get(c.first.line) ?? [];
    list.push(c);
    byLine.set(c.first.line, list);
  }
  const gone = new Set<Candidate>();
  for (const c of candidates) {
    if (gone.has(c) || c.code || !c.open || (lengths.includes(c.digits.length) && !c.dangling)) continue;
    // A piece after digits on its line is the middle of a number drawn apart, not the head of a wrapped one.
    const before = lines[c.first.line]?.[c.first.col - 1];
    if (c.prefix === '' && before && GROUPS_ONLY.test(before.text)) continue;
    const fits = (d: Candidate) =>
      d !== c &&
      !gone.has(d) &&
      !d.code &&
      d.prefix === '' &&
      d.first.y > c.last.y &&
      d.first.y - c.last.y <= reach * c.h &&
      overlapX(c, d) > 0 &&
      lengths.includes(c.digits.length + d.digits.length) &&
      !lengths.includes(d.digits.length);
    for (let k = c.last.line + 1; k <= c.last.line + 2; k++) {
      const below = (byLine.get(k) ?? []).find(fits);
      if (!below) continue;
      c.raw += (OPEN_END.test(c.raw) ? '' : ' ') + below.raw;
      c.digits += below.digits;
      c.last = below.last;
      c.bottom = below.bottom;
      c.x0 = Math.min(c.x0, below.x0);
      c.x1 = Math.max(c.x1, below.x1);
      c.open = below.open;
      c.dangling = below.dangling === true;
      gone.add(below);
      break;
    }
  }
  // A number broken off at a separator whose rest was not found is not read at all (never a shorter number).
  return candidates.filter((c) => !gone.has(c) && !c.dangling);
}
