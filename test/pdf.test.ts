import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract, extractFile } from '../src/index.js';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { requires } from './requires.js';

const pdf = (name: string) => join(DOCUMENTS, 'pdf', name);

describe('PDF documents', () => {
  it('tags every match with its page', async () => {
    const r = await extractFile(pdf('contract-libreoffice.pdf'));
    expect(r.kind).toBe('pdf');
    expect(r.accounts).toEqual([
      expect.objectContaining({ number: '51002233445566', origin: 'page 3', label: 'Лицевой счёт абонента' }),
    ]);
    expect(r.contractNumbers[0]).toMatchObject({ number: 'RT-2024/318245', origin: 'page 1' });
  });

  it('reads the QR payload printed on a bill, and the header-over-value table', async () => {
    const r = await extractFile(pdf('bill-chromium.pdf'), { explain: true });
    expect(r.accounts.map((a) => a.number)).toEqual(['36000111222333']);
    expect(r.rejected?.map((x) => x.code)).toEqual(expect.arrayContaining(['BANK_ACCOUNT', 'BILL_NUMBER']));
  });

  it('bounds the pages read by maxPages, keeping what was read', async () => {
    const r = await extractFile(pdf('contract-libreoffice.pdf'), { maxPages: 2 });
    expect(r.warnings.map((w) => w.code)).toEqual(['MAX_PAGES']);
    expect(r.accounts).toEqual([]);
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['RT-2024/318245']);
  });

  it('says PDF_ENCRYPTED without a password, PDF_BAD_PASSWORD with a wrong one, and reads it with the right one', async () => {
    expect((await extractFile(pdf('encrypted.pdf'))).error?.code).toBe('PDF_ENCRYPTED');
    const wrong = await extractFile(pdf('encrypted.pdf'), { password: 'wrong' });
    expect(wrong.error).toMatchObject({ code: 'PDF_BAD_PASSWORD' });
    expect(wrong.error?.message).toContain('encrypted.pdf');
    expect((await extractFile(pdf('encrypted.pdf'), { password: 'secret' })).accounts.map((a) => a.number)).toEqual([
      '77001122334455',
    ]);
  });

  it('gives PDF_INVALID, naming the document, for truncated, empty and random bytes', async () => {
    for (const name of ['truncated.pdf', 'empty.pdf']) {
      const r = await extractFile(pdf(name));
      expect(r.error?.code, name).toBe('PDF_INVALID');
      expect(r.error?.message).toContain(name);
    }
    const junk = Buffer.alloc(4096, 7);
    expect((await extract(junk, { filename: 'bill.pdf' })).error).toMatchObject({ code: 'PDF_INVALID' });
    const header = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x41)]);
    expect((await extract(header, { filename: 'x.bin' })).error).toMatchObject({ code: 'PDF_INVALID' });
  });

  it('warns NO_TEXT_LAYER for a scanned page', async (ctx) => {
    requires.ocr.check(ctx); // without OCR, OCR_UNAVAILABLE comes first
    const r = await extractFile(pdf('scanned-image-only.pdf'));
    expect(r.error).toBeNull();
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'NO_TEXT_LAYER' })]);
  });

  it('leaves the caller’s buffer intact', async () => {
    const bytes = readFileSync(pdf('label-beside-pdfkit.pdf'));
    const copy = Buffer.from(bytes);
    await extract(bytes);
    expect(bytes.equals(copy)).toBe(true);
  });

  it('prints nothing of pdf.js on stdout, and opens encrypted PDFs with --password', () => {
    const r = spawnSync(process.execPath, [CLI, 'scan', '--quiet', '--password', 'secret', join(DOCUMENTS, 'pdf')], {
      encoding: 'utf8',
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => l.startsWith('{"source":'))).toBe(true);
    expect(r.stderr).toBe('');
    const encrypted = lines.map((l) => JSON.parse(l)).find((x) => x.source.endsWith('encrypted.pdf'));
    expect(encrypted.accounts.map((a: { number: string }) => a.number)).toEqual(['77001122334455']);
  });
});

describe('pdf.js and the thread it runs on', () => {
  it('leaves Node’s own Array.prototype.push and JSON.parse in place after reading a PDF', () => {
    // pdf.js's legacy build replaces both with slow core-js versions on loading; the library puts them
    // back. Run in a fresh process, so nothing else has loaded pdf.js before.
    const script = `
      const push = Array.prototype.push, parse = JSON.parse;
      const { extractFile } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
      const r = await extractFile(${JSON.stringify(join(DOCUMENTS, 'pdf', 'bill-chromium.pdf'))});
      console.log(JSON.stringify({ accounts: r.accounts.map((a) => a.number), push: Array.prototype.push === push, parse: JSON.parse === parse }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ accounts: ['36000111222333'], push: true, parse: true });
  });
});
