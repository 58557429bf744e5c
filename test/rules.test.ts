import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ops } from '../src/extract/pdf/engine.js';
import { loadPdfjs, loadPdfParse } from '../src/extract/pdf/pdfjs.js';
import { readRules } from '../src/extract/pdf/rules.js';
import { extractFile } from '../src/index.js';
import { inOneCell, mergeRules, type Rules } from '../src/layout/cells.js';
import type { Chunk } from '../src/layout/chunks.js';
import { DOCUMENTS } from './helpers.js';

// A dompdf 2.0.3 page (fixtures/make/producers): a bordered table of five columns, headers wrapped over
// 1–4 lines set 1.53 font heights apart, two rows of values. dompdf strokes each cell's borders apart.
const DOMPDF = join(DOCUMENTS, 'pdf-producers', 'header-heights-dompdf-006.pdf');

async function firstPage(path: string) {
  const { PDFParse } = await loadPdfParse();
  const parser = new PDFParse({ data: new Uint8Array(readFileSync(path)) });
  const doc = await (
    parser as unknown as { load(): Promise<import('../src/extract/pdf/engine.js').PdfDocument> }
  ).load();
  const page = await doc.getPage(1);
  return { page, list: await page.getOperatorList(), ops: (await loadPdfjs()).OPS as unknown as Ops, parser };
}

const chunk = (text: string, x0: number, x1: number, y: number, line: number): Chunk => ({
  text,
  x0,
  x1,
  y,
  h: 10,
  value: /^\d/.test(text),
  line,
  col: 0,
});

describe('ruling lines of a PDF page (src/extract/pdf/rules.ts)', () => {
  it('reads dompdf cell borders as the table grid, in the text items’ coordinates', async () => {
    const { page, list, ops, parser } = await firstPage(DOMPDF);
    const rules = readRules(ops, list, page.getViewport({ scale: 1 }));
    await parser.destroy();
    // Each cell's top border merged into one rule per row boundary across the table (36–401 pt).
    expect(rules.horizontal.map((r) => Math.round(r.at))).toEqual([55, 90, 125, 160]);
    for (const r of rules.horizontal) expect([Math.round(r.from), Math.round(r.to)]).toEqual([36, 401]);
    // Six column borders, each from the table's top to its bottom (y from the page's top).
    expect(rules.vertical.map((r) => Math.round(r.at))).toEqual([36, 90, 177, 277, 343, 401]);
    for (const r of rules.vertical) expect([Math.round(r.from), Math.round(r.to)]).toEqual([54, 160]);
  });

  it('reads the wrapped header cells of that page as cells: both accounts under their header', async () => {
    const r = await extractFile(DOMPDF, { explain: true });
    expect(r.accounts.map((a) => a.number).sort()).toEqual(['10704242744314', '67608635186091']);
    expect(r.contractNumbers.map((c) => c.number)).toHaveLength(2);
    // The page was read a second time with its ruling lines: the number wrapped in its cell is one block.
    const layout = r.blocks?.[0]?.layout ?? [];
    expect(layout[0]).toMatch(/^ruling lines: 4 horizontal, 6 vertical; (\d+) of \1 loosely set line pairs joined/);
    expect(layout).toContain('value block, 2 lines, x 195–258, y 98–120: «1070-4242-7443- ⏎ 14»');
  });

  it('stops at its bounds on a page of a hundred thousand paths', () => {
    const ops = { save: 10, restore: 11, transform: 12, constructPath: 91, stroke: 20, fill: 22 } as unknown as Ops;
    const n = 100_000;
    const list = {
      fnArray: new Array<number>(n).fill(91),
      argsArray: Array.from({ length: n }, (_, i) => [20, [new Float32Array([0, 0, i % 800, 1, 500, i % 800])], null]),
    };
    const viewport = { convertToViewportPoint: (x: number, y: number) => [x, 842 - y] };
    const start = performance.now();
    const rules = readRules(ops, list, viewport);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(rules.horizontal.length).toBeLessThanOrEqual(5_000);
  });
});

describe('ruled cells (src/layout/cells.ts)', () => {
  // One cell 100–200 × 50–100 pt: two rows' borders, two columns' borders.
  const grid: Rules = {
    horizontal: mergeRules([
      { at: 50, from: 100, to: 150 },
      { at: 50, from: 150, to: 200 },
      { at: 100, from: 100, to: 200 },
    ]),
    vertical: mergeRules([
      { at: 100, from: 50, to: 100 },
      { at: 200, from: 50, to: 100 },
    ]),
  };
  const upper = chunk('Номер лицевого', 105, 180, 65, 0);
  const lower = chunk('счёта', 105, 135, 80, 1);

  it('merges the border pieces of neighbouring cells into one rule', () => {
    expect(grid.horizontal).toEqual([
      { at: 50, from: 100, to: 200 },
      { at: 100, from: 100, to: 200 },
    ]);
  });

  it('joins two lines inside one closed cell box', () => {
    expect(inOneCell(grid, upper, lower)).toBe(true);
  });

  it('keeps apart lines with a rule between them, lines of no closed box, and lines in a frame too tall for a cell', () => {
    const between = { ...grid, horizontal: mergeRules([...grid.horizontal, { at: 73, from: 100, to: 200 }]) };
    expect(inOneCell(between, upper, lower)).toBe(false);
    const open = { ...grid, vertical: grid.vertical.slice(0, 1) };
    expect(inOneCell(open, upper, lower)).toBe(false);
    const frame: Rules = {
      horizontal: [
        { at: 50, from: 0, to: 600 },
        { at: 800, from: 0, to: 600 },
      ],
      vertical: [
        { at: 0, from: 50, to: 800 },
        { at: 600, from: 50, to: 800 },
      ],
    };
    expect(inOneCell(frame, upper, lower)).toBe(false);
  });
});
