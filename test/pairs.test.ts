/**
 * The pairing stage over positioned text (src/layout/pairs.ts): each number is paired with the label a
 * reader connects it to by position, and the locator judges it. Items are placed by hand, as pdf.js or
 * OCR gives them, in the shapes issue #23 found read wrong: header cells centred at different heights,
 * blocks side by side whose lines interleave, digits drawn a glyph at a time, row headers, captions.
 */
import { describe, expect, it } from 'vitest';
import { LAYOUT_SETTINGS, type PositionedItem } from '../src/layout/index.js';
import { locate } from '../src/locate/locate.js';
import { readPage } from './read-page.js';

const item = (text: string, x: number, y: number, size = 10): PositionedItem => ({
  text,
  x,
  y,
  width: text.length * size * 0.5,
  height: size,
});

/** Glyphs drawn one at a time, `gap` apart, `groupGap` more between the groups of `s`. */
function glyphs(s: string, x: number, y: number, gap: number, groupGap: number, size = 10): PositionedItem[] {
  const out: PositionedItem[] = [];
  let cx = x;
  for (const ch of s) {
    if (ch === ' ') cx += groupGap;
    else {
      out.push({ text: ch, x: cx, y, width: size * 0.55, height: size });
      cx += size * 0.55 + gap;
    }
  }
  return out;
}

const read = readPage;

describe('pairing labels and numbers by position', () => {
  it('the settings are pinned: a change to a tolerance is made on purpose', () => {
    expect(LAYOUT_SETTINGS).toMatchObject({ cellGap: 0.9, glueGap: 0.12, baseline: 0.4, linePitch: 1.45 });
    expect(Object.isFrozen(LAYOUT_SETTINGS)).toBe(true);
  });

  it('header cells centred at different heights name the values under them, one wrapped at a hyphen', () => {
    const r = read([
      item('Договор на оказание', 50, 112),
      item('услуг связи №', 50, 124),
      item('Номер', 220, 100),
      item('лицевого', 220, 112),
      item('счёта', 220, 124),
      item('абонента', 220, 136),
      item('Дата', 350, 112),
      item('подключения', 350, 124),
      item('RT-2019/004512', 50, 160),
      item('51-3307-', 220, 154),
      item('4419-2086', 220, 166),
      item('15.03.2025', 350, 160),
    ]);
    expect(r.accounts).toEqual(['51330744192086']);
    expect(r.contracts).toEqual(['RT-2019/004512']);
    expect(r.pairs).toContain('51330744192086 ← Номер лицевого счёта абонента (above)');
  });

  it('a label over its value inside one of two blocks side by side; the requisites beside it stay theirs', () => {
    const r = read([
      item('Оператор', 50, 100),
      item('Абонент', 320, 100),
      item('ИНН 7707049388', 50, 114),
      item('Иванов Иван Иванович', 320, 117),
      item('р/с 40702810000000000001', 50, 128),
      item('Лицевой счёт:', 320, 131),
      item('к/с 30101810000000000201', 50, 142),
      item('3307 4419 2086 15', 320, 145),
      item('БИК 044525225', 50, 156),
      item('+7 (495) 123-45-67', 320, 159),
    ]);
    expect(r.accounts).toEqual(['33074419208615']);
    expect(r.pairing).toContain('number «40702810000000000001»: no label (text before it on its line: «р/с»)');
  });

  it('digits drawn a glyph at a time with wider gaps between the groups are one number', () => {
    const r = read([item('Единый лицевой счёт', 50, 100), ...glyphs('6219 0734 5581 46', 200, 100, 2.5, 12)]);
    expect(r.accounts).toEqual(['62190734558146']);
    expect(r.rejected).toEqual([]);
    expect(r.pairing[0]).toBe('number «6219 0734 5581 46» ← «Единый лицевой счёт» (account, left, score 0.98)');
  });

  it('a 20-digit bank account drawn a digit per cell is one number of 20, never an account of 14', () => {
    const r = read([
      item('Лицевой счёт', 50, 100),
      ...glyphs('4 0 7 0 2 8 1 0 9 0 0 0 0 0 0 0 0 0 0 1', 200, 100, 0, 8),
    ]);
    expect(r.accounts).toEqual([]);
    expect(r.rejected).toEqual(['TOO_MANY_DIGITS 40702810900000000001']);
  });

  it('a row header beside a value of another height, and the contract row above it', () => {
    const r = read([
      item('Договор', 50, 100),
      item('RT-2021/000777', 250, 100),
      item('Номер', 50, 120),
      item('лицевого счёта', 50, 132),
      item('6219 0734 5581 46', 250, 126),
    ]);
    expect(r.accounts).toEqual(['62190734558146']);
    expect(r.contracts).toEqual(['RT-2021/000777']);
  });

  it('a form caption in parentheses under the field names it (ПД-4), whatever stands left of it', () => {
    const r = read([
      item('Оплата услуг связи за ноябрь', 50, 100),
      item('52 7730 4418 0963', 300, 100),
      item('(наименование платежа)', 60, 108, 6),
      item('(номер лицевого счета (код) плательщика)', 280, 108, 6),
    ]);
    expect(r.accounts).toEqual(['52773044180963']);
    expect(r.pairs).toEqual(['52773044180963 ← номер лицевого счета (код) плательщика (caption)']);
  });

  it('negative twins: the place of the account held by another number under its own label', () => {
    const r = read([
      item('ИНН', 50, 100),
      item('Лицевой счёт', 220, 100),
      item('7707049388', 50, 116),
      item('+7 495 123 45 67', 220, 116),
      item('Счёт №', 50, 140),
      item('5100 2233 4455 66', 120, 140),
      item('(ИНН получателя)', 300, 148, 6),
    ]);
    expect(r.accounts).toEqual([]);
  });

  it('twelve-digit accounts under lengths [12, 14] the same way', () => {
    const r = read([item('Лицевой счёт', 50, 100), ...glyphs('4102 5566 7788', 200, 100, 2, 10)], [12, 14]);
    expect(r.accounts).toEqual(['410255667788']);
  });

  it('running text: a label, a few words and a dash, colon or none, then the number — unless another number is named', () => {
    const accounts = (t: string) => locate(t).accounts.map((a) => a.number);
    expect(accounts('… договор RT-2021/000777, а лицевой счёт у них другой — 418 206 773 905 12')).toEqual([
      '41820677390512',
    ]);
    expect(accounts('Л/с, к которому привязаны все услуги, — 60-0732-6699-6437.')).toEqual(['60073266996437']);
    expect(accounts('ЛС у вас теперь 5129 247 979 5078, а договор прежний: RT-2021/254751.')).toEqual([
      '51292479795078',
    ]);
    expect(locate('а договор прежний: RT-2021/254751.').contractNumbers.map((c) => c.number)).toEqual([
      'RT-2021/254751',
    ]);
    expect(accounts('договор RT-2018/989935 переоформлен, а Л/с у них другой\n— 1265.341.788.8662.')).toEqual([
      '12653417888662',
    ]);
    expect(accounts('а Л/с у них другой,\nИНН — 7707049388')).toEqual([]);
    expect(accounts('открыт номер лицевого счёта,\nего номер — 6738-315-539-7517.')).toEqual(['67383155397517']);
    expect(accounts('Лицевой счёт и ИНН — 7707049388')).toEqual([]);
    expect(accounts('Лицевой счёт и договор — 12345678901234')).toEqual([]);
  });
  it('a header row and a value row whose cells are runs set a little more than a word apart are read as cells', () => {
    // Runs of words (a producer draws each cell's text as one run) 0.6 of a font height apart.
    const runs = (texts: string[], y: number): PositionedItem[] => {
      let x = 50;
      return texts.map((t) => {
        const it = item(t, x, y);
        x += it.width + 6;
        return it;
      });
    };
    const r = read([
      ...runs(['Сумма к оплате, руб.', 'Единый лицевой счёт', 'Дата договора', 'Договор №'], 100),
      item('2336,39', 50, 116),
      item('2554 0207 1773 55', 150, 116),
      ...runs(['02.07.2024', '7583/92140'], 116).map((i) => ({ ...i, x: i.x + 200 })),
    ]);
    expect(r.accounts).toEqual(['25540207177355']);
    expect(r.contracts).toEqual(['7583/92140']);
    expect(r.pairs).toContain('25540207177355 ← Единый лицевой счёт (above)');
  });

  it('digit groups drawn as runs wide apart stay one number, after their label in its run too', () => {
    const r = read([item('Лицевой счёт', 50, 100), item('4012 3456', 50, 116), item('7890 12', 102, 116)]);
    expect(r.accounts).toEqual(['40123456789012']);
    // Letter-spaced: pdf.js gives «… абонента: 6 2» as one run, the rest after a group's wider gap.
    const spaced = read(
      [
        item('Договор № 29-2025/7338 от 20.03.2024', 50, 88),
        item('Лицевой счёт абонента: 6 2', 50, 100),
        item('9 1 6 4 7 7 4 0 3 4', 186, 100),
        item('Телефон: +7 (495) 358-57-78', 50, 112),
      ],
      [12],
    );
    expect(spaced.accounts).toEqual(['629164774034']);
  });

  it('a header cell wrapped deeper than its neighbour names the value under it, however the neighbour reaches over', () => {
    // «Л/с» over «№» beside «Дата» over «заключения»: the «№» joins the neighbour's second line.
    const r = read([
      item('Л/с', 163, 95, 14),
      item('Дата', 206, 95, 14),
      item('Номер', 326, 95, 14),
      item('№', 174, 114, 14),
      item('заключения', 182, 114, 14),
      item('договора', 326, 114, 14),
      item('2391 0785 6258 69', 60, 136, 14),
      item('23.06.2021', 206, 136, 14),
      item('9358/54129', 326, 136, 14),
    ]);
    expect(r.pairs).toContain('23910785625869 ← Л/с (above)');
    expect(r.accounts).toEqual(['23910785625869']);
  });
});
