/**
 * Text read with the other Cyrillic single-byte table (Windows-1251 ↔ KOI8-R), told apart by letter
 * frequencies alone and swapped back (part of the text repair, repair.ts).
 */
import { type Charset, decodeBytes } from './node.js';
import { RUSSIAN_FREQ } from './read.js';

/**
 * Windows-1251 and KOI8-R put the same Russian letters at different bytes, so text read with the other
 * table is still Cyrillic, just the wrong letters in the wrong case: no marker characters, only letter
 * frequencies tell. The text is judged as a whole (a gateway converts a whole body), on a sample.
 */
const SWAP_SAMPLE = 8 * 1024;

/** Character for character: what `from` made of a byte, and what `to` makes of it. */
function swapMap(from: Charset, to: Charset): Map<string, string> {
  const bytes = new Uint8Array(128);
  for (let i = 0; i < 128; i++) bytes[i] = 0x80 + i;
  const a = [...decodeBytes(bytes, from)];
  const b = [...decodeBytes(bytes, to)];
  const map = new Map<string, string>();
  a.forEach((ch, i) => {
    if (ch !== '\uFFFD' && b[i] !== '\uFFFD') map.set(ch, b[i]!);
  });
  return map;
}

const SWAPS = [
  { map: swapMap('koi8-r', 'windows-1251'), family: 'windows-1251-as-koi8-r' },
  { map: swapMap('windows-1251', 'koi8-r'), family: 'koi8-r-as-windows-1251' },
] as const;

/** Characters outside the table (ASCII, entities an HTML reader decoded) stay as they are. */
function swapTables(text: string, map: Map<string, string>): string {
  return text.replace(/[\u0080-\uFFFF]/g, (ch) => map.get(ch) ?? ch);
}

/** log(frequency) of each Russian letter, either case, indexed by code point − 0x400; 0 for other letters. */
const LOG_FREQ = new Float64Array(0x60);
for (const [lower, freq] of Object.entries(RUSSIAN_FREQ)) {
  LOG_FREQ[lower.charCodeAt(0) - 0x400] = Math.log(freq + 0.5);
  LOG_FREQ[lower.toUpperCase().charCodeAt(0) - 0x400] = Math.log(freq + 0.5);
}

interface Shape {
  letters: number;
  /** Mean log-frequency of the letters, case aside: the other table swaps common letters for rare ones. */
  logFreq: number;
  words: number;
  /** Words in capitals only, in lower case only, and words with a capital after a small letter («кХЖЕБНИ»). */
  caps: number;
  lower: number;
  lowerUpper: number;
}

/** One pass over the letters: their frequencies and the case shape of the words they make. */
function shapeOf(sample: string): Shape {
  const shape: Shape = { letters: 0, logFreq: 0, words: 0, caps: 0, lower: 0, lowerUpper: 0 };
  let length = 0;
  let hasUpper = false;
  let hasLower = false;
  let upperAfterLower = false;
  const endWord = () => {
    if (length >= 2) {
      shape.words++;
      if (upperAfterLower) shape.lowerUpper++;
      else if (!hasLower) shape.caps++;
      else if (!hasUpper) shape.lower++;
    }
    length = 0;
    hasUpper = hasLower = upperAfterLower = false;
  };
  let sum = 0;
  for (let i = 0; i <= sample.length; i++) {
    const c = i < sample.length ? sample.charCodeAt(i) : 0x20;
    const k = c - 0x400;
    if (k >= 0 && k < 0x60 && LOG_FREQ[k] !== 0) {
      shape.letters++;
      sum += LOG_FREQ[k]!;
      length++;
      const upper = c < 0x430 && c !== 0x451;
      if (upper) {
        if (hasLower) upperAfterLower = true;
        hasUpper = true;
      } else hasLower = true;
    } else endWord();
  }
  shape.logFreq = shape.letters === 0 ? 0 : sum / shape.letters;
  return shape;
}

/**
 * Either swap turns small letters into capitals and back. Mixed-case text so read becomes capitals with
 * words like «кХЖЕБНИ» (a capitalised word), which no Russian text has; text in capitals becomes small
 * letters that only frequencies tell from Russian, so that needs more letters and a clearer margin.
 */
function bestSwap(
  sample: string,
  here: Shape,
): { other: string; logFreq: number; swap: (typeof SWAPS)[number] } | null {
  // Both swaps change case the same way; the letters tell which table the text really was in.
  let best: { other: string; logFreq: number; swap: (typeof SWAPS)[number] } | null = null;
  for (const swap of SWAPS) {
    const other = swapTables(sample, swap.map);
    const there = shapeOf(other);
    if (there.lowerUpper > here.lowerUpper / 4) continue;
    if (!best || there.logFreq > best.logFreq) best = { other, logFreq: there.logFreq, swap };
  }
  return best;
}

/** The repair families this module finds (see `RepairFamily` in repair.ts). */
export type SwapFamily = 'windows-1251-as-koi8-r' | 'koi8-r-as-windows-1251';

export function repairSwapped(text: string): { text: string; family: SwapFamily | null } {
  const sample = text.length > SWAP_SAMPLE ? text.slice(0, SWAP_SAMPLE) : text;
  const here = shapeOf(sample);
  if (here.letters < 16 || here.words < 3) return { text, family: null };
  const fromMixedCase = here.lowerUpper >= 1 && here.caps + here.lowerUpper >= 0.6 * here.words;
  const fromCapitals = here.lower >= 0.9 * here.words && here.letters >= 40;
  if (fromMixedCase || fromCapitals) {
    const best = bestSwap(sample, here);
    if (best && best.logFreq - here.logFreq > (fromMixedCase ? 0.05 : 0.15)) {
      return { text: sample === text ? best.other : swapTables(text, best.swap.map), family: best.swap.family };
    }
  }
  // A damaged part joined to a clean one (a mail's text parts are read as one): the lines shaped like a
  // swap («кХЖЕБНИ ЯВ╦Р») decide the table together, then each line is judged on its own.
  if (here.lowerUpper === 0) return { text, family: null };
  const lines = text.split('\n');
  const shapes = lines.map(shapeOf);
  const suspect = shapes.map((sh) => sh.lowerUpper >= 1 && sh.caps + sh.lowerUpper >= 0.6 * sh.words);
  const joined = lines.filter((_, i) => suspect[i]).join('\n');
  const together = shapeOf(joined);
  if (together.letters < 16) return { text, family: null };
  const best = bestSwap(joined, together);
  if (!best || best.logFreq - together.logFreq <= 0.05) return { text, family: null };
  // The damaged part is one stretch of lines: a line in capitals there became small letters only
  // («мйгечпк уюіф»), too short for frequencies to judge, and is swapped with its neighbours.
  const first = suspect.indexOf(true);
  const last = suspect.lastIndexOf(true);
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const sh = shapes[i]!;
    if (sh.letters === 0) continue;
    const other = swapTables(lines[i]!, best.swap.map);
    const inStretch =
      (i >= first - 2 && i <= last + 2 && (sh.words === 0 ? sh.letters <= 4 : sh.lower === sh.words)) ||
      // A line of small letters became capitals («ДПЗПЧПТ 5161/70577»): only between damaged lines,
      // where a clean line in capitals («ИНН», «ПАО») would have been damaged too.
      (i > first && i < last && sh.words > 0 && sh.caps === sh.words);
    if (
      suspect[i] ||
      inStretch ||
      (sh.lower === sh.words && sh.letters >= 4 && shapeOf(other).logFreq - sh.logFreq > 0.3)
    ) {
      lines[i] = other;
      changed = true;
    }
  }
  return changed ? { text: lines.join('\n'), family: best.swap.family } : { text, family: null };
}
