/**
 * Where a label's value stands in text: on its line after signs and leaders, at the head of the next
 * line (a form field, a header cell), after a few words and a dash or colon (running text), or in the
 * row above a form's caption; and how a contract number is read after its label.
 */
import { findLabels, LABEL_GAP_RE, type LabelMatch } from './labels.js';
import { digitsOf, readGroups } from './numbers.js';

/**
 * Between a label and its number in running text: up to six words (commas allowed) and a spaced dash
 * («у них другой —», «, к которому привязаны все услуги, —»), the text perhaps wrapped between the
 * words, before the dash or after it (a hard-wrapped mail, a narrow column),
 * or up to three words in small letters («у вас теперь»); no digit, so no other number stands between.
 */
const RUNNING_RE =
  /^,?[ \u00A0]*(?:\r?\n[ \u00A0]*(?=\p{Ll}))?((?:\p{L}+,?(?:[ \u00A0]+|[ \u00A0]*\r?\n[ \u00A0]*)){0,5}\p{L}+),?(?:[ \u00A0]+|[ \u00A0]*\r?\n[ \u00A0]*)[—–-](?:[ \u00A0]*\r?\n)?[ \u00A0]*(?=\d)|^((?:\p{Ll}+[ \u00A0]+){0,2}\p{Ll}{2,})[ \u00A0]+(?=\d)/u;
/**
 * The same after a contract's label: a few words, then a colon or a spaced dash («договор прежний: RT-…»),
 * perhaps on the next line when it goes on in small letters, as a sentence does (a header cell's next line
 * is a row of cells: «Nomor kontrak» ⏎ «Nomor pesanan: 3916…» is another field's).
 */
const CONTRACT_RUNNING_RE =
  /[ \u00A0]*(?:\r?\n[ \u00A0]*(?=\p{Ll}))?((?:\p{L}+[ \u00A0]+){0,3}\p{L}+)(?::|[ \u00A0]+[—–-])[ \u00A0]*(?:\r?\n[ \u00A0]*)?/uy;
/** Words that name another number: after them the number is theirs, not the account's. */
const OTHER_NUMBER_WORD =
  /(?<!\p{L})(?:инн|кпп|бик|огрн\p{L}*|окпо|р\/?с|к\/?с|тел\p{L}*|паспорт\p{L}*|сч[её]т\p{L}*|карт\p{L}*|заказ\p{L}*|код\p{L}*|договор\p{L}*|квитанци\p{L}*|сумм\p{L}*|руб\p{L}*)(?!\p{L})/iu;

// WhatsApp «[12.11.2026, 10:17:42] Name: », Android «12.11.2026, 10:17 - Name: », Telegram «[10:17] Name: ».
const CHAT_HEAD_RE =
  /\[?(?:\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s+)?\d{1,2}:\d{2}(?::\d{2})?\]?\s*(?:[-–]\s*)?[^:\n\d]{1,40}:[ \t]*/y;

/**
 * Where the value under a label that ends its line starts on the line below (`next`, its start; `at`,
 * past the leaders at its head): at its head when the label opens its line; else in the cell of the same
 * rank when both lines have as many tab-separated cells (a header row over its values), and nowhere
 * otherwise, since the head of the line below is the first column's («Л/с | Договор №» over «5100… |
 * RT-…»: the contract is not the account under the first header).
 */
function cellBelow(text: string, labelEnd: number, next: number, at: number): number | null {
  const lineStart = text.lastIndexOf('\n', labelEnd - 1) + 1;
  let rank = 0;
  for (let i = text.indexOf('\t', lineStart); i >= 0 && i < labelEnd; i = text.indexOf('\t', i + 1)) rank++;
  if (rank === 0) return at;
  const cellsOf = (from: number) => {
    const end = text.indexOf('\n', from);
    return text
      .slice(from, end < 0 ? text.length : end)
      .replace(/\r$/, '')
      .split('\t');
  };
  const mine = cellsOf(lineStart);
  const below = cellsOf(next);
  if (mine.length !== below.length) return null;
  const offset = below.slice(0, rank).reduce((n, c) => n + c.length + 1, 0);
  LABEL_GAP_RE.lastIndex = next + offset;
  return next + offset + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
}

/** Where the value of a label starts: on its line after the gap, or at the head of the next non-empty line. */
export function findValueStart(text: string, labelEnd: number): { pos: number; sameLine: boolean } | null {
  LABEL_GAP_RE.lastIndex = labelEnd;
  let i = labelEnd + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
  if (/\d/.test(text[i] ?? '')) return { pos: i, sameLine: true };

  const ch = text[i];
  if (ch === undefined || ch === '\n' || ch === '\r') {
    // The label ends its line (a table cell, a form field): the value heads the next non-empty line.
    let lines = 0;
    while (i < text.length && lines < 4) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl + 1;
      lines++;
      // In a chat export the value is the next message: skip its «[12.11.2026, 10:17:42] Кирилл: » head.
      CHAT_HEAD_RE.lastIndex = i;
      i += CHAT_HEAD_RE.exec(text)?.[0].length ?? 0;
      LABEL_GAP_RE.lastIndex = i;
      const head = i + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
      if (head >= text.length || text[head] === '\n' || text[head] === '\r') continue;
      const j = cellBelow(text, labelEnd, i, head);
      return j !== null && /\d/.test(text[j] ?? '') ? { pos: j, sameLine: false } : null;
    }
    return null;
  }

  // «Лицевой счёт абонента в ПАО «Ростелеком»: 1234…» — a few words, then a colon, then the value.
  const rest = text.slice(i, i + 64);
  const colon = /^[^\n.;!?:\d]{1,60}:/.exec(rest);
  if (colon) {
    LABEL_GAP_RE.lastIndex = i + colon[0].length;
    const j = i + colon[0].length + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
    if (/\d/.test(text[j] ?? '')) return { pos: j, sameLine: true };
  }
  // Running text: «лицевой счёт у них другой — 4182…», «лицевой счёт теперь 4182…».
  const running = RUNNING_RE.exec(rest);
  const words = running?.[1] ?? running?.[2];
  if (running && words && !OTHER_NUMBER_WORD.test(words) && findLabels(words).next().done)
    return { pos: i + running[0].length, sameLine: true };
  return null;
}

/** A cell that opens with a number and a dash or parenthesis before its label, and nothing else. */
const NUMBER_THEN_DASH_RE =
  /^[ \u00A0]*(\d[\d \u00A0\u202F\-\u2010-\u2013.]*\d)[ \u00A0]*(?:[—–-]|\()[ \u00A0]*(?:№[ \u00A0]*)?$/u;
const CELL_END_RE = /^[ \u00A0]*\)?[ \u00A0.]*(?:[\t\r\n]|$)/u;

/**
 * A label after its value («5120 3344 0917 26 — лицевой счёт», «5120 3344 0917 26 (Л/С плательщика)»,
 * a form that names the field after it): the number opens the label's cell or line, a dash or an opening
 * parenthesis parts them, and the label ends the cell.
 */
export function valueBefore(text: string, label: LabelMatch): { pos: number; sameLine: boolean } | null {
  if (!CELL_END_RE.test(text.slice(label.end, label.end + 12))) return null;
  const cellStart = Math.max(text.lastIndexOf('\n', label.start - 1), text.lastIndexOf('\t', label.start - 1)) + 1;
  const before = text.slice(cellStart, label.start);
  const m = NUMBER_THEN_DASH_RE.exec(before);
  if (m) return { pos: cellStart + before.indexOf(m[1]!), sameLine: true };
  // The number alone in the cell before (a table of its own: digits in boxes) or on the line above, the
  // dash or parenthesis opening the label's cell («26345603917469 | (ЛС)», «5120…» ⏎ «— лицевой счёт»).
  const sep = text[cellStart - 1];
  if ((sep !== '\n' && sep !== '\t') || !/^[ \u00A0]*(?:[—–-]|\()[ \u00A0]*(?:№[ \u00A0]*)?$/u.test(before))
    return null;
  const prevStart =
    sep === '\t'
      ? Math.max(text.lastIndexOf('\n', cellStart - 2), text.lastIndexOf('\t', cellStart - 2)) + 1
      : text.lastIndexOf('\n', cellStart - 2) + 1;
  const prev = text.slice(prevStart, cellStart - 1).replace(/\r$/, '');
  return NUMBER_CELL_RE.test(prev.trim())
    ? { pos: prevStart + prev.length - prev.trimStart().length, sameLine: sep === '\t' }
    : null;
}

/** A cell that holds nothing but one number. */
const NUMBER_CELL_RE = /^\d[\d \u00A0\-\u2010-\u2013.]*\d$/;

/**
 * A form's caption under its field («(номер лицевого счета (код) плательщика)» under the account in a
 * payment slip, ПД-4): a label inside a parenthesised cell names the number in the same cell of the
 * row above, when both rows have as many cells (the caption row of a form lines up with its fields).
 */
export function captionedValue(text: string, label: LabelMatch): { pos: number; sameLine: boolean } | null {
  const lineStart = text.lastIndexOf('\n', label.start - 1) + 1;
  if (lineStart === 0) return null;
  let lineEnd = text.indexOf('\n', label.end);
  if (lineEnd < 0) lineEnd = text.length;
  const cells = text.slice(lineStart, lineEnd).split('\t');
  let k = 0;
  for (let at = lineStart + cells[0]!.length; at < label.start; at += 1 + cells[k]!.length) k++;
  if (!/^\s*\(.*\)\s*$/su.test(cells[k]!)) return null;
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const above = text
    .slice(prevStart, lineStart - 1)
    .replace(/\r$/, '')
    .split('\t');
  if (above.length !== cells.length || !NUMBER_CELL_RE.test(above[k]!.trim())) return null;
  const offset = above.slice(0, k).reduce((n, c) => n + c.length + 1, 0);
  return { pos: prevStart + offset + (above[k]!.length - above[k]!.trimStart().length), sameLine: false };
}

/**
 * A contract's code: letters and digits joined by signs; a code wrapped after its dash or slash goes on at
 * the head of the next line («номер договора: 72-» ⏎ «2021/6385.», running text set in a narrow column).
 */
const CONTRACT_TOKEN_RE = /[\p{L}\p{N}]+(?:(?:[/\\\-.]|[/\\-][ \u00A0]*\r?\n[ \u00A0]*)[\p{L}\p{N}]+)*/uy;
/** A contract's code as written: the line break of a wrapped code dropped. */
const unwrapped = (token: string) => token.replace(/[ \u00A0]*\r?\n[ \u00A0]*/g, '');

export function readContract(
  text: string,
  label: LabelMatch,
  lengths: readonly number[],
): { raw: string; number: string; start: number; end: number } | null {
  const at = findContractStart(text, label.end);
  if (at === null) return null;
  if (/\d/.test(text[at]!)) {
    // A contract printed like an account (`1234 5678 9012 34`) compares equal to that account.
    const run = readGroups(text, at);
    const digits = digitsOf(text, run.groups);
    if (run.groups.length > 1 && lengths.includes(digits.length) && !/[/\p{L}]/u.test(text[run.end] ?? '')) {
      return { raw: text.slice(at, run.end), number: digits, start: at, end: run.end };
    }
  }
  CONTRACT_TOKEN_RE.lastIndex = at;
  const m = CONTRACT_TOKEN_RE.exec(text);
  const token = m ? unwrapped(m[0]) : '';
  if (!m || !/\d/.test(token) || token.length < 3) return null;
  // A decimal amount («1578,04» in the cell under the header's neighbour) is no contract's number.
  if (/^\d+$/.test(token) && /^,\d/.test(text.slice(at + m[0].length, at + m[0].length + 2))) return null;
  return { raw: token, number: token, start: at, end: at + m[0].length };
}

/** A contract-shaped code after a contract's label, a few words and a colon or dash, in running text. */
export function runningContract(
  text: string,
  labelEnd: number,
): { raw: string; number: string; start: number; end: number } | null {
  CONTRACT_RUNNING_RE.lastIndex = labelEnd;
  const m = CONTRACT_RUNNING_RE.exec(text);
  if (!m || OTHER_NUMBER_WORD.test(m[1]!) || !findLabels(m[1]!).next().done) return null;
  const start = labelEnd + m[0].length;
  CONTRACT_TOKEN_RE.lastIndex = start;
  const written = CONTRACT_TOKEN_RE.exec(text)?.[0];
  const token = written ? unwrapped(written) : '';
  if (!written || !SHAPED_RE.test(token) || DATE_RE.test(token)) return null;
  const end = start + written.length;
  return AFTER_AMOUNT_RE.test(text.slice(end, end + 8)) ? null : { raw: token, number: token, start, end };
}

/**
 * After a bare word («договор», «contract»), only what looks like a contract number counts: on the same
 * line after spaces, a token with digits joined by `/` or `-` («RT-2024/123456», «1234/56789»), or six
 * digits or more («123456789»); never a date, a year, an amount or a span of years.
 */
const DATE_RE = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;
const SHAPED_RE = /^(?:\p{L}{1,6}[-/]?)?\d[\p{L}\p{N}]*(?:[/\\-][\p{L}\p{N}]+)+$|^\p{L}{1,6}-?\d{3,}$|^\d{6,}$/u;
const AFTER_AMOUNT_RE = /^\s*(?:руб|р\.|₽|rp\b|rub|usd|eur|%|г\.|гг|год|мес|шт)/iu;

export function contractShaped(
  text: string,
  label: { start: number; end: number },
  c: { raw: string; number: string; start: number; end: number },
): boolean {
  const gap = text.slice(label.end, c.start);
  // On the label's line; or at the head of the next when words stand before the label on its line: a
  // sentence hard-wrapped after it («…теперь 635-285-658-202. Договор» ⏎ «4076/31136 продолжает…»), not a
  // header cell over a value.
  const wrapped = /^[ \t\u00A0]*\r?\n[ \t\u00A0]*$/.test(gap) && /\p{L}/u.test(lineBefore(text, label.start));
  if (!/^[ \t\u00A0]+$/.test(gap) && !wrapped) return false;
  if (AFTER_AMOUNT_RE.test(text.slice(c.end, c.end + 8))) return false;
  const token = c.raw.replace(/[\s\u00A0]+/g, '');
  if (DATE_RE.test(token) || /^\d{4}-\d{4}$/.test(token)) return false;
  return SHAPED_RE.test(token) && (token.match(/\d/g)?.length ?? 0) >= 3;
}

/** The text of a line before `at`. */
function lineBefore(text: string, at: number): string {
  return text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
}

function findContractStart(text: string, labelEnd: number): number | null {
  LABEL_GAP_RE.lastIndex = labelEnd;
  let i = labelEnd + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
  if (i < text.length && text[i] !== '\n' && text[i] !== '\r') return /[\p{L}\p{N}]/u.test(text[i]!) ? i : null;
  // The number on the next non-empty line, as in a header cell over its value.
  for (let lines = 0; lines < 4 && i < text.length; lines++) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return null;
    LABEL_GAP_RE.lastIndex = nl + 1;
    i = nl + 1 + (LABEL_GAP_RE.exec(text)?.[0].length ?? 0);
    if (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
      const at = cellBelow(text, labelEnd, nl + 1, i);
      return at !== null && /[\p{L}\p{N}]/u.test(text[at] ?? '') ? at : null;
    }
  }
  return null;
}
