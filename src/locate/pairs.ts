/**
 * Pairings made by position (the layout's pairing stage, layout/pairs.ts) as the locator sees them:
 * a label, the number a reader connects it to, how (`relation`) and how surely (`score`). The locator
 * judges such a number as it judges one read after a label in text (length, mask, what else it is),
 * and finds it in the page's text to say where it stands.
 */
import type { LabelKind } from './labels.js';

export type Relation = 'left' | 'row' | 'above' | 'header' | 'caption' | 'heading';

export interface PositionedPair {
  kind: LabelKind;
  /** The label as printed. */
  label: string;
  /** The number (or contract code) as assembled from its pieces. */
  raw: string;
  /** Its digits. */
  digits: string;
  /** The digits of its first line (the text may hold the lines of a wrapped number apart). */
  head?: string;
  relation: Relation;
  /** 0..1: the label's weight times how surely the relation ties a label to a value. */
  score: number;
}

/** At most this many characters (spaces, dashes, a line break, a tab) stand between two digits of one number in text. */
const MAX_SEPARATION = 4;

/**
 * Where the number with these digits stands in `text`: its first digit and one past its last, the
 * digits in order with nothing but a few separators between them (no letter, no other digit), or
 * undefined. The layout wrote every piece of the number into the text; reading order may have put a
 * line break or a tab between pieces drawn apart.
 */
export function findDigits(text: string, digits: string): { start: number; end: number } | undefined {
  if (digits === '') return undefined;
  for (let at = text.indexOf(digits[0]!); at >= 0; at = text.indexOf(digits[0]!, at + 1)) {
    if (/\d/.test(text[at - 1] ?? '')) continue;
    let pos = at;
    let k = 1;
    while (k < digits.length) {
      let next = pos + 1;
      while (next < text.length && next - pos <= MAX_SEPARATION && !/[\d\p{L}]/u.test(text[next]!)) next++;
      if (text[next] !== digits[k]) break;
      pos = next;
      k++;
    }
    if (k === digits.length && !/\d/.test(text[pos + 1] ?? '')) return { start: at, end: pos + 1 };
  }
  return undefined;
}
