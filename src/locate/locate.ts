/**
 * The locator: one pure function from text to labelled accounts, contract numbers and the candidates
 * it turned down. A digit-only number is just digits; only its label says what it is. So the locator
 * never reports a number that no account label (or the QR `PersAcc` field) points at, and it keeps the
 * reason for every number it did not report.
 */
import { type AccountOptions, resolveLengths } from '../account.js';
import { findLabels } from './labels.js';
import { type DigitRun, digitsOf, LineIndex, readGroups, readNumber, Spans } from './numbers.js';
import { findDigits, type PositionedPair } from './pairs.js';
import { findQrPayloads } from './qr.js';
import {
  captionedValue,
  contractShaped,
  findValueStart,
  readContract,
  runningContract,
  valueBefore,
} from './values.js';

export interface LocateOptions extends AccountOptions {
  /** At most this many rejected candidates are kept per text (a bound for texts full of numbers). */
  maxRejected?: number;
  /**
   * The text was recognised by OCR: digits misread as letters («O»/«о» for 0, «l»/«I» for 1, «З» for 3)
   * are repaired inside numbers, and OCR's readings of «Л/С» («JI/C», «Л|С») count as labels. A repaired
   * account still needs its label and an accepted length, and gets a lower confidence.
   */
  ocrText?: boolean;
  /**
   * Labels paired with numbers by position (the layout's pairing stage over a page's items): each number
   * is judged like one read after its label in text, where the text itself did not put them together.
   */
  pairs?: readonly PositionedPair[];
}

export interface AccountMatch {
  /** The account, digits only. */
  number: string;
  /** As printed, with its grouping. */
  raw: string;
  /** The label that names it, as printed («Л/С», «Лицевой счёт абонента», `PersAcc`). */
  label: string;
  /** Offset of `raw` in the text. */
  index: number;
  /** 1-based line of `raw` in the text. */
  line: number;
  /** 0..1: how surely this is the account (label strength, placement, repairs). */
  confidence: number;
}

export interface ContractMatch {
  number: string;
  raw: string;
  label: string;
  index: number;
  line: number;
}

export type RejectCode =
  | 'NO_LABEL'
  | 'TOO_MANY_DIGITS'
  | 'TOO_FEW_DIGITS'
  | 'MASKED'
  | 'BANK_ACCOUNT'
  | 'PHONE_NUMBER'
  | 'BILL_NUMBER'
  | 'CONTRACT_NUMBER'
  | 'GLUED_TO_TEXT';

export interface RejectedCandidate {
  raw: string;
  /** Digits of `raw`. */
  number: string;
  code: RejectCode;
  /** Human words for `code`, e.g. `too many digits: 20`. */
  reason: string;
  /** The label in front of it, or null when none was. */
  label: string | null;
  index: number;
  line: number;
}

export interface LocateResult {
  accounts: AccountMatch[];
  contractNumbers: ContractMatch[];
  rejected: RejectedCandidate[];
}

const DEFAULT_MAX_REJECTED = 200;

// «Счёт № …», «Счет на оплату № …»: the bill's own number (C and E may be Latin).
const BILL_NUMBER_BEFORE = /[СсCc][Чч][ЕеЁёEe][Тт](?:\s+на\s+оплату)?\s*№\s*$/iu;
const MASK_CHARS = /[*•×xXхХ]/;
const LETTER_RE = /\p{L}/u;
// OCR's digit misreadings, and the words they may appear in: a token of digits and such letters, holding
// at least one real digit («567O», «9OlЗ»), is a number; a token of letters only («О», «Il») is left alone.
const OCR_DIGITS: Record<string, string> = { O: '0', o: '0', О: '0', о: '0', l: '1', I: '1', З: '3', з: '3' };
const OCR_TOKEN_RE = /(?<![\p{L}\p{N}])[\dOoОоlIЗз]*\d[\dOoОоlIЗз]*(?![\p{L}\p{N}])/gu;
/**
 * Confidence factors, multiplied into a label's weight: how surely the placement of a number says
 * it is the account the label names.
 * - SAME_LINE: the value right after its label on one line («Л/с 1234…»).
 * - NEXT_LINE: the value heading the next line (a form field, a header cell over its value).
 * - CUT: a run cut at an accepted length because an amount or a date followed in its field.
 * - WRAPPED: a number joined across a line break (a narrow cell wrapped it).
 * - OCR_REPAIR: digits repaired from OCR's misreadings («O» for 0).
 * - QR: the payment QR's `PersAcc` field (a machine wrote it; only its key is short of a label).
 */
const FACTORS = Object.freeze({ SAME_LINE: 0.98, NEXT_LINE: 0.92, CUT: 0.95, WRAPPED: 0.92, OCR_REPAIR: 0.85 });
const QR_CONFIDENCE = 0.99;

/** Replaces OCR's digit misreadings inside numbers, one character for one, so offsets stay the same. */
export function repairOcrDigits(text: string): string {
  return text.replace(OCR_TOKEN_RE, (token) => token.replace(/[OoОоlIЗз]/g, (ch) => OCR_DIGITS[ch]!));
}

function isMasked(text: string, start: number, end: number): boolean {
  return MASK_CHARS.test(text[end] ?? '') || MASK_CHARS.test(text[start - 1] ?? '');
}

function maskedSpan(text: string, start: number): { start: number; end: number } {
  const re = /[\d*•×xXхХ]+/y;
  let s = start;
  while (s > 0 && /[\d*•×xXхХ]/.test(text[s - 1]!)) s--;
  re.lastIndex = s;
  const m = re.exec(text);
  return { start: s, end: s + (m?.[0].length ?? 0) };
}

function isPhoneLike(digits: string, raw: string): boolean {
  return (digits.length === 11 && /^[78]/.test(digits)) || (/^\+7/.test(raw) && digits.length === 11);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Finds the personal accounts and contract numbers in `text`.
 *
 * @example
 * locate('Лицевой счёт: 1234 5678 9012 34').accounts[0].number // '12345678901234'
 */
export function locate(input: string, options: LocateOptions = {}): LocateResult {
  const maxRejected = options.maxRejected ?? DEFAULT_MAX_REJECTED;
  if (!Number.isInteger(maxRejected) || maxRejected < 0) throw new TypeError('maxRejected must be a whole number ≥ 0');
  const reading = new Reading(input, options, maxRejected);
  reading.readQrPayloads(); // 1. machine-written fields first: their keys are labels, the rest of them is not text
  reading.readLabels(); // 2. labels, left to right; each claims the value it reads
  reading.readPairs(options.pairs ?? []); // 2b. numbers a label points at by position
  reading.listTheRest(); // 3. every other long digit run, with the reason it is not an account
  return reading.result();
}

/** One text being read: what it found so far, and which spans of the text are taken. */
class Reading {
  private readonly lengths: readonly number[];
  /**
   * Numbers are read on `text`; what is reported as printed (`raw`) comes from `input`. They differ only
   * in OCR text, where misread digits were repaired one character for one.
   */
  private readonly text: string;
  private readonly lines: LineIndex;
  private readonly accounts = new Map<string, AccountMatch>();
  private readonly contracts = new Map<string, ContractMatch>();
  private readonly rejected: RejectedCandidate[] = [];
  /** Spans already read as a value (or a QR payload): not read again, not listed as unlabelled. */
  private readonly claimed = new Spans();
  /** Numbers the pairing stage read whole: a piece of one («6 2 1 9» of a number drawn in groups) is no candidate. */
  private readonly paired = new Spans();

  constructor(
    private readonly input: string,
    private readonly options: LocateOptions,
    private readonly maxRejected: number,
  ) {
    this.lengths = resolveLengths(options);
    this.text = options.ocrText ? repairOcrDigits(input) : input;
    this.lines = new LineIndex(this.text);
  }

  result(): LocateResult {
    return {
      accounts: [...this.accounts.values()],
      contractNumbers: [...this.contracts.values()],
      rejected: this.rejected.filter((r) => this.paired.endAt(r.index) < 0).sort((a, b) => a.index - b.index),
    };
  }

  /** Payment QR payloads: their fields are labelled by key, and nothing else in them is a candidate. */
  readQrPayloads(): void {
    const { text, claimed, lengths } = this;
    for (const qr of findQrPayloads(text)) {
      // The free-text Purpose field is read as text: «Оплата услуг связи, лицевой счет 4120…» (a payment
      // string without PersAcc names the account only there).
      const purpose = qr.fields.find((f) => f.key.toLowerCase() === 'purpose' && f.value !== '');
      if (purpose) {
        claimed.add(qr.start, purpose.valueStart);
        claimed.add(purpose.valueStart + purpose.value.length, qr.end);
      } else claimed.add(qr.start, qr.end);
      for (const field of qr.fields) {
        const key = field.key.toLowerCase();
        if (key === 'persacc' && /^\d/.test(field.value)) {
          this.acceptRun(readNumber(text, field.valueStart, lengths), field.key, QR_CONFIDENCE);
        } else if (key === 'contract' && field.value) {
          this.addContract(field.value.replace(/\s+/g, ''), field.value, field.key, field.valueStart);
        } else if ((key === 'personalacc' || key === 'personalaccount' || key === 'correspacc') && field.value) {
          const reason = `a bank account (${field.key}), not a personal account`;
          this.reject(field.value, 'BANK_ACCOUNT', reason, field.key, field.valueStart);
        }
      }
    }
  }

  /** Labels, left to right; each claims the value it reads. */
  readLabels(): void {
    const { text, claimed, lengths } = this;
    for (const label of findLabels(text, { ocr: this.options.ocrText })) {
      if (this.isClaimed(label.start)) continue;
      if (label.kind === 'contract') {
        const read = readContract(text, label, lengths);
        const c = read && (!label.bare || contractShaped(text, label, read)) ? read : runningContract(text, label.end);
        if (c && this.placedElsewhere(label, c)) continue;
        if (c) {
          this.addContract(c.number, c.raw, label.text, c.start);
          claimed.add(c.start, c.end);
        }
        continue;
      }
      const at = valueBefore(text, label) ?? findValueStart(text, label.end) ?? captionedValue(text, label);
      if (!at || this.isClaimed(at.pos)) continue;
      const run = readNumber(text, at.pos, lengths);
      this.acceptRun(run, label.text, label.weight * (at.sameLine ? FACTORS.SAME_LINE : FACTORS.NEXT_LINE));
    }
  }

  /**
   * A contract the text reads on a line below its label, where the pairing stage paired that label by
   * position with another code: the reading order put a neighbour's value under the header (a column's
   * header over its cells, «Договор … №» above «18-2026/1031» while another column's wrapped number came
   * first in the text), and the pair is what the eye reads (readPairs adds it).
   */
  private placedElsewhere(label: { text: string; start: number }, read: { number: string; start: number }): boolean {
    if (this.lines.lineOf(read.start) === this.lines.lineOf(label.start)) return false;
    const same = (a: string) => a.replace(/\s+/g, ' ').trim() === label.text.replace(/\s+/g, ' ').trim();
    const placed = (this.options.pairs ?? []).filter((p) => p.kind === 'contract' && same(p.label));
    return (
      placed.length > 0 && !placed.some((p) => p.raw.replace(/\s+/g, '') === read.number || p.digits === read.number)
    );
  }

  /** Numbers a label points at by position (the layout's pairing stage) where the text did not join them. */
  readPairs(pairs: readonly PositionedPair[]): void {
    const { text, claimed, accounts, contracts } = this;
    for (const pair of pairs) {
      // A number a cell wrapped may stand in the text with its lines apart: then its first line tells where.
      const whole = findDigits(text, pair.digits);
      const span = whole ?? (pair.head && pair.head !== pair.digits ? findDigits(text, pair.head) : undefined);
      if (pair.kind === 'contract') {
        // As the text reader keeps it: a code as printed («6002/26667»), a number printed like an account as digits.
        const number = /^[\d\s\-\u2010-\u2013.]+$/u.test(pair.raw) ? pair.digits : pair.raw.replace(/\s+/g, '');
        if (!accounts.has(pair.digits)) this.addContract(number, pair.raw, pair.label, span?.start ?? 0);
        if (span) claimed.add(span.start, span.end);
        continue;
      }
      // Read already: by a label in the text, or as the contract.
      const readAlready = accounts.has(pair.digits) || contracts.has(pair.digits);
      if (!span || readAlready || (whole && claimed.endAt(span.start) >= span.end)) continue;
      const run = { start: span.start, end: span.end, digits: pair.digits, cut: false, wrapped: false };
      this.acceptRun(run, pair.label, pair.score, pair.raw);
      if (accounts.has(pair.digits)) this.paired.add(span.start, span.end);
    }
  }

  /** Every other long digit run is listed with the reason it is not an account. */
  listTheRest(): void {
    const { text, input, claimed, rejected } = this;
    const contractDigits = new Set([...this.contracts.keys()].map((n) => n.replace(/\D/g, '')));
    const RUN_START = /(?<![\d\p{L}])\d/gu;
    for (let m = RUN_START.exec(text); m && rejected.length < this.maxRejected; m = RUN_START.exec(text)) {
      const start = m.index;
      if (this.isClaimed(start)) {
        RUN_START.lastIndex = Math.max(RUN_START.lastIndex, claimed.endAt(start));
        continue;
      }
      const { end, groups } = readGroups(text, start);
      RUN_START.lastIndex = end;
      const digits = digitsOf(text, groups);
      const raw = input.slice(start, end);
      if (isMasked(text, start, end)) {
        const span = maskedSpan(text, start);
        RUN_START.lastIndex = Math.max(end, span.end);
        if (span.end - span.start >= 10)
          this.reject(input.slice(span.start, span.end), 'MASKED', 'masked account', null, span.start);
        continue;
      }
      if (digits.length < 10) continue;
      if (contractDigits.has(digits)) {
        this.reject(raw, 'CONTRACT_NUMBER', 'is the contract number', null, start);
      } else if (isPhoneLike(digits, text.slice(Math.max(0, start - 1), end))) {
        this.reject(raw, 'PHONE_NUMBER', 'a phone number', null, start);
      } else if (BILL_NUMBER_BEFORE.test(text.slice(Math.max(0, start - 32), start))) {
        this.reject(raw, 'BILL_NUMBER', 'the number of the bill, not the account', null, start);
      } else {
        this.reject(raw, 'NO_LABEL', 'no account label points at it', null, start);
      }
    }
  }

  /** Judges a digit run that a label points at, and reports or rejects it. */
  private acceptRun(run: DigitRun, label: string, confidence: number, printed?: string): void {
    const { text, input, lengths } = this;
    const raw = printed ?? input.slice(run.start, run.end);
    if (isMasked(text, run.start, run.end)) {
      const span = maskedSpan(text, run.start);
      this.reject(input.slice(span.start, span.end), 'MASKED', 'masked account', label, span.start);
      this.claimed.add(span.start, span.end);
      return;
    }
    this.claimed.add(run.start, run.end);
    if (!run.cut && LETTER_RE.test(text[run.end] ?? '')) {
      this.reject(raw, 'GLUED_TO_TEXT', 'letters stick to the number', label, run.start);
      return;
    }
    const n = run.digits.length;
    if (!lengths.includes(n)) {
      const expected = lengths.join(' or ');
      if (n > Math.max(...lengths))
        this.reject(raw, 'TOO_MANY_DIGITS', `too many digits: ${n} (expected ${expected})`, label, run.start);
      else this.reject(raw, 'TOO_FEW_DIGITS', `too few digits: ${n} (expected ${expected})`, label, run.start);
      return;
    }
    const repaired = text !== input && text.slice(run.start, run.end) !== input.slice(run.start, run.end);
    const factor =
      (run.cut ? FACTORS.CUT : 1) * (run.wrapped ? FACTORS.WRAPPED : 1) * (repaired ? FACTORS.OCR_REPAIR : 1);
    this.addAccount(run.digits, raw, label, run.start, confidence * factor);
  }

  private isClaimed(pos: number): boolean {
    return this.claimed.endAt(pos) >= 0;
  }

  private reject(raw: string, code: RejectCode, reason: string, label: string | null, index: number): void {
    if (this.rejected.length >= this.maxRejected) return;
    const number = this.text.slice(index, index + raw.length).replace(/\D/g, '');
    this.rejected.push({ raw, number, code, reason, label, index, line: this.lines.lineOf(index) });
  }

  private addAccount(number: string, raw: string, label: string, index: number, confidence: number): void {
    const known = this.accounts.get(number);
    if (known) {
      known.confidence = Math.max(known.confidence, round2(confidence));
      return;
    }
    const line = this.lines.lineOf(index);
    this.accounts.set(number, { number, raw, label, index, line, confidence: round2(confidence) });
  }

  private addContract(number: string, raw: string, label: string, index: number): void {
    if (!this.contracts.has(number))
      this.contracts.set(number, { number, raw, label, index, line: this.lines.lineOf(index) });
  }
}
