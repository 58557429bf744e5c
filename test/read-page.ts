/**
 * One page's positioned items read as the PDF reader reads them: laid out (with the explain view's notes),
 * then located with the pairs the layout made. Shared by the tests of the layout stage.
 */
import { layoutPageExplained, type PositionedItem } from '../src/layout/index.js';
import { locate } from '../src/locate/locate.js';

export function readPage(items: PositionedItem[], lengths: number[] = [14]) {
  const page = layoutPageExplained(items, { lengths, explain: true });
  const found = locate(page.text, { lengths, pairs: page.pairs });
  return {
    text: page.text,
    accounts: found.accounts.map((a) => a.number),
    contracts: found.contractNumbers.map((c) => c.number),
    rejected: found.rejected.map((r) => `${r.code} ${r.number}`),
    pairs: page.pairs.map((p) => `${p.digits || p.raw} ← ${p.label} (${p.relation})`),
    notes: page.notes,
    /** The notes that say how each candidate was paired, or why it has none. */
    pairing: page.notes.filter((n) => /^(number|code) /.test(n)),
  };
}
