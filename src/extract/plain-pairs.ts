/**
 * Plain text (layout/text-pairs.ts) and a mail's HTML body (its tables' cells, html-grid.ts) paired by
 * position only where the text alone leaves something unexplained: the pairing stage over a whole body
 * costs about a tenth of reading a mail, and most bodies print «Лицевой счёт: 1234…» on one line, which
 * the locator reads from the text. A block's pairing waits here until the locator's first reading of it
 * leaves a label without its number or an account-shaped number without a label; then it is made once
 * and the block read again with it.
 */
import { pairPlainText } from '../layout/index.js';
import type { LocateResult } from '../locate/locate.js';
import type { PositionedPair } from '../locate/pairs.js';
import type { TextBlock } from './types.js';

interface Later {
  /** Makes the pairs (once). */
  make: () => PositionedPair[];
  lengths: readonly number[];
  /**
   * A short number after a label asks for pairs only when digits follow it (an HTML body's pairing
   * parses the page again: «по лицевому счёту 450 руб.» in a bill's text must not pay for that).
   */
  piecesOnly?: boolean;
  pairs?: PositionedPair[];
}

const waiting = new WeakMap<TextBlock, Later>();

/** Words of an account's label: a reading that found no account may want positions. */
const ACCOUNT_WORD = /сч[её]т|л\/?с|елс|akun|l\/s|account/iu;
/**
 * A contract's label with its «№» or «номер» (also a few words on: «Договор на оказание услуг связи №»),
 * or a line that starts with «Договор» (a field's name wrapped in its cell); a bare «договор» inside a
 * sentence is no field.
 */
const CONTRACT_FIELD =
  /договор\p{L}*(?:[ \t]+[\p{L}-]+){0,5}[ \t]*(?:№|n[o°]?\b)|(?:номер|№)\s*договор|^[ \t]*договор|contract\s*no|kontrak/imu;

/** `block` (plain text read from `source`) is to be paired by position when its reading asks for it. */
export function pairLater(block: TextBlock, source: string, lengths: readonly number[]): void {
  waiting.set(block, { make: () => pairPlainText(source, { lengths }).pairs, lengths });
}

/**
 * `blocks` (read from one HTML body, `pairs` making its tables' pairs) are to be paired when a reading
 * asks for it; the blocks of one body share one pairing.
 */
export function pairHtmlLater(blocks: TextBlock[], pairs: () => PositionedPair[], lengths: readonly number[]): void {
  const later: Later = { make: pairs, lengths, piecesOnly: true };
  for (const block of blocks) waiting.set(block, later);
}

/** `to` replaces `from` (its lines broken, say): its pairing waits with it. */
export function carryPairing(from: TextBlock, to: TextBlock): void {
  const later = waiting.get(from);
  if (later) waiting.set(to, later);
}

/**
 * Whether a reading of text leaves something a reader would connect by position: a piece of a number
 * a label points at (TOO_FEW_DIGITS), a number of an account's length with no label, no account though
 * an account's label word is there, or no contract number though a contract's field is.
 */
function unexplained(found: LocateResult, text: string, later: Later): boolean {
  const { lengths, piecesOnly } = later;
  const open = found.rejected.some(
    (r) =>
      (r.code === 'TOO_FEW_DIGITS' && (!piecesOnly || morePiecesAfter(text, r.index + r.raw.length))) ||
      (r.code === 'NO_LABEL' && lengths.includes(r.number.length)),
  );
  if (open) return true;
  if (found.accounts.length === 0 && ACCOUNT_WORD.test(text)) return true;
  return found.contractNumbers.length === 0 && CONTRACT_FIELD.test(text);
}

/**
 * Whether digits follow a short number a label points at, past spaces, a line break or a dash: then it
 * may be a piece of one (wrapped in its cell, drawn in groups far apart). «по лицевому счёту 450 руб.»
 * is an amount, and asks for nothing.
 */
function morePiecesAfter(text: string, end: number): boolean {
  return /^[\s\u00a0\u202f\-\u2010-\u2014.]{0,40}\d/u.test(text.slice(end, end + 48));
}

/** The block's pairs by position when its first reading `found` of `text` asks for them, else undefined. */
export function pairsWanted(block: TextBlock, found: LocateResult, text: string): PositionedPair[] | undefined {
  const later = waiting.get(block);
  if (!later || !unexplained(found, text, later)) return undefined;
  later.pairs ??= later.make();
  return later.pairs.length > 0 ? later.pairs : undefined;
}
