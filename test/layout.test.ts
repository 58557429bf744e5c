import { describe, expect, it } from 'vitest';
import { layoutPage, type PositionedItem } from '../src/extract/layout.js';
import { locate } from '../src/index.js';

const item = (text: string, x: number, y: number, size = 10): PositionedItem => ({ text, x, y, width: text.length * size * 0.5, height: size });
const lay = (items: PositionedItem[]) => layoutPage(items, { lengths: [14] });

describe('layoutPage', () => {
  it('reads a label and its value in two cells of one row as one line', () => {
    expect(lay([item('Лицевой счёт', 50, 100), item('7700 1122 3344 55', 300, 100)])).toBe('Лицевой счёт\t7700 1122 3344 55');
  });

  it('orders by position, not by drawing order: a value drawn before its label still follows it', () => {
    const text = lay([item('6310 0200 3004 00', 300, 100), item('Лицевой счёт', 50, 100), item('RT-2025/5555', 300, 120), item('Договор №', 50, 120)]);
    expect(text).toBe('Лицевой счёт\t6310 0200 3004 00\nДоговор №\tRT-2025/5555');
    expect(locate(text).accounts.map((a) => a.number)).toEqual(['63100200300400']);
  });

  it('pairs each header of a header row with the cell below it', () => {
    const text = lay([
      item('Номер договора', 50, 100), item('Лицевой счёт', 200, 100), item('Период', 380, 100),
      item('6002/26667', 50, 116), item('3600 0111 2223 33', 200, 116), item('ноябрь 2026', 380, 116),
      item('6002/26668', 50, 132), item('3600 0111 2223 44', 200, 132), item('декабрь 2026', 380, 132),
    ]);
    expect(text.split('\n')).toEqual([
      'Номер договора\tЛицевой счёт\tПериод',
      'Номер договора: 6002/26667\tЛицевой счёт: 3600 0111 2223 33\tПериод: ноябрь 2026',
      'Номер договора: 6002/26668\tЛицевой счёт: 3600 0111 2223 44\tПериод: декабрь 2026',
    ]);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['36000111222333', '36000111222344']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['6002/26667', '6002/26668']);
  });

  it('does not mistake label/value rows for a header over values', () => {
    const text = lay([item('Абонент', 50, 100), item('Иванов Иван', 300, 100), item('Лицевой счёт абонента', 50, 116), item('5100 2233 4455 66', 300, 116)]);
    expect(text).toBe('Абонент\tИванов Иван\nЛицевой счёт абонента\t5100 2233 4455 66');
  });

  it('joins a number wrapped over two lines of a narrow cell, even when the row is drawn line by line', () => {
    const text = lay([
      item('Лицевой счёт', 50, 100), item('6310020', 300, 100), item('Сумма', 400, 100),
      item('0300411', 300, 112), item('1 250,00', 400, 112),
    ]);
    expect(locate(text).accounts.map((a) => a.number)).toEqual(['63100200300411']);
  });

  it('does not join two whole numbers stacked in one column', () => {
    const text = lay([item('36000111222333', 300, 100), item('36000111222344', 300, 112)]);
    expect(text).toBe('36000111222333\n36000111222344');
  });

  it('joins the pieces of one word and spaces words apart', () => {
    expect(lay([item('Лицев', 50, 100), item('ой', 75, 100), item('счёт', 88, 100)])).toBe('Лицевой счёт');
  });
});
