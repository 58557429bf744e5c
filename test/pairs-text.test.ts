/**
 * The one pairing stage over plain text and HTML tables (issue #23): a fixed-width text's characters are
 * positions (layout/text-pairs.ts, text-table.ts), an HTML table's cells a grid (extract/html-grid.ts).
 * Each case is a shape the text reading alone got wrong; the numbers are invented.
 */
import { describe, expect, it } from 'vitest';
import { extract } from '../src/index.js';

async function read(input: string, filename: string, lengths?: number[]) {
  const result = await extract(input, { filename, explain: true, ...(lengths ? { lengths } : {}) });
  return {
    accounts: result.accounts.map((a) => a.number),
    contracts: result.contractNumbers.map((c) => c.number),
    notes: (result.blocks ?? []).flatMap((b) => b.layout ?? []).filter((n) => /^(number|code) /.test(n)),
  };
}

describe('plain text paired by position', () => {
  it('a text table whose header names wrap unevenly and whose account wraps in its cell', async () => {
    const text = [
      '                         Тарифный                        Дата',
      'Контактный телефон         план                    Л/С   заключения   Договор об оказании услуг связи №',
      '   8 800 686-60-10   Домашний интернет   4078-565-644-   25.07.2026   RT-2026/312323',
      '                                                  7675',
    ].join('\n');
    const found = await read(text, 'table.txt', [12, 14]);
    expect(found.accounts).toEqual(['40785656447675']);
    expect(found.contracts).toEqual(['RT-2026/312323']);
  });

  it('a row card whose label wraps over three lines beside a number wrapped over two', async () => {
    const text = [
      'Номер договора   45-2023/8814',
      'Единый           22 1079 2509',
      'лицевой          6192',
      'счёт',
      'ИНН              509189135997',
    ].join('\n');
    const found = await read(text, 'card.txt');
    expect(found.accounts).toEqual(['22107925096192']);
    expect(found.contracts).toEqual(['45-2023/8814']);
    expect(found.notes).toContain('number «22 1079 2509 6192» ← «Единый лицевой счёт» (account, row, score 0.95)');
  });

  it('a row card whose label cells a text keeps in lines, beside values centred on them or wrapped over them', async () => {
    const text = [
      'Абонент                         ООО «Вектор»',
      'Адрес                      г. Москва, ул. Ленина,',
      'подключения                    д. 10, кв. 95',
      'Тарифный                          Игровой',
      'план',
      'Договор на оказание            RT-2023/412801',
      'услуг связи №',
      'Лицевой                        3750-176-346-',
      'счет                                2008',
      '№',
      'Номер                          41782355501234',
      'заказа',
      'Контактный телефон           +7 (495) 666-27-86',
    ].join('\n');
    const found = await read(text, 'card.txt');
    // The order number («Номер» ⏎ «заказа») stays unlabelled: no label ends its stretch of lines.
    expect(found.accounts).toEqual(['37501763462008']);
    expect(found.contracts).toEqual(['RT-2023/412801']);
    expect(found.notes).toContain('number «3750-176-346-2008» ← «Лицевой счет» (account, row, score 0.95)');
  });

  it('two blocks side by side, the account under its label in the right one; letter-spaced digits are one number', async () => {
    const text = [
      'Оператор                              Абонент',
      'ИНН 7707049388                        Иванов Иван Иванович',
      'р/с 40702810007508109703              Лицевой счёт:',
      'БИК 044525225                         6 1 7 8   6 6 0 2   3 2 9 4   3 0',
    ].join('\n');
    expect((await read(text, 'blocks.txt')).accounts).toEqual(['61786602329430']);
  });

  it('a heading label over a list: each «Счёт:» under «Лицевые счета:» is an account, an ИНН beside them is not', async () => {
    const text = [
      'Информация о жителе:',
      '     УК: ООО «Управляющая компания». ИНН: 6671098345.',
      '     Лицевые счета:',
      '             Счёт: 21004417730952.',
      '             Организация: ООО «Управляющая компания».',
      '',
      '             Счёт: 35201186440271.',
    ].join('\n');
    const found = await read(text, 'list.txt');
    expect(found.accounts.sort()).toEqual(['21004417730952', '35201186440271']);
    expect(found.notes).toContain('number «21004417730952» ← «Лицевые счета» (account, heading, score 0.90)');
  });

  it('running text wrapped after the dash; a list item under a heading that is no label stays unlabelled', async () => {
    const wrapped = 'Лицевой счёт, к которому привязаны все услуги, —\n249 935 932 767 96. Договор: 36-2018/7245.';
    expect((await read(wrapped, 'mail.txt')).accounts).toEqual(['24993593276796']);
    const notLabel = 'Счета организации:\n    Счёт: 21004417730952.';
    expect((await read(notLabel, 'list.txt')).accounts).toEqual([]);
  });
});

describe('HTML table cells paired by position', () => {
  const cell = (tag: string, text: string, valign = 'middle') => `<${tag} valign="${valign}">${text}</${tag}>`;

  it('a two-column requisites table under a generic «Реквизит | Значение» header: the row headers name the values', async () => {
    const rows = [
      ['ИНН:', '9627458435'],
      ['Номер договора:', '2517/89756'],
      ['Номер лицевого счёта абонента:', '4950-847-288-6232'],
      ['Р/с:', '40702810328029097915'],
    ];
    const html = `<table><tr><th>Реквизит</th><th>Значение</th></tr>${rows
      .map(([k, v]) => `<tr>${cell('th', k!, 'bottom')}${cell('td', v!, 'bottom')}</tr>`)
      .join('')}</table>`;
    const found = await read(html, 'requisites.html');
    expect(found.accounts).toEqual(['49508472886232']);
    expect(found.contracts).toEqual(['2517/89756']);
    expect(
      found.notes.filter((n) => n.startsWith('code «2517/89756» ← «Номер договора» (contract, left')),
    ).toHaveLength(1);
  });

  it('header cells of different heights over a value wrapped in its cell', async () => {
    const html = `<table><tr>${cell('th', 'Договор на оказание<br>услуг связи №', 'bottom')}${cell(
      'th',
      'Номер<br>лицевого<br>счёта<br>абонента',
      'bottom',
    )}${cell('th', 'Дата<br>подключения', 'bottom')}</tr><tr>${cell('td', 'RT-2019/004512', 'top')}${cell(
      'td',
      '51-3307-<br>4419-2086',
      'top',
    )}${cell('td', '15.03.2025', 'top')}</tr></table>`;
    const found = await read(html, 'headers.html');
    expect(found.accounts).toEqual(['51330744192086']);
    expect(found.contracts).toEqual(['RT-2019/004512']);
  });
});
