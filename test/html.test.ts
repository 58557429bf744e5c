import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extract, htmlToText, locate } from '../src/index.js';

describe('htmlToText', () => {
  it('drops scripts and styles and decodes entities', () => {
    const text = htmlToText(
      '<style>p{}</style><script>var ls="36000111222333"</script><p>Л/С&nbsp;&#8470;&nbsp;3600&#160;0111 2223 33 &amp; всё</p>',
    );
    expect(text).toBe('Л/С\u00A0№\u00A03600\u00A00111 2223 33 & всё');
  });

  it('keeps block structure as lines', () => {
    expect(htmlToText('<div>Лицевой счёт<br>36000111222333</div><p>Итого</p>')).toBe(
      'Лицевой счёт\n36000111222333\nИтого',
    );
  });

  it('labels every cell below a header row with its header', () => {
    const text = htmlToText(`<table><tr><th>Услуга</th><th>Лицевой счёт</th></tr>
      <tr><td>Интернет</td><td>36000111222333</td></tr><tr><td>ТВ</td><td>36000111222344</td></tr></table>`);
    expect(text.split('\n')).toEqual([
      'Услуга\tЛицевой счёт',
      'Услуга: Интернет\tЛицевой счёт: 36000111222333',
      'Услуга: ТВ\tЛицевой счёт: 36000111222344',
    ]);
  });

  it('honours colspan when pairing headers with cells', () => {
    const text = htmlToText(`<table><thead><tr><th colspan="2">Услуга</th><th>Лицевой счёт</th></tr></thead>
      <tr><td>1</td><td>Интернет</td><td>36000111222333</td></tr></table>`);
    expect(text).toContain('Лицевой счёт: 36000111222333');
  });

  it('pairs header rows in <thead> under a group row, and cells spanning rows and columns', () => {
    const text = htmlToText(`<table><thead><tr><th colspan="3">Реквизиты</th></tr>
      <tr><th>Договор №</th><th>Л/с №</th><th>Сумма</th></tr></thead>
      <tbody><tr><td rowspan="2">RT-2026/1</td><td>4012 3456 7890 12</td><td>231,00</td></tr>
      <tr><td>4012 3456 7890 23</td><td>12,00</td></tr>
      <tr><td colspan="2">Итого</td><td>243,00</td></tr></tbody></table>`);
    const found = locate(text);
    expect(found.accounts.map((a) => a.number)).toEqual(['40123456789012', '40123456789023']);
    expect(found.contractNumbers.map((c) => c.number)).toEqual(['RT-2026/1']);
  });

  it('lets a row header spanning two rows head both', () => {
    const text = htmlToText(`<table><tr><th rowspan="2">Лицевой счёт</th><td>4012 3456 7890 12</td></tr>
      <tr><td>4012 3456 7890 23</td></tr></table>`);
    expect(locate(text).accounts.map((a) => a.number)).toEqual(['40123456789012', '40123456789023']);
  });

  it("reads a form's digits one per box as one number, empty boxes parting its groups", () => {
    const boxes = (digits: string) =>
      [...digits].map((d) => `<td style="border:1px solid">${d === ' ' ? '' : d}</td>`).join('');
    const text = htmlToText(`<table><tr><td>Лицевой счёт</td>${boxes('3600 0111 2223 33')}</tr></table>`);
    expect(text).toBe('Лицевой счёт\t3600 0111 2223 33');
    expect(locate(text).accounts.map((a) => a.number)).toEqual(['36000111222333']);
    // Under six digits the cells stay cells (a date's day and month, a short code).
    expect(htmlToText(`<table><tr><td>Дата</td>${boxes('0112')}</tr></table>`)).toBe('Дата\t0\t1\t1\t2');
  });

  it('keeps a label cell beside its value cell', () => {
    expect(htmlToText('<table><tr><td>Лицевой счёт</td><td>3600 0111 2223 33</td></tr></table>')).toBe(
      'Лицевой счёт\t3600 0111 2223 33',
    );
  });
});

describe('HTML documents', () => {
  it('finds every account of a cabinet table with <td> headers', async () => {
    const html = `<table><tr><td>Услуга</td><td>Лицевой счёт</td><td>Статус</td></tr>
      <tr><td>Интернет</td><td>3600 0111 2223 33</td><td>Активна</td></tr>
      <tr><td>ТВ</td><td>3600 0111 2223 44</td><td>Активна</td></tr></table>`;
    const r = await extract(Buffer.from(html));
    expect(r.kind).toBe('html');
    expect(r.accounts.map((a) => a.number)).toEqual(['36000111222333', '36000111222344']);
  });

  it('decodes a page by its meta charset', async () => {
    const html = '<html><head><meta charset="koi8-r"></head><body><p>Л/С 36000111222333</p></body></html>';
    const r = await extract(iconv.encode(html, 'koi8-r'));
    expect(r.accounts.map((a) => [a.number, a.label])).toEqual([['36000111222333', 'Л/С']]);
  });
});
