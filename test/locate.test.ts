import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidAccount, locate } from '../src/index.js';
import { findLabels } from '../src/locate/labels.js';

const numbers = (text: string, options = {}) => locate(text, options).accounts.map((a) => a.number);
const contracts = (text: string) => locate(text).contractNumbers.map((c) => c.number);
const reasons = (text: string) => locate(text).rejected.map((r) => r.code);

describe('labels', () => {
  const cases: Array<[string, string]> = [
    ['Лицевой счёт 3600 0111 2223 33', 'Лицевой счёт'],
    ['Лицевой счет абонента: 36000111222333', 'Лицевой счет абонента'],
    ['Номер лицевого счёта 36000111222333', 'Номер лицевого счёта'],
    ['Лиц. счёт 36000111222333', 'Лиц. счёт'],
    ['Лицевой сч. 36000111222333', 'Лицевой сч.'],
    ['Л/С 36000111222333', 'Л/С'],
    ['Л/с № 36000111222333', 'Л/с'],
    ['оплата по л/с 36000111222333', 'л/с'],
    ['ЛС 36000111222333', 'ЛС'],
    ['ЕЛС: 36000111222333', 'ЕЛС'],
    ['Единый лицевой счёт 36000111222333', 'Единый лицевой счёт'],
    ['Akun pribadi pelanggan 36000111222333', 'Akun pribadi pelanggan'],
    ['Nomor akun pribadi: 36000111222333', 'Nomor akun pribadi'],
    ['L/S 36000111222333', 'L/S'],
    ['Personal account: 36000111222333', 'Personal account'],
    ['PersAcc=36000111222333', 'PersAcc='],
    ['ЛИЦЕВОЙ СЧЁТ 36000111222333', 'ЛИЦЕВОЙ СЧЁТ'],
    ['лицевой сЧет 36000111222333', 'лицевой сЧет'],
  ];
  it.each(cases)('finds the account after %j', (text, label) => {
    const [match] = locate(text).accounts;
    expect(match?.number).toBe('36000111222333');
    expect(match?.label).toBe(label);
  });

  it('folds Latin look-alike letters: «Л/C» with a Latin C, «СЧEТ» with a Latin E', () => {
    expect(numbers('Л/C 36000111222333')).toEqual(['36000111222333']);
    expect(numbers('ЛИЦEВОЙ CЧEТ 36000111222333')).toEqual(['36000111222333']);
  });

  it('does not take a label from inside a word', () => {
    expect(numbers('ВЛС 36000111222333')).toEqual([]);
    expect(numbers('ЛСД 36000111222333')).toEqual([]);
  });

  it('finds the same labels when searches of two texts interleave (the locator searches a value inside a search)', () => {
    const a = 'Лицевой счёт 36000111222333, договор № 12/3, Л/С 36000111222334';
    const b = 'ЛС 36000111222335 и PersAcc=36000111222336; лицевой счет абонента';
    const alone = (text: string) => [...findLabels(text)].map((m) => [m.text, m.start]);
    const one = findLabels(a);
    const two = findLabels(b);
    const got: Record<string, unknown[]> = { a: [], b: [] };
    for (let done = 0; done < 2; ) {
      done = 0;
      for (const [key, search] of [['a', one] as const, ['b', two] as const]) {
        const next = search.next();
        if (next.done) done++;
        else got[key]!.push([next.value.text, next.value.start]);
      }
    }
    expect(alone(a).length).toBe(3);
    expect(alone(b).length).toBe(3);
    expect(got).toEqual({ a: alone(a), b: alone(b) });
  });
});

describe('the value of a label', () => {
  it('reads it after №, colon, dash and a parenthesised abbreviation', () => {
    expect(numbers('Номер лицевого счёта (Л/С): 3600 0111 2223 33')).toEqual(['36000111222333']);
    expect(numbers('Лицевой счёт № 36000111222333')).toEqual(['36000111222333']);
    expect(numbers('Лицевой счёт - 36000111222333')).toEqual(['36000111222333']);
    expect(numbers('Лицевой счёт ........ 36000111222333')).toEqual(['36000111222333']);
  });

  it('reads it from the next non-empty line (a cell below the label)', () => {
    expect(numbers('Лицевой счёт\n\n  3600 0111 2223 33\n')).toEqual(['36000111222333']);
    const [m] = locate('Абонент\nЛицевой счёт\n36000111222333').accounts;
    expect(m?.line).toBe(3);
  });

  it('does not read the next line when it starts with something else', () => {
    expect(numbers('Лицевой счёт\nсм. договор 36000111222333')).toEqual([]);
  });

  it('accepts every grouping by spaces, no-break spaces, thin spaces and dashes', () => {
    for (const raw of [
      '1234 5678 9012 34',
      '123 456 789 012 34',
      '12-3456-7890-1234',
      '1234\u00A05678\u00A09012\u00A034',
      '1234\u20095678\u20099012\u200934',
      '12 3456 7890 1234',
    ]) {
      expect(numbers(`Л/С ${raw}`), raw).toEqual(['12345678901234']);
    }
  });

  it('reports raw as printed, and index/line pointing at it', () => {
    const text = 'Квитанция\nЛ/С: 1234 5678 9012 34';
    const [m] = locate(text).accounts;
    expect(m).toMatchObject({ raw: '1234 5678 9012 34', line: 2 });
    expect(text.slice(m!.index, m!.index + m!.raw.length)).toBe('1234 5678 9012 34');
  });

  it('joins a number wrapped over two lines of a narrow cell', () => {
    expect(numbers('Лицевой счёт\n1234567\n8901234')).toEqual(['12345678901234']);
    expect(numbers('Лицевой счёт: 1234 5678\n9012 34')).toEqual(['12345678901234']);
    expect(locate('Лицевой счёт: 1234 5678\n9012 34').accounts[0]!.confidence).toBeLessThan(0.95);
  });

  it('stops at the 14th digit when an amount or a date follows', () => {
    expect(numbers('л/с 1234 5678 9012 34   650,00')).toEqual(['12345678901234']);
    expect(numbers('л/с 1234 5678 9012 34 650,00')).toEqual(['12345678901234']);
    expect(numbers('л/с 12345678901234 01.11.2026')).toEqual(['12345678901234']);
    expect(numbers('Л/С\t12345678901234\t650.00')).toEqual(['12345678901234']);
  });

  it('rejects a run that is really longer, such as a 20-digit bank account', () => {
    expect(numbers('л/с 4081 7810 0999 1000 4312')).toEqual([]);
    expect(numbers('л/с 40817810099910004312')).toEqual([]);
    expect(locate('л/с 4081 7810 0999 1000 4312').rejected[0]).toMatchObject({ code: 'TOO_MANY_DIGITS', label: 'л/с' });
  });

  it('rejects a run that is shorter, unless lengths allows it', () => {
    expect(numbers('Лицевой счёт 1100 2200 3300')).toEqual([]);
    expect(reasons('Лицевой счёт 1100 2200 3300')).toEqual(['TOO_FEW_DIGITS']);
    expect(numbers('Лицевой счёт 1100 2200 3300', { lengths: [12, 14] })).toEqual(['110022003300']);
    expect(numbers('Лицевой счёт 3600 0111 2223 33', { lengths: [12] })).toEqual([]);
  });

  it('reads a value after a few words and a colon on the label line', () => {
    expect(numbers('Лицевой счёт абонента в ПАО «Ростелеком»: 3600 0111 2223 33')).toEqual(['36000111222333']);
  });

  it("reads a payment form's account: «Л/С плательщика», «(код) плательщика», and a label after its value", () => {
    expect(numbers('Л/С плательщика: 3600 0111 2223 33')).toEqual(['36000111222333']);
    expect(numbers('номер лицевого счёта (код) плательщика\t36000111222333')).toEqual(['36000111222333']);
    expect(numbers('3600 0111 2223 33 — лицевой счёт')).toEqual(['36000111222333']);
    expect(numbers('Плательщик\t3600-0111-2223-33 (№ л/сч.)')).toEqual(['36000111222333']);
    expect(numbers('36000111222333\t(ЛС)')).toEqual(['36000111222333']);
    expect(numbers('3 6 0 0 0 1 1 1 2 2 2 3 3 3\n— Л/С плательщика')).toEqual(['36000111222333']);
    // A label after its value names only a number that opens its cell: words between are another field.
    expect(numbers('ИНН 360001112223 — лицевой счёт', { lengths: [12, 14] })).toEqual([]);
    // Another kind under its own caption stays unlabelled; «Л/С» ending a line does not take «Плательщика» below.
    expect(numbers('40702810900000012345 (р/с плательщика)')).toEqual([]);
    expect(locate('Л/С\nПлательщика Иванов').rejected).toEqual([]);
  });

  it('rejects digits glued to letters', () => {
    expect(numbers('Л/С 36000111222333ABC')).toEqual([]);
    expect(reasons('Л/С 36000111222333ABC')).toEqual(['GLUED_TO_TEXT']);
  });
});

describe('payment QR payloads', () => {
  const qr =
    'ST00012|Name=ПАО Ростелеком|PersonalAcc=40702810800000001234|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=36000111222333|Contract=RT-2025/1|Sum=65000';

  it('reads PersAcc as the account and Contract as the contract', () => {
    const r = locate(qr);
    expect(r.accounts.map((a) => [a.number, a.label])).toEqual([['36000111222333', 'PersAcc']]);
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['RT-2025/1']);
  });

  it('never takes PersonalAcc or PersonalAccount, and says why', () => {
    const r = locate('ST00012|Name=X|PersonalAcc=40702810800000001234|PersonalAccount=03100643000000017300');
    expect(r.accounts).toEqual([]);
    expect(r.rejected.map((x) => x.code)).toEqual(['BANK_ACCOUNT', 'BANK_ACCOUNT']);
    expect(numbers('PersonalAcc=40702810800000001234')).toEqual([]);
  });

  it('reads keys case-insensitively', () => {
    expect(numbers('ST00012|Name=X|persacc=36000111222333|Sum=1')).toEqual(['36000111222333']);
  });

  it('lists no other number of the payload as a candidate', () => {
    expect(locate(qr).rejected.map((x) => x.number)).toEqual(['40702810800000001234', '30101810400000000225']);
  });
});

describe('contract numbers', () => {
  it.each([
    ['Договор № RT-2021/196597', 'RT-2021/196597'],
    ['Номер договора: 6002/26667', '6002/26667'],
    ['№ договора 6002/26667', '6002/26667'],
    ['Договор об оказании услуг связи № 123/45-А от 01.02.2020', '123/45-А'],
    ['Nomor kontrak: ID-2026/7781', 'ID-2026/7781'],
    ['Contract No. EN-2026/0099', 'EN-2026/0099'],
    ['Номер договора\nRT-2021/196597', 'RT-2021/196597'],
  ])('finds the contract in %j', (text, number) => {
    expect(contracts(text)).toEqual([number]);
    expect(numbers(text)).toEqual([]);
  });

  it('never reports a number found only under a contract label as an account', () => {
    const text = 'Договор № 36000111222333 от 01.02.2020\nОплата по договору. Номер для справок 36000111222333';
    expect(numbers(text)).toEqual([]);
    expect(contracts(text)).toEqual(['36000111222333']);
    expect(reasons(text)).toEqual(['CONTRACT_NUMBER']);
  });

  it('reports a number under both labels in both lists', () => {
    const text = 'Договор № 3600 0111 2223 33\nЛицевой счёт: 36000111222333';
    expect(numbers(text)).toEqual(['36000111222333']);
    expect(contracts(text)).toEqual(['36000111222333']);
  });

  it('keeps a differing 14-digit contract number apart', () => {
    const text = 'Договор № 52009876543210\nЛ/С 5200 1111 2222 33';
    expect(numbers(text)).toEqual(['52001111222233']);
    expect(contracts(text)).toEqual(['52009876543210']);
  });
});

describe('numbers that are not accounts', () => {
  it('never reports an unlabelled 14-digit number, and says why', () => {
    const text = 'Заказ 12345678901234, трек https://example.com/t/12345678901235, обращение 12345678901236';
    expect(numbers(text)).toEqual([]);
    expect(reasons(text)).toEqual(['NO_LABEL', 'NO_LABEL', 'NO_LABEL']);
  });

  it('never reports the bill’s own number', () => {
    expect(numbers('Счёт № 20261100012345 от 01.11.2026')).toEqual([]);
    expect(reasons('Счёт № 20261100012345 от 01.11.2026')).toEqual(['BILL_NUMBER']);
    expect(reasons('Счет на оплату № 20261100012345')).toEqual(['BILL_NUMBER']);
  });

  it('never reports a phone number', () => {
    expect(numbers('Л/С 8 800 100 0 800')).toEqual([]);
    expect(reasons('Звоните 8 800 100 0 800')).toEqual(['PHONE_NUMBER']);
  });

  it('never reports a masked account', () => {
    expect(numbers('Ваш л/с 6124******5366')).toEqual([]);
    expect(locate('Ваш л/с 6124******5366').rejected[0]).toMatchObject({ code: 'MASKED', raw: '6124******5366' });
  });

  it('ignores ИНН, ОГРН and КПП', () => {
    expect(numbers('ИНН 7707049388 ОГРН 1027700198767 КПП 784001001')).toEqual([]);
  });
});

describe('reporting', () => {
  it('reports each distinct number once, at its first place, with the best confidence', () => {
    const r = locate('ЛС 36000111222333\nЛицевой счёт: 3600 0111 2223 33\nЛ/С 36000111222344');
    expect(r.accounts.map((a) => a.number)).toEqual(['36000111222333', '36000111222344']);
    expect(r.accounts[0]).toMatchObject({ label: 'ЛС', line: 1, confidence: 0.98 });
  });

  it('keeps confidence in 0..1', () => {
    const { accounts } = locate('ЛС 36000111222333 650,00\nPersAcc=36000111222344');
    // Both are found, so the loop below cannot pass on an empty list.
    expect(accounts.map((a) => a.number)).toEqual(['36000111222333', '36000111222344']);
    for (const a of accounts) {
      expect(a.confidence).toBeGreaterThan(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('bounds the rejected list', () => {
    const text = Array.from({ length: 500 }, (_, i) => `заказ ${String(10_000_000_000_000 + i)}`).join('\n');
    expect(locate(text, { maxRejected: 50 }).rejected).toHaveLength(50);
  });
});

describe('properties', () => {
  const digit = fc.constantFrom(...'0123456789');
  const account = fc.array(digit, { minLength: 14, maxLength: 14 }).map((d) => d.join(''));
  const label = fc.constantFrom(
    'Лицевой счёт',
    'Лицевой счёт абонента',
    'Номер лицевого счёта',
    'Лиц. счёт',
    'Лицевой сч.',
    'Л/С',
    'Л/C',
    'л/с',
    'ЛС',
    'ЕЛС',
    'Единый лицевой счёт',
    'Akun pribadi pelanggan',
    'Nomor akun pribadi',
    'L/S',
    'Personal account',
    'PersAcc=',
  );
  const gap = fc.constantFrom(' ', ': ', ' № ', ' - ', '\n', ':\n\n');
  const separator = fc.constantFrom(' ', '\u00A0', '\u2009', '\u202F', '-');
  /** Splits 14 digits into groups of 1..6 joined by one separator. */
  const grouped = fc
    .tuple(account, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 14 }), separator)
    .map(([digits, sizes, sep]) => {
      const groups: string[] = [];
      let i = 0;
      for (const size of sizes) {
        if (i >= digits.length) break;
        groups.push(digits.slice(i, i + size));
        i += size;
      }
      if (i < digits.length) groups.push(digits.slice(i));
      return { digits, raw: groups.join(sep) };
    });
  // Prose without digits, labels or look-alikes that would form a label.
  const words = fc
    .array(
      fc.constantFrom(
        'Оплата',
        'услуг',
        'связи',
        'за',
        'ноябрь',
        'адрес',
        'улица',
        'Москва',
        'tagihan',
        'bulan',
        'the',
        'bill',
        '—',
        ',',
        '.',
      ),
      { maxLength: 12 },
    )
    .map((w) => w.join(' '));

  it('finds any valid account, in any grouping, after any label, inside random text', () => {
    fc.assert(
      fc.property(words, label, gap, grouped, words, (before, lbl, g, { digits, raw }, after) => {
        const text = `${before}\n${lbl}${g}${raw}\n${after}`;
        expect(numbers(text)).toContain(digits);
      }),
      { numRuns: 400 },
    );
  });

  it('never reports an account that fails isValidAccount', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), label, fc.string({ maxLength: 40 }), (noise, lbl, tail) => {
        for (const a of locate(`${noise}${lbl} ${tail}${noise}`).accounts) expect(isValidAccount(a.number)).toBe(true);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'0123456789 -\n/:ЛСлсPersAcc=№'), { maxLength: 80 }), (chars) => {
        for (const a of locate(chars.join('')).accounts) expect(isValidAccount(a.number)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never yields an account from a digit run of 15 or more digits', () => {
    fc.assert(
      fc.property(label, gap, fc.array(digit, { minLength: 15, maxLength: 30 }), words, (lbl, g, run, after) => {
        expect(locate(`${lbl}${g}${run.join('')} ${after}`).accounts).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never reports an unlabelled number', () => {
    fc.assert(
      fc.property(words, grouped, words, (before, { raw }, after) => {
        expect(locate(`${before} ${raw} ${after}`).accounts).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('OCR text', () => {
  const ocr = { ocrText: true };

  it('repairs digits OCR read as letters after a label, at a lower confidence', () => {
    const [plain] = locate('Лицевой счёт 3600 0111 2223 33').accounts;
    const [match] = locate('Лицевой счёт 36OO Ol1l 2223 З3', ocr).accounts;
    expect(match).toMatchObject({ number: '36000111222333', raw: '36OO Ol1l 2223 З3', label: 'Лицевой счёт' });
    expect(match!.confidence).toBeLessThan(plain!.confidence);
    // Cyrillic «о» and «З» as well as Latin «O», «l», «I».
    expect(numbers('Л/С: 36оо 0I11 2223 33', ocr)).toEqual(['36000111222333']);
  });

  it('keeps the confidence of an OCR number that needed no repair', () => {
    const [typed] = locate('Л/С 3600 0111 2223 33').accounts;
    const [read] = locate('Л/С 3600 0111 2223 33', ocr).accounts;
    expect(read!.confidence).toBe(typed!.confidence);
  });

  it('reads OCR’s misreadings of «Л/С» as the label', () => {
    // «JIC», «JlC», «ЛIС»: the slash read as a letter too (a rendered requisites table: «Pic», «JIC», «Kic»).
    for (const label of ['JI/C', 'Jl/C', 'Л|С', 'Лицевои счет', 'JIC', 'JlC', 'ЛIС']) {
      const [match] = locate(`${label} 3600 0111 2223 33`, ocr).accounts;
      expect(match, label).toMatchObject({ number: '36000111222333', label });
      expect(match!.confidence).toBeLessThan(1);
    }
  });

  it('repairs nothing in typed text', () => {
    expect(numbers('Лицевой счёт 36OO 0111 2223 33')).toEqual([]);
    expect(numbers('JI/C 3600 0111 2223 33')).toEqual([]);
    expect(numbers('JIC 3600 0111 2223 33')).toEqual([]);
  });

  it('still demands an accepted length after the repair', () => {
    expect(numbers('Л/С 36OO 0111 2223 3', ocr)).toEqual([]);
    expect(locate('Л/С 36OO 0111 2223 333', ocr).rejected[0]).toMatchObject({
      code: 'TOO_MANY_DIGITS',
      number: '360001112223333',
    });
    expect(numbers('Л/С 3600 0111 2223 33', { ...ocr, lengths: [12] })).toEqual([]);
  });

  it('leaves words alone: only tokens holding a real digit are numbers', () => {
    // «О» (a preposition), «Il» and «ЗОО» hold no digit: they stay letters, so nothing becomes 14 digits.
    expect(numbers('Л/С О 3600 0111 2223', ocr)).toEqual([]);
    expect(numbers('Л/С ЗОО 3600 0111 2223', ocr)).toEqual([]);
  });

  it('never turns an unlabelled number into an account', () => {
    const digitish = fc.constantFrom(...'0123456789OoОоlIЗз');
    const token = fc.array(digitish, { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
    const words = fc
      .array(fc.constantFrom('Оплата', 'услуг', 'за', 'ноябрь', 'Итого', 'руб', 'О', 'Il'), { maxLength: 8 })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(words, fc.array(token, { minLength: 1, maxLength: 6 }), words, (before, tokens, after) => {
        expect(locate(`${before} ${tokens.join(' ')} ${after}`, ocr).accounts).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('contract numbers in running text', () => {
  it.each([
    ['договор 123456789', '123456789', 'договор'],
    ['Оплата по договору RT-2024/123456, а лицевой счёт 4012 3456 7890 12', 'RT-2024/123456', 'договору'],
    ['по договору № 55-2024/77', '55-2024/77', 'договору №'],
    ['условия договора 123456789', '123456789', 'договора'],
    ['о договоре № 12/34', '12/34', 'договоре №'],
    ['KONTRAK LAYANAN KOMUNIKASI No. 1234/56789', '1234/56789', 'KONTRAK LAYANAN KOMUNIKASI No.'],
    ['Kontrak No. 77/8899', '77/8899', 'Kontrak No.'],
    ['Service contract number: SC-2024/555', 'SC-2024/555', 'Service contract number'],
    ['under contract RT-2024/1', 'RT-2024/1', 'contract'],
  ])('%j', (text, number, label) => {
    const r = locate(text);
    expect(r.contractNumbers.map((c) => [c.number, c.label])).toEqual([[number, label]]);
    expect(r.accounts.map((a) => a.number)).not.toContain(number.replace(/\D/g, ''));
  });

  it.each([
    ['Для оплаты укажите ЛС — 4012 3456 7890 12; номер договора: 72-\n2021/6385.', '72-2021/6385', 'номер договора'],
    ['Л/с, к которому привязаны все услуги, — 4012.345.678.9012. Договор: 56-\n2026/5512.', '56-2026/5512', 'Договор'],
    ['лицевой счёт у вас теперь 40123456789012, а договор\nпрежний: 11-2023/6222.', '11-2023/6222', 'договор'],
    ['ЛС 4012 3456 7890 12, а договор прежний: RT-2019/\n 4410.', 'RT-2019/4410', 'договор'],
  ])('reads a contract code wrapped after its dash or slash, or after its label: %j', (text, number, label) => {
    const r = locate(text);
    expect(r.contractNumbers.map((c) => [c.number, c.label])).toEqual([[number, label]]);
    expect(r.accounts.map((a) => a.number)).toEqual(['40123456789012']);
  });

  it('a header cell that is not the first of its row reads the cell of its rank below, never the first column', () => {
    const header = 'Лицевой счет №\tДата подключения\tДоговор об оказании услуг связи №';
    const r = locate(`${header}\n158.401.586.069.41\t05.07.2025\tRT-2022/352916`);
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['RT-2022/352916']);
    // «ЕЛС:» ends a row of two cells over a row of two: its value is the second.
    expect(numbers('40702810608237046435\tЕЛС:\nк/с\t61 9301 6040 0805')).toEqual(['61930160400805']);
    // A row of other length under it is not known to line up: the first column's account is no contract.
    expect(contracts('Телефон\tНомер договора\n4012 3456 7890 12\t01.02.2024\tRT-1/2')).toEqual([]);
  });

  it.each([
    ['Номер лицевого счёта теперь 635-285-658-202. Договор\n4076/31136 продолжает действовать.', '4076/31136'],
    ['Л/с у вас теперь 270 822 703 877, а договор прежний:\n6592/79050.', '6592/79050'],
  ])(
    'reads a hard-wrapped sentence: the code at the head of the next line after a bare «договор» or a colon: %j',
    (text, number) => {
      expect(locate(text, { lengths: [12, 14] }).contractNumbers.map((c) => c.number)).toEqual([number]);
    },
  );

  it('a bare «договор» alone on its line (a header cell) still reads no number from the line below', () => {
    expect(contracts('Договор\n4076/31136')).toEqual([]);
  });

  it('joins no code across a line after a dot, nor a date wrapped after its dash', () => {
    expect(contracts('номер договора: 72.\n2021 года')).toEqual([]);
    expect(contracts('а договор прежний: 12-\n05-2024')).toEqual([]);
    expect(contracts('Nomor kontrak\nNomor pesanan: 39164183348717')).toEqual([]);
    // The amount under the header's neighbour heads the line below a header cell that stands alone.
    expect(contracts('Договор на оказание услуг связи №\n1578,04\t2558/74794')).toEqual([]);
  });

  it('takes a bare «договор» only before a number-shaped value on its line', () => {
    for (const text of [
      'договор 2024 года',
      'договор 01.02.2024',
      'договор 15000 руб',
      'договор 12 месяцев',
      'договор 2024-2025',
      'contract 2024',
      'Договор\n123456789',
    ]) {
      expect(contracts(text), text).toEqual([]);
    }
  });

  it('keeps the account when an account label stands between them, and never makes the contract an account', () => {
    const r = locate('для договора 123456789 лицевой счёт 4012 3456 7890 12');
    expect(r.accounts.map((a) => a.number)).toEqual(['40123456789012']);
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['123456789']);
    expect(numbers('по договору лицевой счёт 4012 3456 7890 12')).toEqual(['40123456789012']);
    expect(numbers('договор 4012 3456 7890 12')).toEqual([]);
  });
});
