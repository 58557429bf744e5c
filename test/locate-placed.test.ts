/**
 * A contract header whose code the pairing stage places by position wins over what the reading order puts
 * under it. xhtml2pdf wraps a dotted account in the first column («321.910.765.» / «968.85», lines 1.5 sizes
 * apart) and the column-by-column reading order puts that piece right under the contract header of the third
 * column; the text alone read it as the contract (fixtures/generated/contract-header/header-heights-xhtml2pdf-019.pdf,
 * made by fixtures/make/producers: xhtml2pdf 0.2.5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/index.js';
import { ROOT } from './helpers.js';

describe('a contract header paired by position', () => {
  it('keeps the codes under it, not the piece of a wrapped number the reading order put after it', async () => {
    const name = 'header-heights-xhtml2pdf-019.pdf';
    const bytes = new Uint8Array(readFileSync(join(ROOT, 'fixtures', 'generated', 'contract-header', name)));
    const result = await extract(bytes, { filename: name, lengths: [12, 14] });
    expect(result.contractNumbers.map((c) => c.number).sort()).toEqual(['18-2026/1031', '1944/12136']);
    // And the wrapped account is read whole, as the pairing stage joins it (its lines 1.5 sizes apart).
    expect(result.accounts.map((a) => a.number).sort()).toEqual(['32191076596885', '694479676011']);
  });
});
