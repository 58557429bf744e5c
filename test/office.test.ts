/**
 * Office documents on real bytes: a contract and a statement written by LibreOffice
 * (fixtures/make/office/make-office.sh) as .docx, .doc, .rtf and .xlsx. Each is turned into what the
 * HTML reader reads, and the locator must find the account in the requisites table, the contract
 * number in the heading, and never the bank account, ИНН or phone beside them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WordExtractor from 'word-extractor';
import { readZip } from '../src/extract/archive/zip.js';
import { docxToHtml, isDocx } from '../src/extract/office/docx.js';
import { rtfToHtml } from '../src/extract/office/rtf.js';
import { isXlsx, numberText, xlsxToHtml } from '../src/extract/office/xlsx.js';
import { extract } from '../src/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'documents', 'office');
const bytes = (name: string) => readFileSync(join(dir, name));

async function found(html: string) {
  const r = await extract(html, { filename: 'office.html' });
  return { accounts: r.accounts.map((a) => a.number), contracts: r.contractNumbers.map((c) => c.number) };
}

describe('office documents', () => {
  it('.docx: the requisites table keeps its cells; account and contract found, nothing else', async () => {
    const { entries } = readZip(bytes('contract.docx'), 'contract.docx');
    expect(isDocx(entries)).toBe(true);
    const html = docxToHtml(entries);
    expect(html).toContain('<table><tr><td><div>Оператор</div></td>');
    expect(await found(html)).toEqual({ accounts: ['51002233445567'], contracts: ['51-2024/00731'] });
  });

  it('.rtf: \\uN escapes and their fallbacks, paragraphs and table rows', async () => {
    const html = rtfToHtml(bytes('contract.rtf').toString('latin1'));
    expect(html).toContain('<td>Иванов И. И.<br>Лицевой счёт абонента<br>5100 2233 4455 67');
    expect(await found(html)).toEqual({ accounts: ['51002233445567'], contracts: ['51-2024/00731'] });
  });

  it(".rtf as Word and WordPad write Cyrillic: \\'hh bytes in the font's code page (\\fcharset204)", async () => {
    const rtf =
      '{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset204 Calibri;}{\\f1\\fnil\\fcharset0 Arial;}}' +
      "\\pard\\f0\\'cb\\'e8\\'f6\\'e5\\'e2\\'ee\\'e9 \\'f1\\'f7\\'b8\\'f2: 3600 0111 2223 33\\par" +
      '{\\*\\generator Riched20 10.0.19041}\\f1 Ref 77\\par}';
    const html = rtfToHtml(rtf);
    expect(html).toContain('Лицевой счёт: 3600 0111 2223 33');
    expect(html).not.toContain('Riched20');
    expect((await found(html)).accounts).toEqual(['36000111222333']);
  });

  it('.doc (Word 97): word-extractor gives the body with its table', async () => {
    const doc = await new WordExtractor().extract(bytes('contract.doc'));
    const r = await extract(doc.getBody(), { filename: 'contract.txt' });
    expect(r.accounts.map((a) => a.number)).toEqual(['51002233445567']);
  });

  it('.xlsx: numeric cells under the column header «Лицевой счёт» are accounts, written in full', async () => {
    const { entries } = readZip(bytes('statement.xlsx'), 'statement.xlsx');
    expect(isXlsx(entries)).toBe(true);
    expect(await found(xlsxToHtml(entries))).toEqual({
      accounts: ['36000111222344', '36000111222355'],
      contracts: ['RT-2021/196597', 'RT-2021/196598'],
    });
    expect(numberText('3.6000111222333E+13')).toBe('36000111222333');
    expect(numberText('1520.5')).toBe('1520.5');
  });
});
