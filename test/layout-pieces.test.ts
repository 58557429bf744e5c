/**
 * Numbers drawn in pieces (issue #23): letter-spaced runs as pdf.js spells them, glyphs one item each,
 * digit groups set apart wider than a cell gap, pdfkit's unmapped no-break space. Positions are those the
 * generated PDFs of fixtures/generated/world give (Chromium, pdf-lib, wkhtmltopdf), and two of those PDFs
 * are read whole; the negatives are numbers side by side that a reader keeps apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutPage, layoutPageExplained, type PositionedItem } from '../src/extract/layout.js';
import { extract, locate } from '../src/index.js';
import { asPrinted } from '../src/layout/pieces.js';
import { ROOT } from './helpers.js';

const at = (text: string, x: number, x1: number, y: number, size = 10): PositionedItem => ({
  text,
  x,
  y,
  width: x1 - x,
  height: size,
});
const lay = (items: PositionedItem[], lengths = [14]) => layoutPage(items, { lengths });
const accounts = (text: string, lengths = [14]) => locate(text, { lengths }).accounts.map((a) => a.number);

describe('asPrinted', () => {
  it('drops the spaces pdf.js puts between letter-spaced glyphs, dots and dashes kept', () => {
    expect(asPrinted('2 8 . 3 1 1 1 . 7 9 6 5 . 6 8 7 4')).toBe('28.3111.7965.6874');
    expect(asPrinted('6 0')).toBe('60');
    // Two glyphs kerned close together come as one piece: still a letter-spaced run.
    expect(asPrinted('4 3 11')).toBe('4311');
  });

  it('ends a run before a date drawn on in the same item, whose day is not the run’s (TCPDF, a spaced cell overflowing)', () => {
    expect(asPrinted('2 4 27.07.2024')).toBe('24 27.07.2024');
  });

  it('leaves groups of several digits, amounts, phones and words as they are', () => {
    for (const text of [
      '8 800 552-82-23',
      'К оплате: 1 675,26 руб.',
      '12 3456 7890 1234',
      'кв. 12, д. 3',
      'ИНН 7707049388',
    ])
      expect(asPrinted(text)).toBe(text);
  });
});

describe('layoutPage: numbers drawn in pieces', () => {
  it('reads a letter-spaced run pdf.js spelled out glyph by glyph as the number printed', () => {
    const text = lay([
      at('Лицевой счёт', 36, 105, 100, 12),
      at('2 8 . 3 1 1 1 . 7 9 6 5 . 6 8 7 4', 442, 559, 124.8, 12),
    ]);
    expect(text).toContain('28.3111.7965.6874');
    expect(accounts(text)).toEqual(['28311179656874']);
  });

  it('joins letter-spaced groups set apart wider than a cell gap, at one spacing (Chromium, 2-4-4-4)', () => {
    const text = lay([
      at('Единый лицевой счёт', 42, 140, 85, 9),
      at('6 0', 389.58, 403.08, 102.75, 9),
      at('9 6 3 8', 421.95, 452.15, 102.75, 9),
      at('2 6 6 9', 471.02, 501.22, 102.75, 9),
      at('5 0 9 2', 520.09, 550.3, 102.75, 9),
    ]);
    expect(text).toContain('60 9638 2669 5092');
    expect(accounts(text)).toEqual(['60963826695092']);
  });

  it('groups glyphs drawn one item each, shuffled, by their own spacing (pdf-lib, a cell wrapped at a separator)', () => {
    const glyphs: Array<[string, number]> = [
      ['7', 306.61],
      ['8', 286.81],
      ['5', 316.51],
      ['2', 237.81],
      ['9', 272.21],
      ['3', 262.31],
      ['2', 227.91],
      ['1', 296.71],
      ['1', 252.41],
      ['6', 218.01],
    ];
    const text = lay([
      at('Лицевой счёт абонента', 56, 184.4, 270.2, 13),
      at('6524', 286.81, 323.01, 270.2, 13),
      ...glyphs.map(([g, x]) => at(g, x, x + 6.5, 287.1, 13)),
    ]);
    expect(text).toContain('622 139 8175');
  });

  it('joins a label’s last group to the groups drawn after it (wkhtmltopdf, 4-3-3-4), not the phone beyond', () => {
    const text = lay([
      at('Номер лицевого счёта: 1 7 5 5', 38.4, 166.2, 126.1, 9.2),
      at('2 6 9', 175.5, 194.5, 126.1, 9.2),
      at('1 2 5', 203.8, 222.8, 126.1, 9.2),
      at('6 4 0 5', 232.1, 258.1, 126.1, 9.2),
      at('Тел.: 8 800 252-75-58', 270, 338.6, 126.1, 9.2),
    ]);
    expect(text).toContain('Номер лицевого счёта: 1755 269 125 6405');
    expect(accounts(text)).toEqual(['17552691256405']);
  });

  it('starts another number where digits follow a code a cell gap away, in a tight row under its headers (Chromium)', () => {
    const text = lay([
      at('Договор на оказание услуг связи №', 46, 195, 70, 9),
      at('Лицевой счёт', 215, 272, 70, 9),
      at('Дата заключения', 292, 363, 70, 9),
      at('57-2023/9574', 139.87, 195.43, 84, 9),
      at('382 853 455 767 14', 203.43, 283.5, 84, 9),
      at('03.09.2025', 318.43, 363.48, 84, 9),
    ]);
    expect(text).not.toContain('9574 382');
    expect(accounts(text)).toEqual(['38285345576714']);
  });

  it('joins a number a cell wrapped inside a group, its first line ending on a lone digit (Chromium, 3-3-3-3-2)', () => {
    const page = layoutPageExplained(
      [
        at('Номер лицевого счёта абонента', 49.75, 137.92, 105, 7.99),
        at('5 0 9', 105.13, 122.59, 120.75, 7.99),
        at('4', 132.82, 137.91, 120.75, 7.99),
        at('1 8', 49.75, 61.02, 130.5, 7.99),
        at('0 4 6', 71.26, 88.71, 130.5, 7.99),
        at('1 8 6', 98.95, 116.41, 130.5, 7.99),
        at('1 9', 126.65, 137.92, 130.5, 7.99),
      ],
      { lengths: [14] },
    );
    expect(page.text).toContain('18 046 186 19');
    const found = locate(page.text, { pairs: page.pairs }).accounts.map((a) => a.number);
    expect(found).toEqual(['50941804618619']);
  });

  it('keeps an amount’s kopecks out of the number in the next cell (ReportLab, a borderless header table, 2-2-4-4 wrapped)', () => {
    const page = layoutPageExplained(
      [
        at('Сумма', 58, 103.6, 95, 13),
        at('к', 58, 66.1, 111.9, 13),
        at('оплате,', 58, 109.5, 128.8, 13),
        at('руб.', 58, 85.9, 145.7, 13),
        at('Лицевой', 155.2, 214.6, 111.9, 13),
        at('счёт', 183.8, 214.6, 128.8, 13),
        at('Дата', 230.6, 263.9, 111.9, 13),
        at('договора', 230.6, 292.3, 128.8, 13),
        at('Договор', 346.8, 403.3, 111.9, 13),
        at('№', 368.9, 381.2, 128.8, 13),
        at('2625,91', 58, 111.8, 174.6, 13),
        at('47 20 2499 4', 127.8, 214.6, 174.6, 13),
        at('014', 189.8, 214.6, 191.5, 13),
        at('11.03.2025', 230.6, 305, 174.6, 13),
        at('RT-2020/177287', 321, 430.9, 174.6, 13),
      ],
      { lengths: [12, 14] },
    );
    expect(page.pairs.map((p) => [p.digits, p.label])).toContainEqual(['472024994014', 'Лицевой счёт']);
    const found = locate(page.text, { lengths: [12, 14], pairs: page.pairs }).accounts.map((a) => a.number);
    expect(found).toEqual(['472024994014']);
  });

  it('reads dots drawn as glyphs of their own between letter-spaced digits as the number’s separators (jsPDF, shuffled)', () => {
    const glyphs: Array<[string, number]> = [
      ['1', 535.1],
      ['7', 480.0],
      ['.', 519.5],
      ['9', 434.8],
      ['7', 399.5],
      ['8', 489.9],
      ['.', 429.1],
      ['8', 444.7],
      ['8', 464.4],
      ['.', 474.3],
      ['6', 525.3],
      ['2', 454.6],
      ['4', 499.8],
      ['3', 389.6],
      ['3', 419.2],
      ['2', 509.7],
      ['5', 409.4],
    ];
    const text = lay([
      at('Лицевой счёт', 50, 144.2, 113.7, 13),
      ...glyphs.map(([g, x]) => at(g, x, x + (g === '.' ? 4.1 : 8.3), 138.4, 13)),
    ]);
    expect(text).toContain('3753.9828.7842.61');
    expect(accounts(text)).toEqual(['37539828784261']);
  });

  it('reads a letter-spaced number that ran into the next cell’s date as the number, the date apart (TCPDF)', () => {
    const page = layoutPageExplained(
      [
        at('Номер договора', 38, 122.9, 103.7, 11),
        at('Номер', 402.7, 436, 103.7, 11),
        at('лицевого', 387.3, 436, 117.4, 11),
        at('счёта', 406.8, 436, 131.2, 11),
        at('Дата', 442, 467.6, 103.7, 11),
        at('заключения', 442, 504.7, 117.4, 11),
        at('RT-2025/752537', 38, 120.7, 148.9, 11),
        at('5 4 7 3', 296.9, 329.9, 148.9, 11),
        at('9 4 5 2', 338.2, 371.2, 148.9, 11),
        at('3 1 9 9', 379.5, 412.5, 148.9, 11),
        at('2 4 27.07.2024', 420.8, 498.6, 148.9, 11),
      ],
      { lengths: [14] },
    );
    expect(locate(page.text, { pairs: page.pairs }).accounts.map((a) => a.number)).toEqual(['54739452319924']);
  });

  it('keeps apart short numbers at uneven gaps, a date beside digits, and groups no number is printed in', () => {
    const uneven = lay([
      at('Лицевой счёт', 20, 90, 80),
      at('12', 20, 30, 100),
      at('3456', 40, 60, 100),
      at('7890', 80, 100, 100),
      at('1234', 110, 130, 100),
    ]);
    expect(uneven).not.toContain('12 3456 7890 1234');
    expect(accounts(uneven)).toEqual([]);
    const dated = lay([at('Лицевой счёт', 20, 90, 80), at('01.09.2020', 20, 70, 100), at('1234', 80, 100, 100)]);
    expect(dated).not.toContain('01.09.2020 1234');
    expect(accounts(dated, [12, 14])).toEqual([]);
    // Groups of 1-1-1-1…: table cells of single digits, not the groups of a number.
    const cells = lay([
      at('Лицевой счёт', 20, 90, 80),
      ...[...'12345678901234'].map((d, i) => at(`${d}${d}${d}${d}${d}`, 20 + i * 40, 45 + i * 40, 100)),
    ]);
    expect(accounts(cells)).toEqual([]);
  });
});

describe('PDFs whose numbers are drawn in pieces, read whole', () => {
  const world = join(ROOT, 'fixtures', 'generated', 'world');

  it('reads groups pdfkit parted by a narrow no-break space its font lacks (a glyph pdf.js reads as U+0000)', async () => {
    const bytes = readFileSync(join(world, 'running-pdfkit-010.pdf'));
    const r = await extract(bytes);
    expect(r.accounts.map((a) => a.number)).toEqual(['37576058892653']);
  });

  it('reads an account ReportLab wrapped in a borderless table beside an amount (the kopecks are no piece of it)', async () => {
    const bytes = readFileSync(join(world, 'header-heights-reportlab-007.pdf'));
    const r = await extract(bytes, { lengths: [12, 14] });
    expect(r.accounts.map((a) => a.number)).toEqual(['472024994014']);
  });

  it('reads a 12-digit prefix of an account pdfkit drew glyph by glyph and wrapped after a dot as no account of its own', async () => {
    const bytes = readFileSync(join(world, 'header-heights-pdfkit-008.pdf'));
    const r = await extract(bytes, { lengths: [12, 14] });
    expect(r.accounts.map((a) => a.number).sort()).toEqual(['129713212351', '51857380825505']);
  });

  it('reads a letter-spaced account LibreOffice drew as one run with dots between its groups', async () => {
    const bytes = readFileSync(join(world, 'glyphs-libreoffice-001.pdf'));
    const r = await extract(bytes);
    expect(r.accounts.map((a) => a.number)).toEqual(['28311179656874']);
  });
});
