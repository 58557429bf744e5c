/**
 * Values written over a form's blanks (src/layout/overlays.ts): the blank's line is one item
 * («Лицевой счёт ____________ от ________»), each value another drawn on top of its blank, as an overlay
 * tool fills a printed form (ABillS' PDF::API2 fill of its invoice blank in fixtures/real is one). The
 * property varies what such fills vary: the caption, the leader (underscores, dots), the blank's length,
 * the widths of its glyphs (the reader estimates character places from the item's width), where on the
 * blank the value starts, its size and baseline, a value wider than its blank, text after the blank
 * with a second value on it, and the order the items come in. Negative twins: a blank captioned ИНН or
 * «Телефон» with an account-shaped number written on it is never an account.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/index.js';
import { layoutPageExplained, type PositionedItem } from '../src/layout/index.js';
import { splitUnderOverlays } from '../src/layout/overlays.js';
import { ROOT } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** An item as a producer draws it: each glyph its own width (letters, leaders and spaces differ). */
function drawn(text: string, x: number, y: number, h: number, widths: { letter: number; leader: number }) {
  let width = 0;
  for (const ch of text) width += (/[_.]/.test(ch) ? widths.leader : ch === ' ' ? 0.28 : widths.letter) * h;
  return { text, x, y, width, height: h };
}

const account = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{13}$/)).map(([a, b]) => `${a}${b}`);
const grouped = (digits: string, style: number) =>
  style === 0
    ? digits
    : style === 1
      ? digits.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1 $2 $3 $4')
      : digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1-$2-$3-$4-$5');

const fill = fc.record({
  caption: fc.constantFrom('Лицевой счёт', 'Л/с №', 'Номер лицевого счета:', 'ЛС'),
  negative: fc.constantFrom(undefined, 'ИНН', 'Телефон'),
  leader: fc.constantFrom('_', '.'),
  /** The blank's width over the value's: from a value a tenth wider than its blank to a blank twice as wide. */
  room: fc.double({ min: 0.9, max: 2, noNaN: true }),
  after: fc.constantFrom('', ' от ____________ г.', ', дата ..........'),
  digits: account,
  style: fc.integer({ min: 0, max: 2 }),
  h: fc.double({ min: 6, max: 10, noNaN: true }),
  valueH: fc.double({ min: 8, max: 12, noNaN: true }),
  letter: fc.double({ min: 0.45, max: 0.6, noNaN: true }),
  leaderWidth: fc.double({ min: 0.45, max: 0.6, noNaN: true }),
  /** Where on its blank the value starts, as a share of the room it leaves (a value ends at most a few points past it). */
  start: fc.double({ min: 0, max: 1, noNaN: true }),
  lift: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  reversed: fc.boolean(),
});

describe('values written over a form’s blanks', () => {
  it('reads each value after its own caption, whatever the blank and the value look like', () => {
    fc.assert(
      fc.property(fill, (f) => {
        const caption = f.negative ?? f.caption;
        const value = grouped(f.digits, f.style);
        const valueWidth = drawn(value, 0, 0, f.valueH, { letter: 0.55, leader: 0.55 }).width;
        const blank = f.leader.repeat(Math.max(4, Math.round((f.room * valueWidth) / (f.leaderWidth * f.h))));
        const line = `${caption} ${blank}${f.after}`;
        const widths = { letter: f.letter, leader: f.leaderWidth };
        const y = 300;
        const under = drawn(line, 72, y, f.h, widths);
        const blankStart = 72 + drawn(`${caption} `, 0, 0, f.h, widths).width;
        const blankWidth = drawn(blank, 0, 0, f.h, widths).width;
        const slack = Math.max(0, blankWidth - valueWidth) + 0.3 * f.h;
        const over = drawn(value, blankStart + f.h * 0.1 + f.start * slack, y + f.lift * f.h, f.valueH, {
          letter: 0.55,
          leader: 0.55,
        });
        // The date on the second blank, where there is one.
        const second = blankStart + blankWidth + drawn(' от ', 0, 0, f.h, widths).width;
        const date = drawn('15.03.2026', second + f.h, y + f.lift * f.h, f.valueH, { letter: 0.55, leader: 0.55 });
        const items: PositionedItem[] = f.after.includes('от') ? [under, over, date] : [under, over];
        const page = layoutPageExplained(f.reversed ? items.reverse() : items, { lengths: [12, 14] });
        const accounts = page.pairs.filter((p) => p.kind === 'account').map((p) => p.digits);
        if (f.negative) {
          expect(accounts).not.toContain(f.digits);
          return;
        }
        // The value stands right after its caption (a space or a cell's tab, no leader glued to it) and pairs with it.
        expect(page.text.replace(/[\t ]+/g, ' ')).toContain(`${caption} ${value}`);
        expect(accounts).toEqual([f.digits]);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads forms filled by overlay as pdfkit and pdf-lib write them (fixtures/make/overlay)', async () => {
    // Blanks by pdfkit or pdf-lib, values drawn by the same document or by pdf-lib loading the blank as a
    // template; a quarter of them twins whose account-shaped number stands on an ИНН or phone blank.
    const dir = join(ROOT, 'fixtures', 'generated', 'overlay');
    const truth: Record<string, { accounts: string[]; contractNumbers: string[] }> = JSON.parse(
      readFileSync(join(dir, 'expected.json'), 'utf8'),
    );
    const files = readdirSync(dir).filter((f) => f.endsWith('.pdf'));
    expect(files.sort()).toEqual(Object.keys(truth).sort());
    const wrong: string[] = [];
    for (const file of files) {
      const result = await extract(new Uint8Array(readFileSync(join(dir, file))), { filename: file });
      const got = {
        accounts: result.accounts.map((a) => a.number),
        contractNumbers: result.contractNumbers.map((c) => c.number),
      };
      if (JSON.stringify(got) !== JSON.stringify(truth[file])) wrong.push(`${file}: ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('cuts nothing when what lies over an item is not on a blank', () => {
    const h = 10;
    const under: PositionedItem = { text: 'Договор № 17/2024 ___ от', x: 72, y: 300, width: 120, height: h };
    // Bold drawn as the same text twice, a hair apart; a word over letters.
    const bold = { ...under, x: 72.3 };
    const struck: PositionedItem = { text: 'XXX', x: 80, y: 300, width: 20, height: h };
    expect(splitUnderOverlays([under, bold])).toEqual([under, bold]);
    expect(splitUnderOverlays([under, struck])).toEqual([under, struck]);
    // A page without a blank is returned as it came.
    const plain = [{ ...under, text: 'Лицевой счёт 36441809275531' }];
    expect(splitUnderOverlays(plain)).toBe(plain);
  });
});
