import { describe, expect, it } from 'vitest';
import { layoutPage, type PositionedItem } from '../src/extract/layout.js';
import { locate } from '../src/index.js';

const item = (text: string, x: number, y: number, size = 10): PositionedItem => ({
  text,
  x,
  y,
  width: text.length * size * 0.5,
  height: size,
});
const lay = (items: PositionedItem[]) => layoutPage(items, { lengths: [14] });

describe('layoutPage', () => {
  it('reads a label and its value in two cells of one row as one line', () => {
    expect(lay([item('Лицевой счёт', 50, 100), item('7700 1122 3344 55', 300, 100)])).toBe(
      'Лицевой счёт\t7700 1122 3344 55',
    );
  });

  it('orders by position, not by drawing order: a value drawn before its label still follows it', () => {
    const text = lay([
      item('6310 0200 3004 00', 300, 100),
      item('Лицевой счёт', 50, 100),
      item('RT-2025/5555', 300, 120),
      item('Договор №', 50, 120),
    ]);
    expect(text).toBe('Лицевой счёт\t6310 0200 3004 00\nДоговор №\tRT-2025/5555');
    expect(locate(text).accounts.map((a) => a.number)).toEqual(['63100200300400']);
  });

  it('pairs each header of a header row with the cell below it', () => {
    const text = lay([
      item('Номер договора', 50, 100),
      item('Лицевой счёт', 200, 100),
      item('Период', 380, 100),
      item('6002/26667', 50, 116),
      item('3600 0111 2223 33', 200, 116),
      item('ноябрь 2026', 380, 116),
      item('6002/26668', 50, 132),
      item('3600 0111 2223 44', 200, 132),
      item('декабрь 2026', 380, 132),
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
    const text = lay([
      item('Абонент', 50, 100),
      item('Иванов Иван', 300, 100),
      item('Лицевой счёт абонента', 50, 116),
      item('5100 2233 4455 66', 300, 116),
    ]);
    expect(text).toBe('Абонент\tИванов Иван\nЛицевой счёт абонента\t5100 2233 4455 66');
  });

  it('joins a number wrapped over two lines of a narrow cell, even when the row is drawn line by line', () => {
    const text = lay([
      item('Лицевой счёт', 50, 100),
      item('6310020', 300, 100),
      item('Сумма', 400, 100),
      item('0300411', 300, 112),
      item('1 250,00', 400, 112),
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

const accountsOf = (text: string) => locate(text).accounts.map((a) => a.number);

describe('layoutPage: cells of several lines, blocks side by side, row headers', () => {
  it('pairs header cells wrapped over lines and centred with a value row whose account cell wraps', () => {
    for (const [first, second] of [
      ['40-1234-5678-', '9012'],
      ['4012 3456', '7890 12'],
      ['40-1234-5678', '-9012'],
    ]) {
      const text = lay([
        item('Договор об оказании услуг', 50, 100),
        item('связи №', 80, 112),
        item('Л/с №', 230, 106),
        item('Дата', 330, 100),
        item('заключения', 320, 112),
        item('RT-2024/318245', 50, 140),
        item(first!, 222, 134),
        item(second!, 235, 146),
        item('01.02.2026', 320, 140),
      ]);
      const found = locate(text);
      expect(
        found.accounts.map((a) => a.number),
        text,
      ).toEqual(['40123456789012']);
      expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2024/318245']);
    }
  });

  it('reads blocks side by side one after the other, so the operator’s digits never meet the subscriber’s label', () => {
    const left = [
      'Оператор',
      'ПАО «Ростелеком»',
      'ИНН 7707049388',
      'КПП 784001001',
      'ОГРН 1027700198767',
      'р/с 40702810938000012345',
      'к/с 30101810400000000225',
      'БИК 044525225',
      'Тел. 8 800 100 08 00',
    ];
    const right = [
      'Абонент',
      'Иванов Иван Иванович',
      'г. Москва, ул. Ленина, д. 5',
      'Лицевой счёт:',
      '4012 3456 7890 12',
      'Договор № RT-2026/77',
    ];
    for (const pitch of [11.5, 12, 14]) {
      const items = [
        ...left.map((t, i) => item(t, 50, 100 + i * pitch)),
        ...right.map((t, i) => item(t, 320, 100 + i * pitch)),
      ];
      const found = locate(lay(items));
      expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012']);
      expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2026/77']);
    }
  });

  it('pairs a row header spanning two lines with a value centred beside it', () => {
    const text = lay([
      item('Лицевой счёт', 50, 100),
      item('абонента', 50, 112),
      item('4012 3456 7890 12', 250, 106),
      item('Договор №', 50, 140),
      item('RT-7/2026', 250, 140),
    ]);
    expect(accountsOf(text)).toEqual(['40123456789012']);
  });

  it('reads digits placed one glyph at a time, in any drawing order and spaced out', () => {
    const digits = '40123456789012';
    const glyphs = [...digits].map((d, i) => ({
      text: d,
      x: 250 + i * 5.6 + Math.floor(i / 4) * 3,
      y: 100,
      width: 5.6,
      height: 10,
    }));
    const shuffled = glyphs
      .map((g, i) => ({ g, k: (i * 7) % glyphs.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.g);
    expect(accountsOf(lay([item('Лицевой счёт', 50, 100), ...shuffled]))).toEqual([digits]);
    const spaced = [...digits].map((d, i) => ({ text: d, x: 250 + i * 9, y: 100, width: 5.6, height: 10 }));
    expect(accountsOf(lay([...spaced.reverse(), item('Лицевой счёт', 50, 100)]))).toEqual([digits]);
  });

  it('keeps rows of a tight label/value list apart: each label beside its own value', () => {
    const text = lay([
      item('Абонент', 50, 100),
      item('Иванов Иван', 200, 100),
      item('Лицевой счёт', 50, 111),
      item('5100 2233 4455 66', 200, 111),
      item('Номер заказа', 50, 122),
      item('12345678901234', 200, 122),
    ]);
    expect(accountsOf(text)).toEqual(['51002233445566']);
  });

  it('pairs a header with every row of a tight table', () => {
    const text = lay([
      item('Номер договора', 50, 100),
      item('Лицевой счёт', 200, 100),
      item('Период', 380, 100),
      item('6002/26667', 50, 111),
      item('3600 0111 2223 33', 200, 111),
      item('ноябрь 2026', 380, 111),
      item('6002/26668', 50, 122),
      item('3600 0111 2223 44', 200, 122),
      item('декабрь 2026', 380, 122),
    ]);
    expect(accountsOf(text)).toEqual(['36000111222333', '36000111222344']);
  });

  it('splits label cells stacked at one line pitch by the rows of the values beside them', () => {
    // A tight row-header table (LibreOffice): no gap between rows, each value centred on its own label.
    const pitch = 11.7;
    const labels = ['Номер заказа', 'Номер лицевого', 'счёта', 'Счёт №', 'Договор об', 'оказании услуг', 'связи №'];
    const at = (k: number) => 100 + k * pitch;
    const text = lay([
      ...labels.map((t, k) => item(t, 50, at(k))),
      item('12345678901234', 200, at(0)),
      item('2024 2528 2819 85', 200, (at(1) + at(2)) / 2),
      item('85098435656864', 200, at(3)),
      item('RT-2019/722175', 200, at(5)),
    ]);
    expect(text.split('\n')).toEqual([
      'Номер заказа\t12345678901234',
      'Номер лицевого счёта\t2024 2528 2819 85',
      'Счёт №\t85098435656864',
      'Договор об оказании услуг связи №\tRT-2019/722175',
    ]);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['20242528281985']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2019/722175']);
  });

  it('leaves a stacked label whose value is empty on its own, between rows centred on their labels', () => {
    const pitch = 12;
    const at = (k: number) => 100 + k * pitch;
    const text = lay([
      item('Лицевой счёт', 50, at(0)),
      item('абонента', 50, at(1)),
      item('Телефон', 50, at(2)),
      item('Договор', 50, at(3)),
      item('№', 50, at(4)),
      item('4012 3456 7890 12', 200, at(0.5)),
      item('RT-7/2026', 200, at(3.5)),
    ]);
    expect(text.split('\n')).toEqual(['Лицевой счёт абонента\t4012 3456 7890 12', 'Телефон', 'Договор №\tRT-7/2026']);
  });

  it('splits stacked labels by values aligned at the top of their rows', () => {
    const at = (k: number) => 100 + k * 11.5;
    const text = lay([
      ...['ИНН', 'абонента', 'Лицевой', 'счёт', 'Номер заказа'].map((t, k) => item(t, 50, at(k))),
      item('7707049388', 200, at(0)),
      item('4012 3456 7890 12', 200, at(2)),
      item('12345678901234', 200, at(4)),
    ]);
    expect(text.split('\n')).toEqual([
      'ИНН абонента\t7707049388',
      'Лицевой счёт\t4012 3456 7890 12',
      'Номер заказа\t12345678901234',
    ]);
    expect(accountsOf(text)).toEqual(['40123456789012']);
  });

  it('does not split a paragraph beside a single number or beside a block of its own', () => {
    const paragraph = ['Оплату можно внести', 'в личном кабинете', 'или в отделении связи'];
    const beside = lay([...paragraph.map((t, k) => item(t, 50, 100 + k * 12)), item('8 800 100 08 00', 260, 112)]);
    expect(beside.split('\n')[0]).toContain('Оплату можно внести в личном кабинете или в отделении связи');
  });

  it('never reports a neighbour in a table as the account', () => {
    const text = lay([
      item('ИНН', 50, 100),
      item('Счёт №', 150, 100),
      item('Лицевой счёт', 300, 100),
      item('Заказ', 450, 100),
      item('7707049388', 50, 116),
      item('20261100012345', 150, 116),
      item('4012 **** **** 12', 300, 116),
      item('12345678901234', 450, 116),
    ]);
    const found = locate(text);
    expect(found.accounts).toEqual([]);
    expect(found.rejected.map((r) => r.code)).toContain('BILL_NUMBER');
  });
});

/** One item per glyph, `spacing` points between glyphs, a space as wide as DejaVu's (0.32 em). */
const glyphs = (text: string, x: number, y: number, spacing = 0, size = 10): PositionedItem[] => {
  const out: PositionedItem[] = [];
  let at = x;
  for (const ch of text) {
    if (ch !== ' ') out.push({ text: ch, x: at, y, width: 0.636 * size, height: size });
    at += (ch === ' ' ? 0.318 * size : 0.636 * size) + spacing;
  }
  return out;
};

describe('layoutPage: tables set tight, numbers drawn in pieces', () => {
  it('splits header cells a word space apart where the column edge is set by values centred on baselines of their own', () => {
    // LibreOffice squeezes «Дата заключения» and «ЛС» 4.4 pt apart; the account under «ЛС» wraps and is
    // centred on its row, so its lines open baselines of their own, level with the date beside them.
    const text = lay([
      item('Дата заключения', 58.8, 71.4),
      item('ЛС', 138.2, 71.4),
      item('Номер', 224.6, 65.6),
      item('договора', 224.6, 77.3),
      item('219 451', 138.2, 93.5),
      item('09.03.2026', 58.8, 99.3),
      item('RT-2021/705433', 224.6, 99.3),
      item('159 841 93', 138.2, 105.2),
    ]);
    expect(text.split('\n')[0]).toBe('Дата заключения\tЛС\tНомер договора');
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['21945115984193']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2021/705433']);
  });

  it('splits a cell from the next a little more than a word space apart at a header edge opened beside a lower cell', () => {
    // Chromium: «ИНН ⏎ абонента» and «Договор … №» centred in a header row, the ИНН 6 pt before the contract.
    const text = lay([
      item('ИНН', 131.8, 69),
      item('Договор №', 214.2, 75),
      item('Л/с №', 330, 75),
      item('абонента', 131.8, 80.3),
      { ...item('625169556143', 131.8, 103.5), width: 76.3 },
      item('2778/88387', 214.2, 103.5),
      item('2333 2512 9391 89', 330, 103.5),
    ]);
    const found = locate(text);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['2778/88387']);
    expect(found.accounts.map((a) => a.number)).toEqual(['23332512939189']);
  });

  it('reads a letter-spaced account drawn glyph by glyph and wrapped, its groups lined up over two lines, as one number', () => {
    for (const [first, second] of [
      ['384 323 310 957', '51'],
      ['556 513', '145 152 64'],
    ] as const) {
      const text = lay([
        item('Договор №', 55, 101.6),
        item('Лицевой счёт', 330, 101.6),
        item('4032/13012', 55, 136.1),
        ...glyphs(first, 331.8, 130, 1.5),
        ...glyphs(second, 331.8, 142.3, 1.5),
      ]);
      expect(accountsOf(text)).toEqual([(first + second).replace(/ /g, '')]);
    }
  });

  it('reads a letter-spaced account wrapped beside a row header of two lines', () => {
    const text = lay([
      item('Лицевой счёт', 54, 94.4),
      ...glyphs('6461 1052', 174, 94.4, 1.5),
      item('абонента', 54, 106.6),
      ...glyphs('4553 66', 174, 106.6, 1.5),
      item('Номер', 54, 126.9),
      item('30041273153203', 174, 133),
      item('заказа', 54, 139.1),
    ]);
    expect(accountsOf(text)).toEqual(['64611052455366']);
  });

  it('keeps a letter-spaced account whole under a header whose pieces open lines at its glyphs', () => {
    // «pribadi» of a centred three-line header starts where a glyph of the account below starts.
    const header = (y: number) => [
      item('Akun', 266.7, y),
      item('pribadi', 261.8, y + 6.45),
      item('pelanggan', 252.8, y + 12.9),
      item('Договор №', 463, y + 6.45),
    ];
    const text = lay([
      ...header(95.7),
      item('2061 7099 8517 77', 215, 144.5),
      item('63-2024/3832', 463, 144.5),
      ...header(190.3),
      ...glyphs('56777896469977', 215, 239, 1.5),
      item('32-2020/4512', 463, 239),
    ]);
    expect(accountsOf(text)).toEqual(['20617099851777', '56777896469977']);
  });
});

/** An item with the width the producer gave it (DejaVu Sans digits are 0.636 em). */
const wide = (text: string, x: number, y: number, width: number): PositionedItem => ({ text, x, y, width, height: 10 });

describe('layoutPage: cells wrapped for want of room, columns found from all rows', () => {
  it('joins the pieces of cells a narrowed table wrapped, so a row keeps one cell per column', () => {
    // LibreOffice narrows five wide columns to the page and breaks long values anywhere.
    const text = lay([
      wide('ИНН', 293.9, 67.6, 22.5),
      wide('Сумма к', 420.9, 67.6, 43.3),
      wide('Договор', 495.1, 67.6, 43.6),
      wide('ЕЛС', 60.8, 73.4, 20.8),
      wide('Расчётный счёт', 166.9, 73.4, 83),
      wide('абонента', 293.9, 79.3, 49.5),
      wide('оплате, руб.', 420.9, 79.3, 65),
      wide('№', 495.1, 79.3, 10.4),
      wide('407028104107621529', 166.9, 99.5, 114.4),
      wide('78-', 495.1, 99.5, 16.3),
      wide('37597920251570', 60.8, 105.3, 88.9),
      wide('3318799942', 293.9, 105.3, 63.5),
      wide('1707,01', 420.9, 105.3, 41.2),
      wide('57', 166.9, 111.2, 12.7),
      wide('2020/9489', 495.1, 111.2, 54.2),
      wide('1902 8677 3552', 60.8, 131.4, 82.6),
      wide('95-', 495.1, 131.4, 16.3),
      wide('8 800 282-58-51', 166.9, 137.2, 83.4),
      wide('+7 (495) 601-81-94', 293.9, 137.2, 99.6),
      wide('2745,57', 420.9, 137.2, 41.2),
      wide('69', 60.8, 143.1, 12.7),
      wide('2020/8254', 495.1, 143.1, 54.2),
    ]);
    const lines = text.split('\n');
    expect(lines[1]).toContain('Расчётный счёт: 40702810410762152957');
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['37597920251570', '19028677355269']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['78-2020/9489', '95-2020/8254']);
  });

  it('joins a word broken for want of room without a space, and a top-aligned cell of three lines to its row', () => {
    const text = lay([
      wide('Personal account', 62.8, 69.6, 85.8),
      wide('Contract', 292.2, 69.6, 43),
      wide('Invoice No.', 377.9, 69.6, 55.6),
      wide('No.', 62.8, 81.3, 16.8),
      wide('No.', 292.2, 81.3, 16.8),
      wide('4008642767951', 62.8, 105.5, 82.6),
      wide('82-', 292.2, 105.5, 16.3),
      wide('6179498655806', 377.9, 105.5, 82.6),
      wide('3', 62.8, 117.2, 6.4),
      wide('2025/85', 292.2, 117.2, 41.4),
      wide('1', 377.9, 117.2, 6.4),
      wide('74', 292.2, 128.8, 12.7),
    ]);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['40086427679513']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['82-2025/8574']);
  });

  it('keeps rows set at the line pitch apart, each account cell wrapped over two lines', () => {
    const text = lay([
      wide('Л/с', 363.6, 63, 16.4),
      wide('Карта', 56.8, 68.8, 31.5),
      wide('Договор №', 167.1, 68.8, 54),
      wide('№', 363.6, 74.7, 10.4),
      wide('2761804', 363.6, 86.3, 44.4),
      wide('84-2024/4209', 167.1, 92.1, 70.5),
      wide('2218903', 363.6, 98, 44.4),
      wide('365 164', 363.6, 109.6, 41.2),
      wide('5994 **** **** 78', 56.8, 115.4, 87.6),
      wide('86-2021/1203', 167.1, 115.4, 70.5),
      wide('503 910 81', 363.6, 121.3, 57.1),
    ]);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['27618042218903', '36516450391081']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['84-2024/4209', '86-2021/1203']);
  });

  it('finds a value under a short centred header by the column the other rows make', () => {
    // «ЛС» centred over a wide column; the first row's account is narrower than the others and left-aligned.
    const text = lay([
      wide('Договор №', 90, 99.2, 54),
      wide('ЛС', 254, 99.2, 14.5),
      wide('Дата', 346.3, 99.2, 25.9),
      wide('4662768', 204.8, 122.6, 44.5),
      wide('9415/17756', 52, 129.1, 60.6),
      wide('25.10.2020', 321.6, 129.1, 57.3),
      wide('2094288', 204.8, 135.6, 44.5),
      wide('RT-2023/869878', 52, 159, 82),
      wide('4725 7964 8635 00', 204.8, 159, 80),
      wide('12.03.2021', 321.6, 159, 57.3),
    ]);
    expect(accountsOf(text)).toEqual(['46627682094288', '47257964863500']);
  });

  it('leaves a cell beyond the last header unnamed rather than take the name of the cell under it', () => {
    const text = lay([
      wide('Л/с №', 112.4, 104.4, 30),
      wide('Телефон', 245.4, 104.4, 46),
      wide('Договор об', 486.8, 92.3, 59.1),
      wide('оказании услуг', 475.7, 104.4, 81.4),
      wide('связи №', 495, 116.4, 42.8),
      wide('4967 1906 9383 08', 52, 132.5, 101.8),
      wide('+7 (495) 841-86-72', 197.6, 132.5, 99.7),
      wide('2332/13191', 460, 132.5, 60.6),
      wide('694', 576.8, 132.5, 19.1),
    ]);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['49671906938308']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['2332/13191']);
  });
});

describe('layoutPlainText', () => {
  it('pairs each value of a text table with the column header above it, with spaces or bars between columns', async () => {
    const { layoutPlainText } = await import('../src/layout/index.js');
    const spaces = [
      'Выписка за октябрь',
      'Лицевой счёт          Период      Сумма',
      '4012 3456 7890 12     10.2026     231 00',
      '4012 3456 7890 23     10.2026     1 020 00',
      'Итого: 1 251,00',
    ].join('\n');
    expect(accountsOf(layoutPlainText(spaces, { lengths: [14] }))).toEqual(['40123456789012', '40123456789023']);
    const bars = ['| Договор № | Л/с | Сумма |', '|---|---|---|', '| RT-1/2026 | 4012 3456 7890 12 | 231,00 |'].join(
      '\n',
    );
    const found = locate(layoutPlainText(bars, { lengths: [14] }));
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-1/2026']);
  });

  it('joins header names wrapped unevenly over lines, between bars or by the characters they share', async () => {
    const { layoutPlainText } = await import('../src/layout/index.js');
    const barred = [
      '| Телефон            | Номер лицевого     | Счёт            | Договор об оказании |',
      '|                    | счёта              | №               | услуг связи №       |',
      '|--------------------|--------------------|-----------------|---------------------|',
      '| +7 (495) 567-44-75 | 6224 8393 8889 68  | 72759529775472  | RT-2022/738811      |',
    ].join('\n');
    let found = locate(layoutPlainText(barred, { lengths: [14] }));
    expect(found.accounts.map((a) => a.number)).toEqual(['62248393888968']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2022/738811']);
    // Spaces between columns; names wrapped at the bottom (one column's name only on the second line),
    // capitalised second lines, and the header repeated further down (a page break in an export).
    const spaced = [
      'Лицевой              Personal account   Сумма',
      'счёт                 No.                к оплате    ИНН',
      '4012 3456 7890 12    RT-2026/1          231,00      7707049388',
      '',
      'Лицевой              Personal account   Сумма',
      'счёт                 No.                к оплате    ИНН',
      '4012 3456 7890 23    RT-2026/2          1 020,00    7707049388',
    ].join('\n');
    const text = layoutPlainText(spaced, { lengths: [14] });
    expect(text).toContain('Лицевой счёт: 4012 3456 7890 12');
    expect(text).toContain('ИНН: 7707049388');
    found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012', '40123456789023']);
  });

  it('keeps empty cells of a barred table in their columns', async () => {
    const { layoutPlainText } = await import('../src/layout/index.js');
    const text = [
      '| Номер заказа   | Лицевой счёт      | Счёт №         |',
      '|----------------|-------------------|----------------|',
      '|                | 4012 3456 7890 12 | 20261100012345 |',
      '| 12345678901234 |                   | 20261100012346 |',
    ].join('\n');
    const found = locate(layoutPlainText(text, { lengths: [14] }));
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012']);
  });

  it('finds the columns of a spaced text table from its values: right-aligned numbers, empty columns, lone values', async () => {
    const { layoutPlainText } = await import('../src/layout/index.js');
    const text = [
      'Выписка по лицевым счетам',
      '',
      'Contract                                                   Personal',
      'No.             БИК       Карта         Номер заказа      account No.',
      '--------------  --------  ------------  ----------------  -------------------',
      '    RT-2026/1                            12345678901234    4012 3456 7890 12',
      '   1234/56789                                              4012 3456 7890 23',
      '                                                           4012 3456 7890 34',
      '',
      'Итого: 1 251,00',
    ].join('\n');
    const laid = layoutPlainText(text, { lengths: [14] });
    expect(laid).toContain('Номер заказа: 12345678901234');
    expect(laid).not.toMatch(/(?:БИК|Карта)[^\t]*12345678901234/);
    const found = locate(laid);
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012', '40123456789023', '40123456789034']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2026/1', '1234/56789']);
  });

  it('lays out a text table held in <pre> of an HTML page, its leading spaces kept', async () => {
    const { htmlToText } = await import('../src/extract/html.js');
    const html = `<p>Выписка</p><pre>
    Договор N          Лицевой счёт
                       абонента
    RT-2022/615047     4012 3456 7890 12
</pre>`;
    const found = locate(htmlToText(html));
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2022/615047']);
  });

  it('leaves prose and payment QR payloads as they were', async () => {
    const { layoutPlainText } = await import('../src/layout/index.js');
    const text = 'Оплата по л/с 3600 0111 2223 33\nST00012|Name=ПАО|PersAcc=36000111222333|Sum=100';
    expect(layoutPlainText(text, { lengths: [14] })).toBe(text);
  });
});
