/**
 * A payment form's account drawn one digit per box (issue #23, `forms`): digits at one pitch wider than
 * a glyph gap, in any drawing order, which another line's cell edge must not cut; and a number whose
 * last group shares its run with the underscores or the caption after it. Positions are those pdf.js
 * gives for the generated PDFs of fixtures/generated/world named in each case (rounded), and those PDFs
 * are read whole; the negative is an amount after digit groups, which a reader keeps apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/index.js';
import type { PositionedItem } from '../src/layout/index.js';
import { ROOT } from './helpers.js';
import { readPage } from './read-page.js';

const at = (text: string, x: number, width: number, y: number, size: number): PositionedItem => ({
  text,
  x,
  y,
  width,
  height: size,
});

const read = (items: PositionedItem[]) => readPage(items);

/** The requisites above the account in forms-pdfkit-007.pdf: «КПП …» starts a cell where a digit stands below. */
const requisites = (size: number) => [
  at('ИНН 4732079281', 252.4, 98.6, 128.9, size),
  at('КПП 622528130', 361.0, 91.0, 128.9, size),
  at('в ПАО Сбербанк', 252.4, 93.5, 190.1, size),
  at('БИК 045030147', 356.4, 89.6, 190.1, size),
];

describe('digits one per box', () => {
  it('reads digits drawn in reverse at one pitch as one number though a column edge of the lines above meets one of them (pdfkit)', () => {
    const digits = '12055073966375';
    const boxes = [...digits].map((d, i) => at(d, 252.4 + 13.6 * i, 7, 220.7, 11)).reverse();
    const r = read([
      ...requisites(11),
      ...boxes,
      at('(номер лицевого счёта (код) плательщика)', 446.3, 254, 220.7, 11),
    ]);
    expect(r.text).toContain('12055073966375');
    expect(r.accounts).toEqual(['12055073966375']);
  });
});

describe('digits one per box stretched over a wide cell', () => {
  // xhtml2pdf sets the inline table of one-digit boxes the whole width of its cell: a digit every 36 pt at
  // 13 pt (fixtures/make/producers, forms-xhtml2pdf-001 of /tmp/world-prod2; pdf.js's positions).
  const digits = '46865851378065';
  const boxes = (pitch: (i: number) => number) => [...digits].map((d, i) => at(d, 576.5 + pitch(i), 8.3, 269.4, 13));
  const caption = at('— № л/сч.', 566.5, 66.2, 292.9, 13);

  it('reads fourteen digits at one wide pitch as one number, captioned below', () => {
    const r = read([...boxes((i) => 36.18 * i), caption]);
    expect(r.text).toContain(digits);
    expect(r.accounts).toEqual([digits]);
  });

  it('keeps lone digits apart when their pitch is not one (a table row of small counts)', () => {
    const r = read([...boxes((i) => 36.18 * i + (i % 3) * 6), caption]);
    expect(r.text).not.toContain(digits);
    expect(r.accounts).toEqual([]);
  });
});

describe('a number’s last group beside what follows it', () => {
  it('ends a number in groups at the underscores drawn after its last group (pdfkit, shuffled, 3-3-3-3-2)', () => {
    const glyphs: Array<[string, number]> = [
      ['8', 457.3],
      ['7', 504.4],
      ['4', 469.6],
      ['4', 516.7],
      ['5', 410.2],
      ['2', 422.6],
      ['6', 551.5],
      ['3', 434.9],
      ['9', 529.1],
      ['0', 563.8],
      ['3', 363.1],
      ['5', 375.5],
      ['7', 387.8],
      ['0', 482.0],
    ];
    const r = read([
      ...glyphs.map(([d, x]) => at(d, x, 6.4, 206, 10)),
      at('_________', 576.2, 45, 206, 10),
      at('Лицевой счёт __________', 237.4, 125.7, 206, 10),
    ]);
    expect(r.text).toContain('357 523 840 749 60');
    expect(r.accounts).toEqual(['35752384074960']);
  });

  it('joins the last group a caption after the number follows closely (wkhtmltopdf, letter-spaced, 2-4-4-4)', () => {
    const groups = ['39', '7609', '1831', '1293'];
    const items: PositionedItem[] = [];
    let x = 188.8;
    for (const g of groups) {
      for (const d of g) {
        items.push(at(d, x, 4.8, 165.1, 7.5));
        x += 8.4;
      }
      x += 4.5;
    }
    const r = read([...items, at('— № л/сч.', 320.7, 38.2, 163.9, 7.5)]);
    expect(r.accounts).toEqual(['39760918311293']);
  });

  it('does not join groups to an amount after them: a word, not a mark, follows its digits', () => {
    const r = read([
      at('Лицевой счёт', 20, 60, 100, 10),
      at('1234 5678 9012', 90, 70, 100, 10),
      at('34 руб.', 175, 30, 100, 10),
    ]);
    expect(r.accounts).toEqual([]);
  });
});

describe('forms whose account is drawn in boxes, read whole', () => {
  const world = join(ROOT, 'fixtures', 'generated', 'world');
  const accountsOf = async (file: string) =>
    (await extract(readFileSync(join(world, file)))).accounts.map((a) => a.number);

  it('reads digits pdfkit drew one per box in reverse, under a column edge of the requisites', async () => {
    expect(await accountsOf('forms-pdfkit-007.pdf')).toEqual(['12055073966375']);
  });

  it('reads digits wkhtmltopdf drew one span each beside their label, in both copies of the form, once', async () => {
    expect(await accountsOf('forms-wkhtmltopdf-017.pdf')).toEqual(['41353195924312']);
  });

  it('reads grouped boxes whose last group Chromium drew in one run with the underscores after it', async () => {
    expect(await accountsOf('forms-chromium-015.pdf')).toEqual(['60892546075770']);
  });

  it('reads letter-spaced groups whose last one wkhtmltopdf set beside the caption «— № л/сч.»', async () => {
    expect(await accountsOf('forms-wkhtmltopdf-008.pdf')).toEqual(['39760918311293']);
  });
});
