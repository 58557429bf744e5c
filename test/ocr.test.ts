import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract, extractFile, locate } from '../src/index.js';
import { closeOcr, OCR_LANG_PATHS, recognize } from '../src/ocr/index.js';
import { DOCUMENTS } from './helpers.js';
import { TESSDATA as FOUND, needs, requires } from './requires.js';

// Most of these tests need tesseract.js and rus+eng language data: without them they are skipped, naming
// the install command (.ci/run installs the data, and with CI=true a missing installation fails instead).
afterAll(() => closeOcr());
const TESSDATA = FOUND ?? OCR_LANG_PATHS[0]!;

describe('OCR', () => {
  it('reads an image file with tesseract.js from local language data, tagging the origin', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.tiff'));
    expect(r.kind).toBe('image');
    expect(r.accounts).toEqual([
      expect.objectContaining({ number: '51002233445566', label: 'Лицевой счёт абонента', origin: 'image (OCR)' }),
    ]);
  });

  it('reads the scanned pages of a PDF and says there was no text layer', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.pdf'));
    expect(r.accounts.map((a) => [a.number, a.origin])).toEqual([['51002233445566', 'page 1 (OCR)']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['NO_TEXT_LAYER']);
    expect(r.warnings[0]!.message).toContain('read with OCR');
  });

  it('--explain shows the blocks and pairings the layout made of the OCR words, as for a text page', async (ctx) => {
    requires.ocr.check(ctx);
    const { explain } = await import('../src/cli/explain.js');
    for (const file of ['scan-contract.pdf', 'scan-wrapped-cell.png']) {
      let out = '';
      await explain(join(DOCUMENTS, 'ocr', file), {}, (s) => {
        out += s;
      });
      const section = out.slice(out.indexOf('(OCR) ──'));
      expect(section, out).toMatch(/^layout:$/m);
      expect(section).toMatch(/text block, 1 line, x \d+–\d+, y \d+–\d+: «Лицевой счёт( абонента)?»/);
      expect(section).toMatch(/table of \d columns, 1 row: «Лицевой счёт( абонента)?» \| «[\d ]+»/);
    }
  });

  it('never OCRs a PDF that has a text layer, unless forced', async (ctx) => {
    requires.ocr.check(ctx);
    const bytes = readFileSync(join(DOCUMENTS, 'pdf', 'label-beside-pdfkit.pdf'));
    const auto = await extract(bytes, { explain: true });
    expect(auto.blocks!.map((b) => b.origin)).toEqual(['page 1']);
    const forced = await extract(bytes, { explain: true, ocr: 'force' });
    expect(forced.blocks!.map((b) => b.origin)).toEqual(['page 1', 'page 1 (OCR)']);
    expect(forced.accounts.map((a) => a.number)).toEqual(['77001122334455']);
  });

  it('turns OCR off when asked', async () => {
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.pdf'), { ocr: 'off' });
    expect(r.accounts).toEqual([]);
    expect(r.warnings[0]!.message).toContain('without OCR');
    expect(
      (await extractFile(join(DOCUMENTS, 'ocr', 'photo-bill.jpg'), { ocr: 'off' })).warnings.map((w) => w.code),
    ).toEqual(['OCR_OFF']);
  });

  it('without language data warns OCR_UNAVAILABLE, naming what it looked for, and still gives the record', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rta-tessdata-'));
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.pdf'), { ocrLangPath: empty });
    expect(r.error).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(['OCR_UNAVAILABLE', 'NO_TEXT_LAYER']);
    expect(r.warnings[0]!.message).toContain(empty);
    expect(r.warnings[0]!.message).toContain('tesseract-ocr-rus');
  });

  it('gives a wrapped number in a narrow cell whole, never a piece of it', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-wrapped-cell.png'), { explain: true });
    expect(r.accounts.map((a) => a.number).filter((n) => n !== '63100200300411')).toEqual([]);
  });

  it('turns a sideways scan upright before reading it', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-rotated-90.pdf'));
    expect(r.accounts).toEqual([
      expect.objectContaining({ number: '51002233445566', label: 'Лицевой счёт абонента', origin: 'page 1 (OCR)' }),
    ]);
  });

  describe('orientation', () => {
    needs(requires.ocr);

    // An upside-down photo, made here from a fixture with the canvas the library itself uses.
    let upsideDown: Buffer;
    beforeAll(async () => {
      const { createCanvas, loadImage } = await import('@napi-rs/canvas');
      const picture = await loadImage(readFileSync(join(DOCUMENTS, 'ocr', 'scan-wrapped-cell.png')));
      const canvas = createCanvas(picture.width, picture.height);
      const ctx = canvas.getContext('2d');
      ctx.translate(picture.width, picture.height);
      ctx.rotate(Math.PI);
      ctx.drawImage(picture, 0, 0);
      upsideDown = await canvas.encode('png');
    });

    it('reads an upside-down page with tesseract’s orientation detection', async (ctx) => {
      requires.ocrLanguages('rus', 'eng', 'osd').check(ctx);
      expect(existsSync(join(TESSDATA, 'osd.traineddata'))).toBe(true);
      const outcome = await recognize(upsideDown, 'upside-down.png', { lengths: [14] });
      expect(outcome).toMatchObject({ rotated: 180 });
      expect(locate((outcome as { text: string }).text, { ocrText: true }).accounts.map((a) => a.number)).toEqual([
        '63100200300411',
      ]);
    });

    it('without orientation data, tries the other turns when the reading looks like noise', async () => {
      const noOsd = mkdtempSync(join(tmpdir(), 'rta-tessdata-'));
      for (const lang of ['rus', 'eng'])
        symlinkSync(join(TESSDATA, `${lang}.traineddata`), join(noOsd, `${lang}.traineddata`));
      const r = await extract(upsideDown, { ocrLangPath: noOsd, filename: 'upside-down.png' });
      expect(r.accounts.map((a) => [a.number, a.origin])).toEqual([['63100200300411', 'image (OCR)']]);
    });

    it('does not start another reading once the document’s time limit has run out', async () => {
      const r = await extract(upsideDown, { filename: 'upside-down.png', timeoutMs: 1 });
      expect(r.error).toMatchObject({ code: 'TIMEOUT' });
      expect(r.error!.message).toContain('upside-down.png');
    });

    it('leaves an upright page without a label as it is', async () => {
      const { createCanvas } = await import('@napi-rs/canvas');
      const canvas = createCanvas(1200, 400);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = 'white';
      ctx.fillRect(0, 0, 1200, 400);
      ctx.fillStyle = 'black';
      ctx.font = '48px sans-serif';
      ctx.fillText('Dear customer, thank you for paying', 40, 120);
      ctx.fillText('your bill for November on time', 40, 220);
      const outcome = await recognize(await canvas.encode('png'), 'note.png', { lengths: [14] });
      expect(outcome).toMatchObject({ rotated: 0 });
      expect((outcome as { text: string }).text).toContain('November');
    });
  });

  it('rejects a bad ocr mode at once', async () => {
    await expect(extract('x', { ocr: 'maybe' as never })).rejects.toThrow(TypeError);
  });
});
