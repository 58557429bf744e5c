/**
 * Layout habits of producers the suite did not generate with at first (fixtures/make/producers: dompdf,
 * pdfmake; fixtures/make/cairo) that the world batch's producers share: a number wrapped in a borderless
 * cell whose lines stand 1.5 heights apart, a one-line header top-aligned beside a header of four
 * loosely set lines, an amount's kopecks beside the groups of the next cell, a word and a whole number
 * drawn apart in one run, a right-aligned header cell a word space and a half from its neighbour, a
 * date and a code in one item. Items are those pdf.js gives for the documents named (positions in
 * points, y the baseline from the page's top); the whole documents are read by the last tests here
 * and by fixtures.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../src/index.js';
import type { PositionedItem } from '../src/layout/index.js';
import { locate } from '../src/locate/locate.js';
import { ROOT } from './helpers.js';
import { readPage } from './read-page.js';

/** An item from pdf.js's left edge, baseline and right edge. */
const at = (text: string, x: number, y: number, x1: number, size: number): PositionedItem => ({
  text,
  x,
  y,
  width: x1 - x,
  height: size,
});

const read = readPage;

describe('a number wrapped in a borderless cell, its lines 1.5 heights apart (dompdf)', () => {
  // header-heights-dompdf-014: no ruling on the page; DejaVu Serif 10 pt, lines 15.3 pt apart.
  const header = [
    at('Номер', 87.5, 75.7, 122.3, 10),
    at('лицевого', 74.0, 91.0, 122.3, 10),
    at('счёта', 92.7, 106.4, 122.3, 10),
    at('Дата договора', 134.3, 106.4, 210.5, 10),
    at('Договор на оказание услуг связи №', 222.5, 106.4, 411.5, 10),
  ];
  const row = [
    at('5751 4468 7004', 42.0, 129.8, 122.3, 10),
    at('03.01.2026', 153.3, 129.8, 210.5, 10),
    at('RT-2025/752754', 222.5, 129.8, 307.1, 10),
  ];

  it('joins the rest of the number right-aligned under it', () => {
    const r = read([...header, ...row, at('91', 109.6, 145.1, 122.3, 10)]);
    expect(r.accounts).toEqual(['57514468700491']);
    expect(r.contracts).toEqual(['RT-2025/752754']);
    expect(r.notes).toContain('value block, 2 lines, x 42–122, y 121–148: «5751 4468 7004 ⏎ 91»');
  });

  it('joins a number wrapped over three lines at that pitch', () => {
    const three = [
      at('233-401-', 80.0, 129.8, 122.3, 10),
      at('092-696-', 80.0, 145.1, 122.3, 10),
      at('99', 109.6, 160.4, 122.3, 10),
    ];
    const r = read([...header, ...three]);
    expect(r.accounts).toEqual(['23340109269699']);
  });

  it('keeps a row of values under it a row: the other cells start afresh', () => {
    // The same table's next row, as close: a date under the date, a code under the code.
    const next = [
      at('91', 109.6, 145.1, 122.3, 10),
      at('04.01.2026', 153.3, 145.1, 210.5, 10),
      at('RT-2025/752755', 222.5, 145.1, 307.1, 10),
    ];
    const r = read([...header, ...row, ...next]);
    expect(r.accounts).toEqual([]);
    expect(r.notes).toContain('value block, 1 line, x 110–122, y 136–148: «91»');
  });

  it('does not join lines that do not line up or stand further than a ruled cell allows', () => {
    const shifted = read([...header, ...row, at('91', 60, 145.1, 72.7, 10)]);
    expect(shifted.accounts).toEqual([]);
    const far = read([...header, ...row, at('91', 109.6, 148.5, 122.3, 10)]);
    expect(far.accounts).toEqual([]);
  });
});

describe('a row card whose label and value stand most of a line apart (dompdf)', () => {
  // row-cards-dompdf-019: «Договор» ⏎ «№» 1.5 heights apart, their value 8 pt higher than «Договор».
  const card = [
    at('Адрес подключения', 40.0, 88.0, 109.0, 8),
    at('г. Москва, ул. Садовая,', 117.0, 86.0, 196.1, 8),
    at('д. 43, кв. 123', 134.7, 98.1, 178.4, 8),
    at('Договор', 40.0, 122.2, 68.5, 8),
    at('№', 40.0, 134.4, 47.6, 8),
    at('45-2020/2182', 134.1, 114.2, 179.0, 8),
    at('Л/с', 40.0, 160.5, 51.2, 8),
    at('№', 40.0, 172.6, 47.6, 8),
    at('68150040', 140.5, 158.5, 172.5, 8),
    at('936806', 144.5, 170.6, 168.5, 8),
  ];

  it('pairs the value with the label it touches when nothing else stands beside that label', () => {
    const r = read(card);
    expect(r.accounts).toEqual(['68150040936806']);
    expect(r.contracts).toEqual(['45-2020/2182']);
    expect(r.notes).toContain('code «45-2020/2182» ← «Договор №» (contract, row, score 0.95)');
  });

  it('leaves a label that has a value of its own to that value', () => {
    const r = read([...card, at('01.02.2020', 134.1, 124.2, 174.0, 8)]);
    expect(r.notes.filter((n) => n.startsWith('code «45-2020/2182» ← «Договор»'))).toEqual([]);
  });
});

describe('row labels no overlap of heights ties to their value (held-out dompdf documents)', () => {
  it('reads a row label with the line its cell set 1.5 heights below («Номер» ⏎ «договора»)', () => {
    // row-cards-dompdf-029 (PER=40 batch): the value 6 pt higher than «Номер», «договора» a loose line below.
    const items = [
      at('Тарифный план', 41.0, 157.1, 115.2, 11),
      at('Игровой', 240.3, 152.1, 280.3, 11),
      at('Номер', 41.0, 190.8, 71.8, 11),
      at('договора', 41.0, 207.4, 83.2, 11),
      at('88-2022/2386', 229.4, 184.8, 291.2, 11),
    ];
    expect(read(items).contracts).toEqual(['88-2022/2386']);
    // A line that starts afresh (a capital: the next row's label) is not the label's.
    const next = items.map((i) => (i.text === 'договора' ? { ...i, text: 'Договора' } : i));
    expect(read(next).notes).toContain('code «88-2022/2386»: no label (the cell left of it owns it: «Номер»)');
  });

  it('pairs a label centred between two rows, clear of its value by a point, when nothing else is beside it', () => {
    // forms-dompdf-028 (PER=40 batch): «Лицевой счёт» spans the account's row and the next, 1 pt below the digits.
    const items = [
      at('в ПАО Сбербанк БИК 045635728', 205.7, 156.3, 345.6, 8),
      at('Лицевой счёт', 103.4, 197.5, 161.4, 8),
      at('1 9 8 4 7 2 3 4 8 2 5 0 6 3', 208.3, 187.1, 339.4, 8),
      at('Период оплаты: октябрь 2026 г.', 205.7, 209.6, 342.0, 8),
    ];
    const r = read(items);
    expect(r.notes).toContain('number «19847234825063» ← «Лицевой счёт» (account, row, score 0.95)');
    expect(r.accounts).toEqual(['19847234825063']);
    // A line lower still (half a line clear) is another row's.
    const lower = items.map((i) => (i.text === 'Лицевой счёт' ? { ...i, y: 201.5 } : i));
    expect(read(lower).notes).not.toContain('number «19847234825063» ← «Лицевой счёт» (account, row, score 0.95)');
  });
});

describe('header cells of one row, one of them short', () => {
  it('names its value across the band of a header wrapped over four loose lines (dompdf)', () => {
    // header-heights-dompdf-011: «Л/С» top-aligned, 7 heights above its value; «Договор на оказание
    // услуг связи №» beside it ends 3 heights above the values.
    const items = [
      at('Л/С', 82.2, 70.4, 95.2, 8),
      at('Дата', 149.5, 70.4, 165.5, 8),
      at('договора', 149.5, 82.6, 180.1, 8),
      at('Контактный', 202.1, 70.4, 244.0, 8),
      at('телефон', 202.1, 82.6, 230.1, 8),
      at('Договор на', 278.5, 70.4, 316.9, 8),
      at('оказание', 286.6, 82.6, 316.9, 8),
      at('услуг связи', 277.6, 94.7, 316.9, 8),
      at('№', 309.2, 106.8, 316.9, 8),
      at('4 6 6 - 2 2 1 - 7 0 6 - 6 9 6 - 8 5', 44.6, 129.1, 131.7, 8),
      at('26.06.2020', 149.5, 131.6, 185.5, 8),
      at('8 800 450-18-62', 202.1, 131.6, 255.4, 8),
      at('67-2023/9003', 272.0, 131.6, 316.9, 8),
    ];
    const r = read(items);
    expect(r.accounts).toEqual(['46622170669685']);
    expect(r.contracts).toEqual(['67-2023/9003']);
    // Without the header cells beside it, a label that far above is no header of the value.
    const alone = read(items.filter((i) => i.text === 'Л/С' || /\d/.test(i.text)));
    expect(alone.notes).toContain('number «466-221-706-696-85»: no label (nothing above it in its column)');
  });
});

describe('cells set closer than a cell gap', () => {
  it('leaves an amount its kopecks: the groups of the next cell are a number of their own (pdfmake)', () => {
    // header-heights-pdfmake-002, second row: «2978,22» 23 pt before the account's groups.
    const r = read([
      at('Договор', 48.0, 81.6, 104.5, 13),
      at('№', 48.0, 96.7, 60.3, 13),
      at('Сумма', 149.8, 81.6, 195.4, 13),
      at('к', 149.8, 96.7, 157.9, 13),
      at('оплате,', 149.8, 111.9, 201.3, 13),
      at('руб.', 149.8, 127.0, 177.7, 13),
      at('Номер', 226.6, 81.6, 271.9, 13),
      at('лицевого', 226.6, 96.7, 289.3, 13),
      at('счёта', 226.6, 111.9, 265.1, 13),
      at('абонента', 226.6, 127.0, 289.9, 13),
      at('6846/59730', 48.0, 164.7, 126.8, 13),
      at('2978,22', 149.8, 164.7, 203.6, 13),
      at('2376 5677 7494 07', 226.6, 164.7, 350.2, 13),
    ]);
    expect(r.accounts).toEqual(['23765677749407']);
    expect(r.contracts).toEqual(['6846/59730']);
  });

  it('parts a date from the whole number before it, and no contract is made of the two (dompdf)', () => {
    // header-heights-dompdf-019: the account right-aligned 8 pt (0.67 em) before the date.
    const r = read([
      at('Номер', 59.9, 81.2, 96.3, 12),
      at('договора', 51.7, 99.6, 104.5, 12),
      at('Л/с №', 156.0, 81.2, 188.4, 12),
      at('Дата', 245.2, 81.2, 273.1, 12),
      at('договора', 232.8, 99.6, 285.5, 12),
      at('44-2023/8288', 40.0, 122.1, 116.2, 12),
      at('62883422539457', 124.2, 122.1, 220.3, 12),
      at('11.08.2020', 228.3, 122.1, 290.0, 12),
    ]);
    expect(r.accounts).toEqual(['62883422539457']);
    expect(r.contracts).toEqual(['44-2023/8288']);
  });

  it('parts a word from a whole number drawn after it (letter-spaced digits overflowing, Chromium)', () => {
    // header-heights-chromium-009, second row: «Игровой» ends 8.8 pt (0.8 em) before the account.
    const r = read([
      at('Тарифный', 212.7, 75.7, 266.4, 11),
      at('план', 241.9, 87.7, 266.4, 11),
      at('Лицевой', 353.6, 75.7, 397.2, 11),
      at('счет', 375.3, 87.7, 397.2, 11),
      at('№', 385.4, 99.7, 397.2, 11),
      at('Домашний интернет', 162.7, 116.2, 266.4, 11),
      at('6 3 2 9 3 2 7 1 2 0 8 0 1 5', 275.2, 116.2, 394.6, 11),
      at('Игровой', 224.3, 144.7, 266.4, 11),
      at('4 7 4 8 3 6 6 8 8 2 6 3 7 7', 275.2, 144.7, 394.6, 11),
    ]);
    expect(r.accounts.sort()).toEqual(['47483668826377', '63293271208015']);
  });

  it('parts a right-aligned header cell from its centred neighbour at the column edge (pdfkit)', () => {
    // header-heights-pdfkit-019: «Единый» ⏎ «лицевой» ⏎ «счёт» end at 481.9; «оплате,» 10 pt (0.7 em) after «счёт».
    const r = read([
      at('Договор об оказании услуг связи №', 55.0, 95.0, 320.6, 14),
      at('Единый', 425.0, 95.0, 481.9, 14),
      at('Сумма', 496.2, 95.0, 544.0, 14),
      at('Дата заключения', 558.4, 95.0, 687.8, 14),
      at('лицевой', 419.8, 113.2, 481.9, 14),
      at('к', 515.9, 113.2, 524.4, 14),
      at('счёт', 449.2, 131.4, 481.9, 14),
      at('оплате,', 491.9, 131.4, 548.4, 14),
      at('руб.', 505.0, 149.6, 535.3, 14),
      at('2306/65409', 145.0, 174.0, 230.0, 14),
      at('65681305690749', 331.0, 174.0, 480.0, 14),
      at('800,11', 496.0, 174.0, 545.0, 14),
      at('15.09.2022', 608.0, 174.0, 688.0, 14),
    ]);
    expect(r.accounts).toEqual(['65681305690749']);
    expect(r.contracts).toEqual(['2306/65409']);
  });

  it('parts a date and a code that pdf.js gives as one item (cairo draws them in one TJ)', () => {
    // header-heights-pdfkit-000 through cairo: «04.03.2022 69-2021/9340», the code 0.57 em after the date.
    const r = read([
      at('Дата', 249.8, 94.3, 285.6, 14),
      at('заключения', 194.9, 112.5, 285.5, 14),
      at('Номер', 343.3, 94.3, 392.0, 14),
      at('договора', 325.6, 112.5, 391.9, 14),
      at('04.03.2022 69-2021/9340', 205.5, 156.9, 391.9, 14),
    ]);
    expect(r.contracts).toEqual(['69-2021/9340']);
    // A date before words stays one item: only a value after it is a cell of its own.
    expect(
      read([at('Договор №', 100, 90, 170, 14), at('04.03.2022 69-2021/9340 от', 100, 110, 300, 14)]).notes,
    ).toContain('value block, 1 line, x 100–300, y 97–114: «04.03.2022 69-2021/9340 от»');
  });
});

describe('a grouped number broken after its first group in running text (TCPDF)', () => {
  // running-tcpdf-html-013: TCPDF wraps the sentence after the number's first group of three.
  const text = (rest: string) =>
    `Сообщаем, что договор 8134/47796 переоформлен, а лицевой счёт у них другой — 306\n${rest}\nОплатить можно до 24.04.2025.`;

  it('reads the groups of the next line with it', () => {
    const found = locate(text('135 844 908 73.'), { lengths: [14] });
    expect(found.accounts.map((a) => a.number)).toEqual(['30613584490873']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['8134/47796']);
  });

  it('does not join a short piece with a line that does not go on in groups', () => {
    expect(locate(text('13584490873 руб.'), { lengths: [14] }).accounts).toEqual([]);
    expect(locate(text('135 84490873.'), { lengths: [14] }).accounts).toEqual([]);
  });
});

describe('the documents those items come from, read whole', () => {
  const world = (name: string) => join(ROOT, 'fixtures', 'generated', 'world', name);
  it.each([
    [
      'header-heights-chromium-009.pdf',
      [12, 14],
      ['47483668826377', '632932712080'],
      ['87-2024/6601', 'RT-2026/432689'],
    ],
    ['header-heights-pdfkit-019.pdf', [14], ['65681305690749'], ['2306/65409']],
    ['header-heights-reportlab-007.pdf', [12, 14], ['472024994014'], ['RT-2020/177287']],
  ])('%s (world batch)', async (name, lengths, accounts, contracts) => {
    const r = await extractFile(world(name), { lengths });
    expect(r.accounts.map((a) => a.number).sort()).toEqual(accounts);
    expect(r.contractNumbers.map((c) => c.number).sort()).toEqual(contracts);
  });
});
