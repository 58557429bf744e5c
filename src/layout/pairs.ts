/**
 * The pairing stage: each candidate number on a page (numbers.ts) is paired with the label a reader
 * connects it to, by geometry rather than by the order of the text. pdfplumber's lesson: keep words
 * with their boxes and decide with named tolerances; the decisions are ours. A reader looks
 * 1. left, on the number's own line: the text before it in its chunk, then the chunk before it;
 * 2. left, in its row: the cell beside it whose height overlaps the number's (row headers centred,
 *    top- or bottom-aligned against a value of another height);
 * 3. up, in its column: the block right above whose x-range overlaps the number's (a label over its
 *    value inside one of several blocks side by side, whose lines interleave with the others'), and
 *    past the values of the rows above to the column's header, however many lines it takes.
 * 4. down, first of all: a form's caption right under its field, in parentheses («(номер лицевого
 *    счета (код) плательщика)» under the account of a payment slip) names it, whatever stands left.
 * 5. up and out, for an item of a list: a number after a word that only says «number» («Счёт:»,
 *    «Номер:») in lines indented under a heading that is a label («Лицевые счета:») is the heading's.
 * Text that owns the number (another label: «р/с», «ИНН», «Тел.», any words ending in a colon) stops
 * the search: the number is that field's, and no label further away may take it. Each pairing carries
 * its relation and a score; the locator (locate/pairs.ts) judges the number as it judges text.
 */
import { findLabels, LABEL_GAP_RE, type LabelKind } from '../locate/labels.js';
import type { PositionedPair, Relation } from '../locate/pairs.js';
import { nearestAbove, shortHeader } from './above.js';
import { type Block, cellText } from './blocks.js';
import type { Chunk } from './chunks.js';
import { LONE_VALUE } from './headers.js';
import { type Candidate, findCandidates } from './numbers.js';
import { loneRowHeader, withLooseLines } from './row-labels.js';
import { LAYOUT_SETTINGS as S } from './settings.js';

export type { PositionedPair, Relation } from '../locate/pairs.js';

/**
 * How surely each relation ties a label to its value: a label on the number's line is as sure as text
 * («Л/с 1234…»); one above it in its block or cell as sure as the next line of text; a column header
 * over rows of values a little less (a table may hold other columns' values under a spanning header).
 */
export const RELATION_FACTORS: Readonly<Record<Relation, number>> = Object.freeze({
  left: 0.98,
  row: 0.95,
  above: 0.92,
  header: 0.9,
  caption: 0.92,
  heading: 0.9,
});

export interface PagePairs {
  pairs: PositionedPair[];
  /** One line per candidate: its label and relation, or why none (for `--explain`). */
  notes: string[];
  /** How many candidates found no label. */
  unpaired: number;
}

interface Found {
  label?: { kind: LabelKind; text: string; weight: number };
  relation?: Relation;
  /** Why no label: the text that owns the number, or where the search ended. */
  why?: string;
  /** The text beside the number that owns it, or the block of the label above it. */
  at?: { x0: number; x1: number; top: number; bottom: number; h: number };
  /** The text that owns the number ends in a colon: a field's name, however far off. */
  colon?: boolean;
}

/**
 * The label that ends `text` (nothing after it but signs such as `:` or `№`), or undefined; with
 * `startBefore`, only a label that starts before that offset.
 */
function labelAtEnd(text: string, ocr: boolean, startBefore = Infinity): Found['label'] {
  let last: Found['label'];
  for (const m of findLabels(text, { ocr })) {
    if (m.start >= startBefore) continue;
    LABEL_GAP_RE.lastIndex = m.end;
    const tail = LABEL_GAP_RE.exec(text)?.[0].length ?? 0;
    // A word of running text («договора» in «Реквизиты договора») is a label only as the whole of its cell.
    if (m.bare && (m.start > 0 || text.slice(0, m.start).trim() !== '')) continue;
    if (m.end + tail === text.length) last = { kind: m.kind, text: m.text, weight: m.weight };
  }
  return last;
}

/**
 * Whether text beside a number is a field's name of its own (it owns the number): it has a letter and
 * is neither a value (a code, a date) nor a sentence that ends in a number of its own.
 */
function ownsNumber(text: string): boolean {
  const t = text.trim();
  if (!/\p{L}/u.test(t) || LONE_VALUE.test(t)) return false;
  return !/\d[\s).]*$/u.test(t);
}

const overlapX = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** A word before a number that says only that it is a number or an account of a list («Счёт:», «Номер:»). */
const LIST_ITEM = /^(?:сч[её]т|номер|№)\s*[:№]?$/iu;
/** A list's heading stands at most this many lines above its items. */
const HEADING_REACH = 12;

/**
 * The heading of the list a number is an item of: up the lines indented at least as deep as the
 * number's, the first line set further left, when it is a label ending in a colon («Лицевые счета:»).
 */
function heading(c: Candidate, lines: readonly Chunk[][], ocr: boolean): Found | undefined {
  const indent = lines[c.first.line]![0]!.x0;
  for (let k = c.first.line - 1; k >= 0 && k >= c.first.line - HEADING_REACH; k--) {
    const first = lines[k]?.[0];
    if (!first) continue;
    if (first.x0 >= indent - 0.5 * c.h) continue;
    const label = /:\s*$/.test(first.text) && lines[k]!.length === 1 ? labelAtEnd(first.text, ocr) : undefined;
    return label ? { label, relation: 'heading' } : undefined;
  }
  return undefined;
}

/** The label on the number's own line: in its chunk before it, or the chunk left of it. */
function onLine(
  c: Candidate,
  lines: readonly Chunk[][],
  ocr: boolean,
  multiLine: ReadonlySet<Chunk>,
): Found | undefined {
  if (c.prefix !== '') {
    const label = labelAtEnd(c.prefix, ocr);
    if (label) return { label, relation: 'left' };
    const listed = LIST_ITEM.test(c.prefix) ? heading(c, lines, ocr) : undefined;
    return listed ?? { why: `text before it on its line: «${c.prefix}»` };
  }
  const left = lines[c.first.line]![c.first.col - 1];
  // A line of a cell of several lines speaks for its cell only: the row's cell decides (inRow).
  if (!left || multiLine.has(left) || c.first.x0 - left.x1 > S.leftReach * c.h) return undefined;
  const label = labelAtEnd(left.text, ocr);
  if (label) return { label, relation: 'left' };
  const at = {
    x0: left.x0,
    x1: left.x1,
    top: left.y - S.ascent * left.h,
    bottom: left.y + S.descent * left.h,
    h: left.h,
  };
  const colon = /:\s*$/.test(left.text);
  return ownsNumber(left.text) ? { why: `the text left of it owns it: «${left.text}»`, at, colon } : undefined;
}

/** A label cell's lines read together stand at most this many lines apart from the first. */
const STACK_LINES = 4;

/**
 * A label cell whose lines a text table keeps apart («Лицевой» ⏎ «счет» ⏎ «№» beside a number centred
 * on them or wrapped over them; «Договор об» ⏎ «оказании услуг связи №» beside a code at the top): the
 * lines of the left chunk's column around it, one pitch apart, on which nothing else stands but the
 * number itself, read together; the shortest stretch with a label at its end.
 */
function stackedLabel(c: Candidate, lines: readonly Chunk[][], ocr: boolean): Found | undefined {
  const left = lines[c.first.line]![c.first.col - 1];
  if (c.prefix !== '' || !left || left.value || c.first.x0 - left.x1 > S.leftReach * c.h) return undefined;
  const alone = (k: number, next: Chunk): Chunk | undefined => {
    const row = lines[k] ?? [];
    const own = row.filter((ch) => ch.x1 <= c.x0 + 0.5 && overlapX(ch, left) > 0);
    const mine = (ch: Chunk) => k >= c.first.line && k <= c.last.line && ch.x0 >= c.x0 - 0.5;
    const cell = own.length === 1 && row.every((ch) => ch === own[0] || mine(ch)) ? own[0] : undefined;
    return cell && !cell.value && Math.abs(cell.y - next.y) <= S.linePitch * left.h ? cell : undefined;
  };
  const stack = [left];
  for (let k = left.line - 1, cell = alone(k, left); cell && stack.length < STACK_LINES; cell = alone(--k, stack[0]!))
    stack.unshift(cell);
  const at = stack.length - 1;
  for (
    let k = left.line + 1, cell = alone(k, left);
    cell && stack.length < 2 * STACK_LINES;
    cell = alone(++k, stack.at(-1)!)
  )
    stack.push(cell);
  for (let size = 2; size <= Math.min(STACK_LINES, stack.length); size++) {
    for (let from = Math.max(0, at - size + 1); from <= at && from + size <= stack.length; from++) {
      const before = stack
        .slice(from, at)
        .map((ch) => `${ch.text} `)
        .join('').length;
      const text = stack
        .slice(from, from + size)
        .map((ch) => ch.text)
        .join(' ');
      // The label takes in the words level with the number («ИНН» ⏎ «Лицевой счёт» is no label of the ИНН's).
      const label = labelAtEnd(text, ocr, before + left.text.length);
      if (label) return { label, relation: 'row' };
    }
  }
  return undefined;
}

/** A parenthesised caption right under the number (a form's field name): it names the number, or owns it. */
function caption(c: Candidate, blocks: readonly Block[], ocr: boolean): Found | undefined {
  let best: Block | undefined;
  for (const b of blocks) {
    if (b === c.block || b.value || b.top < c.bottom - S.descent * c.h || b.top - c.bottom > S.captionReach * c.h)
      continue;
    if (overlapX(b, c) <= 0 || (best && b.top >= best.top)) continue;
    best = b;
  }
  const text = best ? cellText(best).trim() : '';
  if (!/^\(.*\)$/su.test(text)) return undefined;
  const m = findLabels(text, { ocr }).next();
  if (!m.done)
    return { label: { kind: m.value.kind, text: m.value.text, weight: m.value.weight }, relation: 'caption' };
  return { why: `the caption under it names it: «${text}»` };
}

/** The nearest block left of the candidate whose height overlaps its own: a row header beside a value. */
function inRow(c: Candidate, blocks: readonly Block[], ocr: boolean): Found | undefined {
  let best: Block | undefined;
  for (const b of blocks) {
    if (b === c.block || b.x1 > c.x0 + 0.5 || c.x0 - b.x1 > S.leftReach * c.h) continue;
    const shared = Math.min(b.bottom, c.bottom) - Math.max(b.top, c.top);
    if (shared <= S.sideOverlap * Math.min(b.h, c.h)) continue;
    // Only where one holds the other's middle: a cell of this row, not a tall block reaching into it. A
    // label of one line may stand lower or higher (a cell spanning two rows, centred between them).
    const mid = (c.top + c.bottom) / 2;
    const bMid = (b.top + b.bottom) / 2;
    const holds = (b.top <= mid && mid <= b.bottom) || (c.top <= bMid && bMid <= c.bottom);
    if (!holds && b.lines.length > 1) continue;
    if (!best || b.x1 > best.x1) best = b;
  }
  if (!best) {
    const lone = loneRowHeader(c, blocks);
    const label = lone && labelAtEnd(withLooseLines(lone, blocks), ocr);
    return label ? { label, relation: 'row' } : undefined;
  }
  const text = cellText(best);
  const label = labelAtEnd(text, ocr) ?? labelAtEnd(withLooseLines(best, blocks), ocr);
  if (label) return { label, relation: 'row' };
  const colon = /:\s*$/.test(text);
  return !best.value && ownsNumber(text)
    ? { why: `the cell left of it owns it: «${text}»`, at: best, colon }
    : undefined;
}

/**
 * Up the candidate's column: the block right above (its label), else past the values of the rows
 * above to the first text, which is the column's header when it is a label. A header wrapped into
 * several blocks (lines set at another pitch) is read with the text blocks stacked over it.
 */
function above(c: Candidate, byBottom: readonly Block[], ocr: boolean): Found {
  let floor = c.top;
  let relation: Relation = 'above';
  for (let steps = 0; steps < 24; steps++) {
    const b = nearestAbove(byBottom, c, floor) ?? (steps === 0 ? shortHeader(byBottom, c) : undefined);
    if (!b) return { why: steps === 0 ? 'nothing above it in its column' : 'no header over its column' };
    if (b.value || LONE_VALUE.test(cellText(b))) {
      // The value of a row above: keep climbing to the column's header.
      relation = 'header';
      floor = b.top;
      continue;
    }
    let text = cellText(b);
    let top = b;
    for (let k = 0; k < STACK_LINES; k++) {
      const label = labelAtEnd(text, ocr);
      if (label) return { label, relation, at: b };
      const over = nearestAbove(byBottom, top, top.top, 1.5);
      if (!over || over.value) break;
      text = `${cellText(over)} ${text}`;
      top = over;
    }
    const beside = besideInBand(byBottom, c, b, ocr);
    if (beside) return { ...beside, relation };
    return { why: `${relation === 'above' ? 'the text above it' : 'its column header'} is no label: «${cellText(b)}»` };
  }
  return { why: 'no header over its column' };
}

/**
 * A label among the other text blocks of the band of `first` (the header row it belongs to, whose cells
 * are of different heights and alignments) over the candidate's x-range, the one most over it first: a
 * header cell wrapped deeper than its neighbour («Л/с» over «№», beside «Дата» over «заключения») ends
 * lower, and the neighbour that reaches over the value's edge is nearer above it, not its header.
 */
function besideInBand(byBottom: readonly Block[], c: Candidate, first: Block, ocr: boolean): Found | undefined {
  const band: Block[] = [];
  for (const b of byBottom) {
    if (b.bottom > c.top + S.descent * c.h) break;
    if (b === first || b.value || b.top > first.bottom || b.bottom <= first.top || overlapX(b, c) <= 0) continue;
    band.push(b);
  }
  band.sort((a, b) => overlapX(b, c) - overlapX(a, c));
  for (const b of band) {
    const label = labelAtEnd(cellText(b), ocr);
    if (label) return { label, at: b };
  }
  return undefined;
}

/**
 * What text left of a number weighs against a label over its column. The text owns the number (a row
 * header: «Тариф | Игровой») unless it is a value of a table row under a header of its own, level with
 * the label over the number's column («Тарифный план | Договор №» over «Игровой | 92-2025/6538»).
 */
function underHeader(beside: Found | undefined, up: Found, byBottom: readonly Block[], c: Candidate): Found {
  if (!beside) return up;
  const owner = beside.at;
  const head = up.at;
  if (!up.label || !owner || !head) return beside;
  // A label right over the number in its column, and the text left of it far off in another column
  // («ЛС ______» over the digits, «Кассир» in a receipt's side column level with them): the label's.
  const farLeft = c.x0 - owner.x1 > S.ownerReach * c.h && !beside.colon;
  if (up.relation === 'above' && farLeft && c.top - head.bottom <= S.captionReach * c.h) return up;
  // Up the owner's column, row by row, to the band of the label over the number.
  let floor = owner.top;
  for (let steps = 0; steps < 24; steps++) {
    const over = nearestAbove(byBottom, owner, floor);
    if (!over || over.bottom < head.top) return beside;
    // Header cells of one row share its band, whatever their heights and alignment.
    if (Math.min(over.bottom, head.bottom) - Math.max(over.top, head.top) > 0) return over.value ? beside : up;
    floor = over.top;
  }
  return beside;
}

function describe(c: Candidate, f: Found, score: number): string {
  const what = c.code ? 'code' : 'number';
  if (!f.label) return `${what} «${c.raw}»: no label (${f.why ?? 'none found'})`;
  return `${what} «${c.raw}» ← «${f.label.text}» (${f.label.kind}, ${f.relation}, score ${score.toFixed(2)})`;
}

/** Pairs every candidate number on a page with its label, by position. */
export function pairByPosition(
  blocks: readonly Block[],
  lines: readonly Chunk[][],
  options: { lengths: readonly number[]; ocr?: boolean; explain?: boolean; wrapReach?: number },
): PagePairs {
  const ocr = options.ocr === true;
  const candidates = findCandidates(blocks, lines, options.lengths, options.wrapReach);
  const pairs: PositionedPair[] = [];
  const notes: string[] = [];
  if (candidates.length === 0) return { pairs, notes, unpaired: 0 };
  let unpaired = 0;
  const byBottom = [...blocks].sort((a, b) => a.bottom - b.bottom);
  const multiLine = new Set(blocks.flatMap((b) => (b.lines.length > 1 ? b.lines : [])));
  for (const c of candidates) {
    let beside = caption(c, blocks, ocr) ?? onLine(c, lines, ocr, multiLine) ?? inRow(c, blocks, ocr);
    // Nothing beside names it (or only an account label beside a code): a label cell a text keeps in lines.
    if (!beside?.label || (c.code && beside.label.kind !== 'contract')) beside = stackedLabel(c, lines, ocr) ?? beside;
    const found = beside?.label ? beside : underHeader(beside, above(c, byBottom, ocr), byBottom, c);
    const label = found.label;
    const score = label && found.relation ? label.weight * RELATION_FACTORS[found.relation] : 0;
    // A code pairs only with a contract label; a number with either (the locator judges its length).
    if (label && found.relation && !(c.code && label.kind !== 'contract')) {
      pairs.push({
        kind: label.kind,
        label: label.text,
        raw: c.raw,
        digits: c.digits,
        head: c.head,
        relation: found.relation,
        score,
      });
    } else unpaired++;
    if (options.explain) notes.push(describe(c, found, score));
  }
  return { pairs, notes, unpaired };
}
