import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeOcr } from '../src/extract/ocr.js';
import { extract, extractFile } from '../src/index.js';
import { DOCUMENTS } from './helpers.js';

// These tests need tesseract.js and rus+eng language data; .ci/run installs the data, so a missing
// installation fails here rather than skipping.
afterAll(() => closeOcr());

describe('OCR', () => {
  it('reads an image file with tesseract.js from local language data, tagging the origin', async () => {
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.tiff'));
    expect(r.kind).toBe('image');
    expect(r.accounts).toEqual([expect.objectContaining({ number: '51002233445566', label: 'Лицевой счёт абонента', origin: 'image (OCR)' })]);
  });

  it('reads the scanned pages of a PDF and says there was no text layer', async () => {
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.pdf'));
    expect(r.accounts.map((a) => [a.number, a.origin])).toEqual([['51002233445566', 'page 1 (OCR)']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['NO_TEXT_LAYER']);
    expect(r.warnings[0]!.message).toContain('read with OCR');
  });

  it('never OCRs a PDF that has a text layer, unless forced', async () => {
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
    expect((await extractFile(join(DOCUMENTS, 'ocr', 'photo-bill.jpg'), { ocr: 'off' })).warnings.map((w) => w.code)).toEqual(['OCR_OFF']);
  });

  it('without language data warns OCR_UNAVAILABLE, naming what it looked for, and still gives the record', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rta-tessdata-'));
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-contract.pdf'), { ocrLangPath: empty });
    expect(r.error).toBeNull();
    expect(r.warnings.map((w) => w.code)).toEqual(['OCR_UNAVAILABLE', 'NO_TEXT_LAYER']);
    expect(r.warnings[0]!.message).toContain(empty);
    expect(r.warnings[0]!.message).toContain('tesseract-ocr-rus');
  });

  it('gives a wrapped number in a narrow cell whole, never a piece of it', async () => {
    const r = await extractFile(join(DOCUMENTS, 'ocr', 'scan-wrapped-cell.png'), { explain: true });
    expect(r.accounts.map((a) => a.number).filter((n) => n !== '63100200300411')).toEqual([]);
  });

  it('rejects a bad ocr mode at once', async () => {
    await expect(extract('x', { ocr: 'maybe' as never })).rejects.toThrow(TypeError);
  });
});
