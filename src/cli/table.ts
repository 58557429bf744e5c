/**
 * The table a person reads on a terminal (`--format table`, the default there): one row per account, the
 * document on the first row of its record, warnings and errors in the document's own words on a line below.
 * Widths are display widths (string-width: Cyrillic 1 column, East Asian wide characters 2, combining
 * marks 0), so columns stay aligned whatever the script; the table is fitted into the terminal's width.
 */

import { basename } from 'node:path';
import stringWidth from 'string-width';
import { formatAccount } from '../account.js';
import { shownName } from '../scan/names.js';
import type { ScanRecord } from '../scan/scan.js';

export interface TableOptions {
  /** Columns available; `Infinity` for no limit (a file or a pipe). */
  width: number;
  /** ANSI colours and bold. */
  color: boolean;
}

/**
 * Warnings about this machine rather than the document: said once under the table, with the library's
 * message (what is missing, how to install it), and only pointed to on each document's row.
 */
const ONCE: Record<string, { row: string; note: string }> = {
  OCR_UNAVAILABLE: {
    row: 'scan not read: no OCR here (see the note below)',
    note: 'had scans or pictures that were not read',
  },
};

const GAP = '  ';
/** Rows under a document heading in the narrow layout. */
const INDENT = '  ';
const DASH = '—';

type Column = 'document' | 'account' | 'label' | 'origin' | 'confidence' | 'contracts';
const HEADERS: Record<Column, string> = {
  document: 'Document',
  account: 'Account',
  label: 'Label',
  origin: 'Found in',
  confidence: 'Conf.',
  contracts: 'Contract',
};
/**
 * How columns give way when the table is too wide, stage by stage: label, origin and contracts first down
 * to a width that still reads, then the document (its path shortened in the middle), then the three again.
 * Account and confidence never shrink. When even that is too wide, each document gets a line of its own
 * above its rows (the narrow layout), and the other columns may go down to the last stage's widths.
 */
const SHRINK: ReadonlyArray<Partial<Record<Column, number>>> = [
  { label: 14, origin: 14, contracts: 14 },
  { document: 24 },
  { label: 10, origin: 10, contracts: 10 },
  { label: 6, origin: 8, contracts: 8 },
];
/** The narrowest the one-table layout goes: the first three stages. */
const WIDE_FLOOR: Partial<Record<Column, number>> = { document: 24, label: 10, origin: 10, contracts: 10 };
/** Shortened in the middle (a path keeps its file name, an origin its page) rather than at the end. */
const MIDDLE = new Set<Column>(['document', 'origin']);

interface Note {
  kind: 'error' | 'warning';
  text: string;
}

interface Entry {
  document: string;
  rows: Array<Record<Exclude<Column, 'document'>, string>>;
  notes: Note[];
}

const segmenter = new Intl.Segmenter();

/** Control characters (a file name in an email can hold any) and bidi overrides never reach the terminal. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** How many of `graphemes`, from the first, fit in `width` columns. */
function fitting(graphemes: string[], width: number): number {
  let used = 0;
  let n = 0;
  for (const g of graphemes) {
    used += stringWidth(g);
    if (used > width) break;
    n++;
  }
  return n;
}

/** `text` cut to `width` columns with `…` at the end, or in the middle (keeping as much of the end). */
export function shorten(text: string, width: number, where: 'end' | 'middle' = 'end'): string {
  if (stringWidth(text) <= width) return text;
  if (width < 1) return '';
  const all = graphemes(text);
  if (where === 'end' || width < 5) return `${all.slice(0, fitting(all, width - 1)).join('')}…`;
  const tail = all.slice(all.length - fitting([...all].reverse(), Math.ceil((width - 1) / 2))).join('');
  const head = all.slice(0, fitting(all, width - 1 - stringWidth(tail))).join('');
  return `${head}…${tail}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** Lines of at most `width` columns, broken at spaces where possible. */
function wrap(text: string, width: number): string[] {
  if (stringWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (stringWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (stringWidth(line) > width) {
      // A word longer than the line: cut it, at least one character a line (a wide one may not fit at all).
      const parts = graphemes(line);
      const n = Math.max(1, fitting(parts, width));
      lines.push(parts.slice(0, n).join(''));
      line = parts.slice(n).join('');
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function account(number: string): string {
  // Digits are grouped in fours; a --redact mask (`3700 **** **** 01`) is shown as it is.
  return /^\d+$/.test(number) ? formatAccount(number, { lengths: [number.length] }) : number;
}

/** A message without the document's name in front of it: the row already names the document. */
function plain(message: string, source: string): string {
  for (const name of [source, basename(source)]) {
    const m = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: #\\d+)?: `).exec(message);
    if (m) return message.slice(m[0].length);
  }
  return message;
}

const STYLE = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39] } as const;

/** Collects records as the compact rows they are shown as, then renders them. */
export class TableBuilder {
  private readonly entries: Entry[] = [];
  /** Each once-said warning: how many documents carried it, and the first one's message. */
  private readonly once = new Map<string, { count: number; text: string }>();

  add(record: ScanRecord): void {
    const contracts = record.contractNumbers.map((c) => c.number).join(', ');
    const rows = record.accounts.map((a, i) => ({
      account: account(a.number),
      label: a.label,
      origin: a.origin,
      confidence: a.confidence.toFixed(2),
      contracts: i === 0 ? contracts : '',
    }));
    if (rows.length === 0) rows.push({ account: DASH, label: '', origin: '', confidence: '', contracts });
    const notes: Note[] = [];
    if (record.error) notes.push({ kind: 'error', text: `error: ${plain(record.error.message, record.source)}` });
    const codes = new Set(record.warnings.map((w) => w.code));
    for (const w of record.warnings) {
      // A page without text that OCR could not read says nothing the OCR note does not.
      if (w.code === 'NO_TEXT_LAYER' && codes.has('OCR_UNAVAILABLE')) continue;
      const once = ONCE[w.code];
      if (once) {
        const seen = this.once.get(w.code);
        if (seen) seen.count++;
        else this.once.set(w.code, { count: 1, text: plain(w.message, record.source) });
        notes.push({ kind: 'warning', text: once.row });
      } else {
        notes.push({ kind: 'warning', text: plain(w.message, record.source) });
      }
    }
    const document = shownName(record.index !== undefined ? `${record.source} #${record.index}` : record.source);
    this.entries.push({ document, rows, notes });
  }

  render(options: TableOptions): string {
    const paint = (style: keyof typeof STYLE, text: string) =>
      options.color && text !== '' ? `\u001b[${STYLE[style][0]}m${text}\u001b[${STYLE[style][1]}m` : text;
    if (this.entries.length === 0) return `${paint('dim', 'no documents')}\n`;

    const prefix = commonFolder(this.entries.map((e) => e.document));
    const documents = this.entries.map((e) => clean(e.document.slice(prefix.length)));
    const columns: Column[] = ['document', 'account', 'label', 'origin', 'confidence', 'contracts'];
    const natural = (column: Column): number => {
      const cells =
        column === 'document' ? documents : this.entries.flatMap((e) => e.rows.map((r) => clean(r[column])));
      return Math.max(stringWidth(HEADERS[column]), ...cells.map((c) => stringWidth(c)));
    };
    const widths = Object.fromEntries(columns.map((c) => [c, natural(c)])) as Record<Column, number>;

    const total = (shown: Column[], indent: number, width = (c: Column) => widths[c]) =>
      indent + shown.reduce((sum, c) => sum + width(c), 0) + GAP.length * (shown.length - 1);
    // Wide enough for every column at its narrowest: one table. Otherwise each document gets a heading line.
    const wide = total(columns, 0, (c) => Math.min(WIDE_FLOOR[c] ?? widths[c], widths[c])) <= options.width;
    const shown = wide ? columns : columns.filter((c) => c !== 'document');
    const indent = wide ? 0 : INDENT.length;
    // Stage by stage, take one column at a time off the widest column above its floor, until the table fits.
    for (const floors of SHRINK) {
      while (total(shown, indent) > options.width) {
        const shrinkable = shown.filter((c) => widths[c] > (floors[c] ?? widths[c]));
        if (shrinkable.length === 0) break;
        widths[shrinkable.reduce((a, b) => (widths[b] > widths[a] ? b : a))]--;
      }
    }

    const lineWidth = total(shown, indent);
    const cell = (column: Column, text: string, last: boolean) => {
      const short = shorten(clean(text), widths[column], MIDDLE.has(column) ? 'middle' : 'end');
      return last ? short : pad(short, widths[column]);
    };
    const line = (cells: Partial<Record<Column, string>>, style?: (c: Column, text: string) => string) => {
      const parts = shown.map((c, i) => {
        const text = cell(c, cells[c] ?? '', i === shown.length - 1);
        return style ? style(c, text) : text;
      });
      return (wide ? '' : INDENT) + parts.join(GAP).trimEnd();
    };

    const out: string[] = [];
    if (prefix) out.push(paint('dim', `in ${shorten(clean(prefix), options.width - 3, 'middle')}`));
    out.push(paint('bold', line(HEADERS)));
    out.push(paint('dim', '─'.repeat(Math.min(lineWidth, options.width))));
    // Notes stand under the account column; for a document with nothing else to show, beside its dash.
    const accountAt = wide ? widths.document + GAP.length : INDENT.length;
    this.entries.forEach((entry, n) => {
      if (!wide) out.push(paint('bold', shorten(documents[n]!, options.width, 'middle')));
      const beside = entry.notes.length > 0 && entry.rows[0]!.account === DASH && entry.rows[0]!.contracts === '';
      const rows: string[] = entry.rows.map((row, i) => {
        const cells: Partial<Record<Column, string>> = { ...row, document: i === 0 ? documents[n]! : '' };
        const accountStyle = row.account === DASH ? 'dim' : 'bold';
        return line(cells, (c, text) => (c === 'account' ? paint(accountStyle, text) : text));
      });
      const noteAt = beside ? accountAt + widths.account + GAP.length : accountAt;
      const notes = entry.notes.flatMap((note) =>
        wrap(clean(note.text), Math.max(20, options.width - noteAt)).map((text) =>
          paint(note.kind === 'error' ? 'red' : 'yellow', text),
        ),
      );
      if (beside) rows[0] = `${pad(rows[0]!, noteAt)}${notes.shift()}`;
      out.push(...rows, ...notes.map((text) => ' '.repeat(noteAt) + text));
    });
    for (const [code, { count, text }] of this.once) {
      out.push('');
      const head = `Note: ${count} document${count === 1 ? '' : 's'} ${ONCE[code]!.note}: `;
      for (const part of wrap(clean(head + text), options.width)) out.push(paint('yellow', part));
    }
    return `${out.join('\n')}\n`;
  }
}

/** The folder every document lies in (`a/b/` for `a/b/c.pdf` and `a/b/d/e.eml`), or ''. */
function commonFolder(paths: string[]): string {
  let prefix = paths[0]!.slice(0, paths[0]!.lastIndexOf('/') + 1);
  for (const path of paths) {
    while (prefix && !path.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  }
  return prefix;
}

/** The whole table for these records (the CLI builds it record by record instead). */
export function renderTable(records: Iterable<ScanRecord>, options: TableOptions): string {
  const table = new TableBuilder();
  for (const record of records) table.add(record);
  return table.render(options);
}
