// The layout's digit pre-check (issue 24): a text without a digit is given back without a look line by
// line. It must be exact: the same text as the layout proper gives, and the same records over the fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { extract } from '../src/extract/index.js';
import { decodeText } from '../src/extract/text/read.js';
import { layoutPlainText, layoutPlainTextExplained, layoutTextTables, mayHoldTable } from '../src/layout/text-table.js';
import { DOCUMENTS } from './helpers.js';

/** Every fixture document but pictures and scans (OCR is slow, and its text is not laid out here). */
function fixtures(dir = DOCUMENTS): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'ocr' || name === 'pictures' ? [] : fixtures(path);
      return [path];
    });
}

const options = { lengths: [14] };
const explained = { ...options, explain: true };

describe('the layout pre-check', () => {
  it('turns down only texts the layout gives back unchanged', async () => {
    const texts: string[] = [];
    for (const path of fixtures()) {
      texts.push(decodeText(readFileSync(path)).text);
      const result = await extract(readFileSync(path), { filename: path, explain: true });
      for (const block of result.blocks ?? []) texts.push(block.text);
    }
    // The case the pre-check is for: the same texts, tables and all, with every digit taken out.
    const variants = texts.flatMap((t) => [t, t.replace(/\d/g, ''), t.replace(/\d/g, 'x')]);
    let turnedDown = 0;
    for (const text of variants) {
      if (!mayHoldTable(text)) turnedDown++;
      expect(layoutPlainText(text, options)).toBe(layoutTextTables(text, options).text);
      expect(layoutPlainTextExplained(text, explained)).toEqual(layoutTextTables(text, explained));
    }
    expect(turnedDown).toBeGreaterThan(texts.length / 2);
  }, 120_000);

  it('never drops a record: the fixtures read alike with the pre-check and without it', async () => {
    const paths = fixtures();
    const read = async (extractWith: typeof extract) =>
      Promise.all(
        paths.map((path) => extractWith(readFileSync(path), { filename: relative(DOCUMENTS, path), explain: true })),
      );
    const withCheck = await read(extract);
    vi.resetModules();
    vi.doMock('../src/layout/text-table.js', async (original) => {
      const real = await original<typeof import('../src/layout/text-table.js')>();
      return {
        ...real,
        layoutPlainText: (text: string, o: { lengths: number[] }) => real.layoutTextTables(text, o).text,
        layoutPlainTextExplained: real.layoutTextTables,
      };
    });
    const unchecked = (await import('../src/extract/index.js')).extract;
    vi.doUnmock('../src/layout/text-table.js');
    const without = await read(unchecked);
    expect(withCheck.reduce((n, r) => n + r.accounts.length + r.contractNumbers.length, 0)).toBeGreaterThan(20);
    expect(withCheck).toEqual(without);
  }, 180_000);
});
