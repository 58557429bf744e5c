/**
 * PDFs re-written by cairo (print-to-PDF on Linux, Inkscape, `pdftocairo -pdf`; fixtures/make/cairo):
 * every word is an item of its own with its spaces left out, a word is cut where its font subset
 * changes, and a glyph without Unicode comes as U+FFFD, drawn apart. Positions are those pdf.js gives
 * for the re-written world documents (fixtures/documents/pdf-cairo, read whole by fixtures.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../src/extract/pdf/items.js';
import { layoutPage, layoutPageExplained, type PositionedItem } from '../src/layout/index.js';

const at = (text: string, x: number, width: number, y: number, size = 13): PositionedItem => ({
  text,
  x,
  y,
  width,
  height: size,
});
const lay = (items: PositionedItem[], lengths = [14]) => layoutPage(items, { lengths });

/** pdf.js's text content for items given as [text, x, baseline (PDF, from the bottom), width]. */
const content = (size: number, ...items: Array<[string, number, number, number]>) => ({
  items: items.map(([str, x, y, width]) => ({ str, transform: [size, 0, 0, size, x, y], width, height: size })),
});
const identity = { convertToViewportPoint: (x: number, y: number) => [x, 842 - y] };

describe('words drawn one item each (cairo)', () => {
  it('parts header cells set 1.5 word spaces apart, and a word cut at its font subset is one word', () => {
    // header-heights-chromium-003: «Номер лицевого счёта абонента» | «Дата подключения» | «Номер договора».
    const header = [
      at('Номер', 163.4, 33.26, 100, 11),
      at('лицевого', 199.8, 48.62, 100, 11),
      at('счёта', 251.6, 29.1, 100, 11),
      at('абонента', 283.8, 48.97, 100, 11),
      at('Дата', 341.5, 25.57, 100, 11),
      at('подключения', 370.2, 70.65, 100, 11),
      at('Номер', 449.6, 33.26, 100, 11),
      at('договора', 485.9, 48.29, 100, 11),
    ];
    expect(lay(header)).toBe('Номер лицевого счёта абонента\tДата подключения\tНомер договора');
    // header-heights-chromium-011: «Л» «/» «С» is one word, «Дата» 0.67 em after it another cell.
    const cut = [at('Л', 105.2, 10.83, 100), at('/', 116.0, 4.36, 100), at('С', 120.4, 9.93, 100)];
    expect(lay([...cut, at('Дата', 139.0, 33.2, 100), at('подключения', 176.4, 93.83, 100)])).toBe(
      'Л/С\tДата подключения',
    );
  });

  it('keeps a justified line whole: every word space widened alike', () => {
    const words = ['Договор', 'об', 'оказании', 'услуг', 'связи'];
    let x = 50;
    const line = words.map((w) => {
      const item = at(w, x, w.length * 7, 100);
      x += w.length * 7 + 8; // 0.62 em between every two words
      return item;
    });
    expect(lay(line)).toBe('Договор об оказании услуг связи');
  });

  it('parts a one-letter word from the next cell («Сумма к» | «Номер договора»)', () => {
    const line = [
      at('Сумма', 436.2, 45.49, 100),
      at('к', 485.8, 8.12, 100),
      at('Номер', 502.7, 45.22, 100),
      at('договора', 552.1, 61.58, 100),
    ];
    expect(lay(line)).toBe('Сумма к\tНомер договора');
  });
});

describe('values side by side', () => {
  it('parts a date from a contract code with a letter prefix 0.8 em after it, as two values', () => {
    // header-heights-chromium-009 (Chromium, any producer): «11.11.2023» | «RT-2026/432689».
    const line = [at('11.11.2023', 407.5, 53.38, 100, 11), at('RT-2026/432689', 469.7, 81.7, 100, 11)];
    expect(lay(line)).toBe('11.11.2023\tRT-2026/432689');
  });

  it('never reads a date and the code pdf.js gave in the same item as one number', () => {
    // header-heights-pdfkit-000 through cairo: one `TJ`, 0.57 em apart, so pdf.js puts a space between.
    const header = at('Номер договора', 205.5, 110, 100, 14);
    const row = at('04.03.2022 69-2021/9340', 205.5, 186.34, 122, 14);
    const { pairs } = layoutPageExplained([header, row], { lengths: [14] });
    expect(pairs.map((p) => p.digits)).not.toContain('04032022692021');
    // The groups after a date are still read as a number of their own (not 22 digits with the date's).
    const label = at('Лицевой счёт', 50, 80, 100, 14);
    const value = at('01.02.2023 1234 5678 9012 34', 50, 200, 122, 14);
    const { notes } = layoutPageExplained([label, value], { lengths: [14], explain: true });
    expect(notes.join('\n')).toContain('number «1234 5678 9012 34»');
  });
});

describe('glyphs without Unicode (cairo’s U+FFFD)', () => {
  it('reads U+FFFD drawn apart as the space between digit groups, however wide its advance was', () => {
    // running-pdf-lib-007: pdf-lib's notdef (a whole em) re-embedded by cairo as a box of a third of it.
    const items = itemsOf(
      content(
        10,
        ['ЛС, к которому привязаны все услуги, — 584', 113.1, 100, 194.0],
        ['\uFFFD', 307.1, 100, 3.65],
        [' ', 310.8, 100, 0.64],
        ['131', 317.1, 100, 14.98],
        ['\uFFFD', 332.1, 100, 3.65],
        ['556', 342.1, 100, 14.98],
        ['\uFFFD', 357.1, 100, 3.65],
        ['760', 367.0, 100, 14.98],
        ['\uFFFD', 382.0, 100, 3.65],
        ['94.', 392.0, 100, 12.48],
      ),
      identity,
    );
    expect(items.map((i) => i.text.trim())).toEqual([
      'ЛС, к которому привязаны все услуги, — 584',
      '131',
      '556',
      '760',
      '94.',
    ]);
    expect(lay(items)).toBe('ЛС, к которому привязаны все услуги, — 584 131 556 760 94.');
  });

  it('does not carry a run over a gap wider than a character to the next cell', () => {
    const items = itemsOf(
      content(10, ['Итого', 50, 100, 25], ['\uFFFD', 75, 100, 3.65], ['1500,00', 200, 100, 35]),
      identity,
    );
    expect(items[0]!.x + items[0]!.width).toBeCloseTo(78.65);
    expect(lay(items)).toBe('Итого\t1500,00');
  });
});

describe('numbers wrapped inside a group', () => {
  it('joins a number marked with dots that a cell wrapped inside a group without a space', () => {
    // row-cards-libreoffice-002: «41.74.1» over «013.1024», right-aligned in its cell.
    const items = [
      at('Лицевой счет №', 53.1, 70, 100, 12),
      at('41.74.1', 509.9, 56.95, 106.9, 12),
      at('013.1024', 500.9, 69.44, 120.7, 12),
    ];
    expect(lay(items, [12, 14])).toContain('41.74.1013.1024');
  });
});
