/**
 * Property tests over generated layouts (fixtures/make/layout): the committed batch of PDFs from
 * LibreOffice, Chromium and pdfkit, and text and HTML tables generated here from the same model.
 * Precision is total: no document ever yields an account that is not its own, and a contract is never
 * an account. Recall is held at least at the rate README reports per class.
 */
import { describe, expect, it } from 'vitest';
import { type Outcome, rates, scoreGenerated, scorePdfs } from '../fixtures/make/layout/score.js';
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

function check(outcomes: Outcome[]): void {
  // Never an account that is not the document's, never the contract as the account.
  expect(outcomes.filter((o) => o.wrong.length > 0 || o.contractAsAccount).map((o) => o.name)).toEqual([]);
  for (const r of rates(outcomes)) {
    expect(r.passed / r.n, `${r.cls}: ${r.passed} of ${r.n}`).toBeGreaterThanOrEqual(FLOOR[r.cls] ?? 1);
  }
}

describe('generated layouts', () => {
  it('text and HTML tables, side-by-side blocks and row headers: every account found, nothing else', async () => {
    check(await scoreGenerated((input, options) => extract(input, options)));
  }, 120_000);

  it('PDFs from LibreOffice, Chromium and pdfkit: every account found, nothing else', async () => {
    const outcomes = await scorePdfs((input, options) => extract(input, options));
    expect(outcomes.length).toBeGreaterThanOrEqual(200);
    check(outcomes);
  }, 300_000);
});
