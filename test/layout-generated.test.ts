/**
 * Property tests over generated layouts (fixtures/make/layout): the committed batches of PDFs from
 * LibreOffice, Chromium, pdfkit and pdf-lib, and text and HTML pages generated here from the same models.
 * Precision is total: no document ever yields an account that is not its own, and a contract is never
 * an account. Recall is held at least at the rate README reports per class; every class must be scored
 * in full (a scorer that returns nothing, or less, fails).
 */
import { describe, expect, it } from 'vitest';
import { type Outcome, rates, scoreGenerated, scorePdfs, TEXT_COUNT } from '../fixtures/make/layout/score.js';
import { scoreWorldGenerated, scoreWorldPdfs, worldCounts } from '../fixtures/make/layout/score-world.js';
import { WORLD_CLASSES } from '../fixtures/make/layout/world-docs.js';
import { extract } from '../src/index.js';

/** The least share of documents read exactly right, per class (README, "What it recognises"). */
const FLOOR: Record<string, number> = {
  // 150 documents a class, all read right: one miss is still tolerated.
  'text table': 0.99,
  'email text table': 0.99,
  'html table': 0.99,
  'html blocks': 0.99,
  'html rowheader': 0.99,
  // 30 documents a class and producer, all read right: one miss (29 of 30) is still tolerated.
  'pdf table (libreoffice)': 0.96,
  'pdf table (chromium)': 0.96,
  'pdf table (pdfkit)': 0.96,
  'pdf blocks (libreoffice)': 0.96,
  'pdf blocks (chromium)': 0.96,
  'pdf blocks (pdfkit)': 0.96,
  'pdf rowheader (libreoffice)': 0.96,
  'pdf rowheader (chromium)': 0.96,
  'pdf rowheader (pdfkit)': 0.96,
};
/**
 * Issue #23's classes (fixtures/make/layout/world-docs.ts). The issue's floor is 0.99 each; the classes
 * not yet there are held at what they read now (a ratchet: raise it as the reader improves, never lower
 * it), the rest at 0.99. No class may ever yield a false account.
 */
const WORLD_TARGET = 0.99;
const WORLD_NOW: Record<string, number> = {};
const WORLD_FLOOR = (cls: string) => WORLD_NOW[cls] ?? WORLD_TARGET;
const OLD_PDF_COUNT = 30;

function check(outcomes: Outcome[], counts: Record<string, number>, floor: (cls: string) => number): void {
  // Every class scored, each with all its documents: an empty or short result is a failure, not a pass.
  expect(Object.fromEntries(rates(outcomes).map((r) => [r.cls, r.n]))).toEqual(counts);
  // Never an account that is not the document's, never the contract as the account.
  expect(outcomes.filter((o) => o.wrong.length > 0 || o.contractAsAccount).map((o) => o.name)).toEqual([]);
  // Every class under its floor at once, each with its first failures and why (score-world.ts).
  const below = rates(outcomes)
    .filter((r) => r.passed / r.n < floor(r.cls))
    .map((r) => {
      const failed = outcomes.filter((o) => o.cls === r.cls && !o.pass).slice(0, 3);
      return `${r.cls}: ${r.passed} of ${r.n} (floor ${floor(r.cls)}); ${failed.map((o) => `${o.name}: ${(o.reasons ?? []).join(', ')}`).join('; ')}`;
    });
  expect(below).toEqual([]);
}
const only = (counts: Record<string, number>, prefix: string) =>
  Object.fromEntries(Object.entries(counts).filter(([cls]) => cls.startsWith(prefix)));

describe('generated layouts', () => {
  it('text and HTML tables, side-by-side blocks and row headers: every account found, nothing else', async () => {
    const counts = Object.fromEntries(
      ['text table', 'email text table', 'html table', 'html blocks', 'html rowheader'].map((c) => [c, TEXT_COUNT]),
    );
    check(await scoreGenerated((input, options) => extract(input, options)), counts, (cls) => FLOOR[cls] ?? 1);
  }, 120_000);

  it('PDFs from LibreOffice, Chromium and pdfkit: every account found, nothing else', async () => {
    const counts = Object.fromEntries(
      Object.keys(FLOOR)
        .filter((c) => c.startsWith('pdf '))
        .map((c) => [c, OLD_PDF_COUNT]),
    );
    check(await scorePdfs((input, options) => extract(input, options)), counts, (cls) => FLOOR[cls] ?? 1);
  }, 300_000);
});

describe('generated layouts of issue #23 (every dimension a producer varies)', () => {
  it('has a batch of every class from every producer', () => {
    const counts = worldCounts();
    for (const cls of WORLD_CLASSES) {
      for (const producer of ['libreoffice', 'chromium', 'pdfkit', 'pdf-lib', 'wkhtmltopdf', 'reportlab']) {
        // 20 documents and 4 twins a class; ReportLab's pages are twice as large, 8 and 2 of them.
        const least = producer === 'reportlab' ? 10 : 24;
        expect(counts[`pdf ${cls} (${producer})`], `${cls} (${producer})`).toBeGreaterThanOrEqual(least);
      }
    }
  });

  it('text and HTML pages, and the HTML pages as mail bodies, of every class: every account found, nothing else', async () => {
    const counts = {
      ...only(worldCounts(), 'text '),
      ...only(worldCounts(), 'html '),
      ...only(worldCounts(), 'mail '),
    };
    check(await scoreWorldGenerated((input, options) => extract(input, options)), counts, WORLD_FLOOR);
  }, 300_000);

  it('PDFs from LibreOffice, Chromium, wkhtmltopdf, pdfkit, pdf-lib and ReportLab: every account found, nothing else', async () => {
    check(await scoreWorldPdfs((input, options) => extract(input, options)), only(worldCounts(), 'pdf '), WORLD_FLOOR);
  }, 600_000);
});
