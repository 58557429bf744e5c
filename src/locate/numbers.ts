/**
 * Reading numbers in text: digit groups joined by narrow separators, cut where an amount follows,
 * joined across a line break where a narrow cell wrapped them; and two indexes the locator keeps
 * (the spans already read, the offsets of line starts), each a binary search.
 */

// Between digit groups: one or two spaces of any width, or a dash with at most a space on each side.
// Anything wider (a tab, three spaces, a line break, a bar) ends the number: what follows is another field.
const SPACE = '[ \\u00A0\\u2002-\\u200A\\u202F]';
const DASH = '[\\-\\u2010-\\u2013\\u2212]';
const GROUP_SEP_RE = new RegExp(`(?:${SPACE}{1,2}|${SPACE}?${DASH}${SPACE}?)(?=\\d)`, 'y');
const DIGITS_RE = /\d+/y;
// Dots join groups only in a number whose every group is joined by one («465.992.197.931.65»): after
// a space or a dash, a dot ends the number (an amount «650.00», a sentence's full stop).
const DOT_SEP_RE = /\.(?=\d)/y;
// A number set letter-spaced in plain text («3 9 4 0    7 5 2 6    6 0 0 9    4 4»): single digits a space
// apart, and a wider space between the groups, while digits go on a space apart after it.
const GLYPH_GAP_RE = /[ \u00A0]{3,6}(?=\d[ \u00A0]\d)/y;
const AMOUNT_AFTER_RE = /^[.,]\d{1,2}(?!\d)/;

export interface DigitRun {
  start: number;
  end: number;
  digits: string;
  /** Set when the run was cut at an accepted length because an amount followed in the same field. */
  cut: boolean;
  /** Set when the run continued on the next line (a number wrapped in a narrow cell). */
  wrapped: boolean;
}

/**
 * Spans of the text already read, kept merged and sorted, so that asking whether a position was read
 * is a binary search however many labels a text has.
 */
export class Spans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  add(start: number, end: number): void {
    if (end <= start) return;
    // The first span that ends at or after `start`; it and those after it that begin by `end` merge.
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    let j = lo;
    while (j < this.starts.length && this.starts[j]! <= end) {
      start = Math.min(start, this.starts[j]!);
      end = Math.max(end, this.ends[j]!);
      j++;
    }
    this.starts.splice(lo, j - lo, start);
    this.ends.splice(lo, j - lo, end);
  }

  /** The end of the span that holds `pos`, or -1 when none does. */
  endAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= pos) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return k >= 0 && pos < this.ends[k]! ? this.ends[k]! : -1;
  }
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Reads digit groups joined by narrow separators, starting at a digit. */
export function readGroups(text: string, pos: number): { end: number; groups: Array<{ start: number; end: number }> } {
  const groups: Array<{ start: number; end: number }> = [];
  let i = pos;
  let dotted: boolean | undefined;
  // Every group so far one digit: the number may be set letter-spaced.
  let single = true;
  for (;;) {
    DIGITS_RE.lastIndex = i;
    const m = DIGITS_RE.exec(text);
    if (!m) break;
    groups.push({ start: i, end: i + m[0].length });
    i += m[0].length;
    single &&= m[0].length === 1;
    const next = text.charCodeAt(i);
    // The cheap look at the next character first: this loop reads every digit run of every text.
    if (next === 0x2e /* . */ && dotted !== false) {
      DOT_SEP_RE.lastIndex = i;
      if (DOT_SEP_RE.test(text)) {
        dotted = true;
        i++;
        continue;
      }
    }
    if (dotted) break;
    let sep: RegExpExecArray | null = null;
    if (single && groups.length > 1 && next === 0x20) {
      GLYPH_GAP_RE.lastIndex = i;
      sep = GLYPH_GAP_RE.exec(text);
    }
    if (!sep) {
      GROUP_SEP_RE.lastIndex = i;
      sep = GROUP_SEP_RE.exec(text);
    }
    if (!sep) break;
    dotted = false;
    i += sep[0].length;
  }
  return { end: groups.at(-1)?.end ?? pos, groups };
}

export function digitsOf(text: string, groups: Array<{ start: number; end: number }>): string {
  return groups.map((g) => text.slice(g.start, g.end)).join('');
}

/**
 * Reads the number that starts at `pos`: grouped digits, cut at an accepted length when an amount
 * follows (`1234 5678 9012 34 650,00`), joined with the next line when it was wrapped.
 */
export function readNumber(text: string, pos: number, lengths: readonly number[]): DigitRun {
  const { end, groups } = readGroups(text, pos);
  let digits = digitsOf(text, groups);
  const max = Math.max(...lengths);
  if (digits.length > max) {
    // Stop at an accepted length only at a group boundary, and only when the rest is plainly another
    // number: an amount or a date (`… 34 650,00`, `… 34 01.11.2024`), or the account was printed as
    // one unbroken run (`12345678901234 2024`). A 20-digit bank account grouped by fours never splits at 14.
    let count = 0;
    for (let g = 0; g < groups.length - 1; g++) {
      count += groups[g]!.end - groups[g]!.start;
      const next = groups[g + 1]!;
      const tailIsAmount = g + 1 === groups.length - 1 && AMOUNT_AFTER_RE.test(text.slice(next.end, next.end + 4));
      const unbroken = g === 0 && /^\s$/u.test(text[groups[0]!.end]!);
      if (lengths.includes(count) && (tailIsAmount || unbroken)) {
        return { start: pos, end: groups[g]!.end, digits: digits.slice(0, count), cut: true, wrapped: false };
      }
    }
    return { start: pos, end, digits, cut: false, wrapped: false };
  }
  const wrap = readWrapped(text, end, digits.length, lengths);
  if (wrap) {
    digits += wrap.digits;
    return { start: pos, end: wrap.end, digits, cut: false, wrapped: true };
  }
  return { start: pos, end, digits, cut: false, wrapped: false };
}

/**
 * A number broken over two lines of a narrow cell: `1234 5678` / `9012 34`; or of running text after
 * its first group, when the next line goes on in groups (`… другой — 306` / `135 844 908 73.`).
 */
export function readWrapped(
  text: string,
  end: number,
  have: number,
  lengths: readonly number[],
): { digits: string; end: number } | null {
  if (have < 2) return null;
  const m = /^[-\u2010\u2011]?[ \t\u00A0]*\r?\n[ \t\u00A0]*(?=\d)/.exec(text.slice(end, end + 64));
  if (!m) return null;
  const nextStart = end + m[0].length;
  const { end: nextEnd, groups } = readGroups(text, nextStart);
  if (have < 4 && groups.length < 3) return null;
  const more = digitsOf(text, groups);
  if (!lengths.includes(have + more.length)) return null;
  if (lengths.includes(have)) {
    // Already whole: join only when the next line holds nothing but the rest of the number.
    const lineEnd = text.indexOf('\n', nextEnd);
    if (text.slice(nextEnd, lineEnd < 0 ? text.length : lineEnd).trim() !== '') return null;
  }
  return { digits: more, end: nextEnd };
}
