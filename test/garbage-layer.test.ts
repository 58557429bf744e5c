// Scans under a text layer that is not language (issue 26): a poor OCR's invisible words make the page
// "have text", so OCR in `auto` used to leave it and the account on it was lost. Fixtures from
// fixtures/make/garbage/ (tesseract run in the wrong language; the published contract's kind of misreading;
// tesseract's good rus+eng layer, which must be left alone), and every text PDF of real producers here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGarbageTextLayer, isMismappedText, looksMisread } from '../src/extract/pdf/garbage.js';
import { extract } from '../src/index.js';
import { closeOcr } from '../src/ocr/index.js';
import { DOCUMENTS, ROOT } from './helpers.js';
import { requires } from './requires.js';

afterAll(() => closeOcr());
const OCR = join(DOCUMENTS, 'ocr');
const GARBAGE = ['scan-garbage-layer-tesseract-eng.pdf', 'scan-garbage-layer-mangled.pdf'];

/** The text layer of each page of a PDF, as the reader lays it out (OCR off, so nothing else is added). */
async function pageTexts(path: string): Promise<string[]> {
  const r = await extract(readFileSync(path), { explain: true, ocr: 'off' });
  return (r.blocks ?? []).map((b) => b.text);
}

describe('a text layer that is not language', () => {
  it('tells misread words from words with odd shapes that real text has', () => {
    for (const word of ['PocTeneKOM', 'CTeTep6ypr', '4O18', '2B7T', 'cчёT', 'nицeвoй', 'HOMepoM', 'o6ecnetieHl1l'])
      expect(looksMisread(word), word).toBe(true);
    for (const word of ['iPhone', 'JavaScript', 'МегаФон', 'ВКонтакте', 'A4', 'mp3', 'IPv6', 'Ростелеком', 'PDFs'])
      expect(looksMisread(word), word).toBe(false);
  });

  it('flags the garbage layers of the fixtures, not the good one over the same scan', async () => {
    for (const file of GARBAGE)
      expect((await pageTexts(join(OCR, file))).map(isGarbageTextLayer), file).toEqual([true]);
    expect((await pageTexts(join(OCR, 'scan-good-layer-tesseract.pdf'))).map(isGarbageTextLayer)).toEqual([false]);
  });

  it('never flags a page of the text PDFs real producers made here (LibreOffice, Chromium, pdfkit, wkhtmltopdf…)', async () => {
    const dirs = [join(DOCUMENTS, 'pdf'), join(ROOT, 'fixtures', 'real')];
    let pages = 0;
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.pdf'))) {
        let texts: string[];
        try {
          texts = await pageTexts(join(dir, file));
        } catch {
          continue; // the encrypted and truncated fixtures
        }
        for (const text of texts) expect(isGarbageTextLayer(text), `${file}: ${text.slice(0, 80)}`).toBe(false);
        pages += texts.length;
      }
    }
    expect(pages).toBeGreaterThan(20);
  });

  it('tells a layer whose characters are mapped wrong (Ghostscript re-embedding a subset font) from text', () => {
    // pdftotext of a Chromium page after `gs -sDEVICE=pdfwrite`: «Сведения об абоненте», «Наименование»…
    const mismapped = [
      '!6989=8я >5 45>=9=F9',
      '48<9=>64=89                      « >EF9;9:><»',
      '88=ы9 ;8F96>9 EGёF              2263 8315 6528 39',
      '>7>6>D =4 >:474=89 GE;G7 E6я78 № RT-2023/603737',
      '"9;9H>=                          +7 (495) 213-41-12',
      '4=:                              !59D54=:, 7. >E:64',
    ].join('\n');
    expect(isMismappedText(mismapped)).toBe(true);
    expect(isGarbageTextLayer(mismapped)).toBe(true);
    // The same page from another subset font: Windows-1252 punctuation for Cyrillic letters.
    const cp1252 = [
      '€•‚ƒ„…„†‡ ˆ‰Š‰ƒ‰‹Œ',
      '•ˆ‹ŒƒŽ†ƒ••†•! ‘’’ ‰“•‹Œ†‰‹Œ 4482885873.',
      '”Œ• –‰—•‹ ˜„™•ƒ‰Š‰ Žš›†Œ ƒ‰† †Œ‚‰•: 6063 168 815 4185, ˆ‰Š‰ƒ‰‹ œ',
      '31-2024/9868 ‰Ž†Œ›†Ž• “‹•ž–„—.',
    ].join('\n');
    expect(isMismappedText(cp1252)).toBe(true);
    // pdf.js's reading of a ReportLab page after Ghostscript: Cyrillic as the accented letters of Latin-1.
    const accented = [
      'ûèäîáçãäëíä êùáëäëâü',
      'Ñöäõêâáõ: ÇÉÑ ÖÜáàâäãäåáçé',
      'ÄÅÅ 5405464932 ôÇÇ 437779520 ÑúÜÅ 6162215600103',
      'õ/à 40702810207125266395 å/à 30101810109140092887',
      'Äèêëáè Äèêë Äèêëáèíì Çêàöáõâ 34 61 660793',
    ].join('\n');
    expect(isMismappedText(accented)).toBe(true);
    const french = 'Le numéro de compte personnel figure sur la facture envoyée chaque mois à l’abonné, avec le détail';
    expect(isMismappedText(`${french} ${french}`)).toBe(false);
    const requisites = [
      'Сведения об абоненте',
      'Наименование                     ПАО «Ростелеком»',
      'Единый лицевой счёт              2263 8315 6528 39',
      'Договор на оказание услуг связи № RT-2023/603737 от 01.02.2024',
      'Телефон +7 (495) 213-41-12, e-mail: info@rt.example, https://rt.example/pay?id=7',
      'ИНН 9539692593 КПП 453975661 р/с 40702810892518776266 — 1 250,00 ₽ (НДС 20 %)',
      'ST00012|Name=ПАО Ростелеком|PersonalAcc=40702810892518776266|PersAcc=22638315652839',
    ].join('\n');
    expect(isMismappedText(requisites)).toBe(false);
    const arabic = '\u202bانواع الخطوط العربية\u202c '.repeat(6);
    const chinese = '中国电信 账户 号码 用户 合同 ';
    expect(isMismappedText(arabic + chinese.repeat(3))).toBe(false);
  });

  it('does not take a short page or a page of other languages for garbage', () => {
    expect(isGarbageTextLayer('PocTeneKOM 4O18 2B7T')).toBe(false); // too few words to judge
    const german = 'Die Rechnung für den Monat November enthält alle Leistungen des Anbieters und die Gebühren';
    const indonesian =
      'Akun pribadi pelanggan tercantum pada tagihan bulanan yang dikirim kepada pelanggan setiap bulan';
    expect(isGarbageTextLayer(`${german} ${german}`)).toBe(false);
    expect(isGarbageTextLayer(`${indonesian} ${indonesian}`)).toBe(false);
  });

  it('reads such a page with OCR in auto, and says so', async (ctx) => {
    requires.ocr.check(ctx);
    for (const file of GARBAGE) {
      const r = await extract(readFileSync(join(OCR, file)), { filename: file, explain: true });
      expect(
        r.accounts.map((a) => [a.number, a.origin]),
        file,
      ).toEqual([['51002233445566', 'page 1 (OCR)']]);
      // The misread layer is not read beside OCR's reading: its «numbers» would be OCR's errors.
      expect(r.blocks!.map((b) => b.origin)).toEqual(['page 1 (OCR)']);
      expect(r.warnings.map((w) => w.code)).toEqual(['OCR_TEXT_LAYER_REPLACED']);
      expect(r.warnings[0]!.message).toBe(
        `${file}: page 1: the text layer is not language (a poor OCR's, or a font whose characters are mapped wrong); read with OCR instead`,
      );
    }
  });

  it('leaves a good OCR layer to be read as text, without OCR', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extract(readFileSync(join(OCR, 'scan-good-layer-tesseract.pdf')), { explain: true });
    expect(r.blocks!.map((b) => b.origin)).toEqual(['page 1']);
    expect(r.blocks![0]!.text).toContain('Лицевой счёт абонента');
    expect(r.warnings).toEqual([]);
  });

  it('reads the layer as it is when OCR is off (no OCR, no warning about it)', async () => {
    const r = await extract(readFileSync(join(OCR, GARBAGE[1]!)), { explain: true, ocr: 'off' });
    expect(r.blocks!.map((b) => b.origin)).toEqual(['page 1']);
    expect(r.warnings).toEqual([]);
  });
});
