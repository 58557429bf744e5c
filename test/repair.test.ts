import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type RepairFamily, repairText } from '../src/extract/text/repair.js';
import { extract, extractFile } from '../src/index.js';
import { DOCUMENTS, ROOT } from './helpers.js';

const RECEIPT = [
  'Уважаемый абонент! Ваш счёт за ноябрь сформирован.',
  'Номер лицевого счёта: 4012 3456 7890 12',
  'Договор № RT-2024/123456 от 01.02.2024, «Ростелеком» — интернет и телевидение.',
  'Итого к оплате 650,00 руб. Оплатить до 10 декабря.',
].join('\n');

const utf8As = (text: string, table: string) => iconv.decode(Buffer.from(text, 'utf8'), table);
const swapped = (text: string, wrote: string, read: string) => iconv.decode(iconv.encode(text, wrote), read);

describe('repairText', () => {
  const damaged: Array<[RepairFamily, string]> = [
    ['utf8-as-windows-1252', utf8As(RECEIPT, 'latin1')],
    // As browsers and Windows read it: the five bytes Windows-1252 leaves undefined become C1 controls.
    ['utf8-as-windows-1252', new TextDecoder('windows-1252').decode(Buffer.from(RECEIPT, 'utf8'))],
    ['utf8-as-windows-1251', utf8As(RECEIPT, 'windows-1251')],
    ['utf8-as-koi8-r', utf8As(RECEIPT, 'koi8-r')],
    ['windows-1251-as-koi8-r', swapped(RECEIPT, 'windows-1251', 'koi8-r')],
    ['koi8-r-as-windows-1251', swapped(RECEIPT.replace(/[№«»—]/g, '-'), 'koi8-r', 'windows-1251')],
  ];
  it.each(damaged)('repairs %s', (family, text) => {
    const r = repairText(text);
    expect(r.repairs.map((x) => x.family)).toEqual([family]);
    expect(r.text.replace(/[№«»—]/g, '-')).toBe(RECEIPT.replace(/[№«»—]/g, '-'));
  });

  it('repairs Windows-1252 mojibake whose undefined bytes a strict decoder lost to «�», guessing the letter', () => {
    const r = repairText(utf8As(RECEIPT, 'windows-1252'));
    expect(r.repairs.map((x) => x.family)).toEqual(['utf8-as-windows-1252']);
    expect(r.text).toContain('Номер лицевого счёта: 4012 3456 7890 12');
  });

  it('repairs text damaged twice (UTF-8 read as Latin-1, twice)', () => {
    expect(repairText(utf8As(utf8As(RECEIPT, 'latin1'), 'latin1')).text).toBe(RECEIPT);
  });

  it('repairs only the damaged lines of a text that is partly right', () => {
    const text = `Пересылаю квитанцию.\n${utf8As('Лицевой счёт: 4012 3456 7890 12', 'windows-1251')}`;
    expect(repairText(text).text).toBe('Пересылаю квитанцию.\nЛицевой счёт: 4012 3456 7890 12');
  });

  it('reads no-break spaces between digit groups that the wrong table made letters', () => {
    for (const sep of ['\u045A', '\u0161', '\u2550', '\u00C2\u00A0', '\u0431\u2550', '\uFFFD']) {
      const r = repairText(`Akun pribadi pelanggan: 4012${sep}3456${sep}7890${sep}12`);
      expect(r.text, JSON.stringify(sep)).toBe('Akun pribadi pelanggan: 4012\u00A03456\u00A07890\u00A012');
      // «Â », «б═» are UTF-8's no-break space read as Latin-1, KOI8-R: those families repair them.
      expect(r.repairs[0]!.family).toBe(
        sep === '\u00C2\u00A0'
          ? 'utf8-as-windows-1252'
          : sep === '\u0431\u2550'
            ? 'utf8-as-koi8-r'
            : 'nbsp-between-digits',
      );
    }
  });

  it('reads «?» where a conversion lost «№», but not a question', () => {
    expect(repairText('Л/с ?: 4012 3456 7890 12').text).toBe('Л/с №: 4012 3456 7890 12');
    expect(repairText('Договор ? RT-2024/1').text).toBe('Договор № RT-2024/1');
    expect(repairText('Лицевой счет?4012 3456 7890 12').text).toBe('Лицевой счет№4012 3456 7890 12');
    const question = 'Какой у вас лицевой счёт? 4012 3456 7890 12 — этот?';
    expect(repairText(question)).toEqual({ text: question, repairs: [] });
  });

  it('never touches correct text', () => {
    const texts = [
      RECEIPT,
      RECEIPT.toUpperCase(),
      RECEIPT.toLowerCase(),
      'Рёв мотора. ВСЁ ОПЛАЧЕНО. Пёс. ДОГОВОР№ 123. Потреблено 120 кВт·ч, 220В 50Гц.',
      'ПЕРІОД: ВІДПОВІДЬ НА ЗАПИТ. Особовий рахунок 4012 3456 7890 12, їжак, ґанок, єнот.',
      'Señor Ñandú pagó 650,00 € — Ðorðe, façade, naïve café.',
      'Box drawing ─│┌┐ and п┌ я│ in a table: ╔══╗',
      'Лицевой счёт № 4012\u00A03456\u00A07890\u00A012 ₽',
      ...Object.values(
        JSON.parse(
          readFileSync(join(ROOT, 'node_modules/typescript/lib/ru/diagnosticMessages.generated.json'), 'utf8'),
        ) as Record<string, string>,
      ).slice(0, 400),
    ];
    for (const text of texts) expect(repairText(text), text).toEqual({ text, repairs: [] });
  });
});

describe('TEXT_REPAIRED in results', () => {
  it('says what was repaired and where, and the account is found', async () => {
    const r = await extract(Buffer.from(utf8As(RECEIPT, 'windows-1251'), 'utf8'), { filename: 'note.txt' });
    expect(r.accounts.map((a) => a.number)).toEqual(['40123456789012']);
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['RT-2024/123456']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'TEXT_REPAIRED' });
    expect(r.warnings[0]!.message).toContain('note.txt: text:');
    expect(r.warnings[0]!.message).toContain('utf8-as-windows-1251');
    expect(r.warnings[0]!.message).not.toContain('4012');
  });

  it('is never given for clean text', async () => {
    const r = await extract(Buffer.from(RECEIPT, 'utf8'));
    expect(r.warnings).toEqual([]);
  });
});

describe('the bundled fixtures', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) =>
      statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
    );
  const clean = walk(DOCUMENTS).filter((path) => !relative(DOCUMENTS, path).startsWith('email/damaged/'));

  // With the default flags, as users read them: scans are read by OCR too (its text is never repaired,
  // but the rest of such a document is).
  it('no clean fixture gets TEXT_REPAIRED', async () => {
    const repaired: string[] = [];
    for (const path of clean) {
      const r = await extractFile(path);
      if (r.warnings.some((w) => w.code === 'TEXT_REPAIRED')) repaired.push(relative(DOCUMENTS, path));
    }
    expect(repaired).toEqual([]);
  }, 240_000);
});
