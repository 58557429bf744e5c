/**
 * Words drawn one item each, as cairo draws them (print-to-PDF on Linux, Inkscape, pdftocairo): every
 * word a positioned piece of its own, its spaces left out, so the runs that tell a line's cells apart
 * (chunks.ts, `runBreak`) are gone. The line's own word space tells them apart instead.
 */
import { LAYOUT_SETTINGS as S } from './settings.js';

/** What a word's place needs: its text, left edge and width. */
interface Placed {
  text: string;
  x: number;
  width: number;
}

const VALUE_RE = /^[^\p{L}\p{N}]*\p{N}/u;

/** A value: its first letter or digit is a digit (an account, an amount, a date). */
export const isValueText = (text: string): boolean => VALUE_RE.test(text);

/** A word drawn as an item of its own: no space inside, a letter in it, not a value, not one glyph. */
const isWordItem = (text: string) => !/\s/.test(text) && /\p{L}/u.test(text) && !isValueText(text) && text.length >= 2;

/**
 * A line's items as words: items closer than a glue gap are one word (cairo cuts a word where its font
 * subset changes: «Л» «/» «С»), each with its text and the gap before it.
 */
export interface LineWords {
  /** The word each item belongs to. */
  of: number[];
  words: Array<{ text: string; gap: number }>;
  /**
   * The narrowest gap between two words (of two letters or more) on the line: its word space, where its
   * producer draws words apart and leaves the spaces out (cairo draws every word as a positioned piece
   * of its own). Infinity where no two such words stand side by side.
   */
  space: number;
}

export function lineWords(items: readonly Placed[], h: number): LineWords {
  const of: number[] = [];
  const words: Array<{ text: string; gap: number }> = [];
  for (let i = 0; i < items.length; i++) {
    const prev = items[i - 1];
    const gap = prev ? items[i]!.x - (prev.x + prev.width) : Infinity;
    const text = items[i]!.text.trim();
    if (gap < S.glueGap * h && words.length > 0) words.at(-1)!.text += text;
    else words.push({ text, gap });
    of.push(words.length - 1);
  }
  let space = Infinity;
  for (let w = 1; w < words.length; w++)
    if (isWordItem(words[w - 1]!.text) && isWordItem(words[w]!.text)) space = Math.min(space, words[w]!.gap);
  return { of, words, space };
}

/**
 * Whether the gap before item `i` parts two cells of words drawn word by word: wider than a run gap
 * and `wordSpaces` times the line's word space (`lineWords`), after a word or a sign («№») and before
 * a word or a value (as `runBreak` parts a run of words from a value). Justified lines widen every word
 * space alike; letter-spaced glyphs are no words.
 */
export function wordBreak(line: LineWords, i: number, gap: number, h: number): boolean {
  const w = line.of[i]!;
  if (w === 0 || line.of[i - 1] === w || gap < S.runGap * h || gap < S.wordSpaces * line.space) return false;
  const a = line.words[w - 1]!.text;
  const b = line.words[w]!.text;
  if (!isWordItem(b) && !isValueText(b)) return false;
  if (isWordItem(a) || /^[^\p{L}\p{N}\s]$/u.test(a)) return true;
  // A word of one letter («Сумма к», «№ в»), set a word space after a word: not a letter-spaced glyph.
  const space = line.words[w - 1]!.gap;
  return w >= 2 && /^\p{L}$/u.test(a) && isWordItem(line.words[w - 2]!.text) && space < S.wordSpaces * line.space;
}

/** A date, a space, then a code or a number: «04.03.2022 69-2021/9340». */
const DATE_THEN_VALUE = /^(\d{1,2}\.\d{1,2}\.\d{2,4}) +(\p{Lu}{0,4}-?\d[\d\-/]*\d)$/u;

/**
 * Items that hold a date and the value of the next cell as one, split in two: cairo draws the cells of
 * a row in one `TJ` where they stand close, and pdf.js turns any offset under 0.6 em into a space, so
 * «04.03.2022» and the contract code 0.57 em after it arrive as one item. Each part gets its share of the
 * item's width by its characters (the space between them the space's), so the code stands under its
 * own header. A date is never the head of a code, and nothing else is split.
 */
export function splitDateValue<T extends Placed>(items: T[]): T[] {
  if (!items.some((i) => DATE_THEN_VALUE.test(i.text.trim()))) return items;
  return items.flatMap((i) => {
    const text = i.text.trim();
    const m = DATE_THEN_VALUE.exec(text);
    if (!m) return [i];
    const per = i.width / text.length;
    const rest = text.length - m[2]!.length;
    return [
      { ...i, text: m[1]!, width: m[1]!.length * per },
      { ...i, text: m[2]!, x: i.x + rest * per, width: m[2]!.length * per },
    ];
  });
}
