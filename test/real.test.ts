/**
 * Real documents: layouts and producers nobody on this team made (fixtures/real/, sources in SOURCES.md).
 * Each is read with the default options, as a user's file would be, and must give exactly the accounts
 * and contract numbers a reader sees on it (truth.json, written by hand) — and never a contract number
 * reported as an account. The few still missed are listed with why (KNOWN_MISSES) and held to precision.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/index.js';
import { ROOT } from './helpers.js';

interface Truth {
  accounts: string[];
  contractNumbers: string[];
  lengths?: number[];
  note: string;
}

const REAL = join(ROOT, 'fixtures', 'real');
const truth: Record<string, Truth> = JSON.parse(readFileSync(join(REAL, 'truth.json'), 'utf8'));
const NOT_DOCUMENTS = new Set(['truth.json', 'SOURCES.md']);

/**
 * Documents the reader still misses (issue #23 is open for them), with why. For these the test holds
 * precision only: what is found must be in the truth, nothing else. A fixed one leaves this list.
 */
const KNOWN_MISSES: Record<string, string> = {};

describe('real documents', () => {
  it('every document has a truth, and every truth a document', () => {
    const files = readdirSync(REAL).filter((name) => !NOT_DOCUMENTS.has(name));
    expect(files.sort()).toEqual(Object.keys(truth).sort());
  });

  it('the corpus keeps to its limits: at least 15 documents, each ≤ 2 MB, ≤ 15 MB in all', () => {
    const sizes = Object.keys(truth).map((name) => readFileSync(join(REAL, name)).length);
    expect(sizes.length).toBeGreaterThanOrEqual(15);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(15 * 1024 * 1024);
  });

  it.for(Object.entries(truth))('%s', async ([name, expected]) => {
    const bytes = new Uint8Array(readFileSync(join(REAL, name)));
    const result = await extract(bytes, {
      filename: name,
      ...(expected.lengths ? { lengths: expected.lengths } : {}),
    });
    expect(result.error, expected.note).toBeNull();

    const accounts = result.accounts.map((a) => a.number);
    const contracts = result.contractNumbers.map((c) => c.number);
    // Contract numbers as printed on the page and as the library read them: none may come back as an account.
    const contractDigits = new Set([...expected.contractNumbers, ...contracts].map((c) => c.replace(/\D/g, '')));
    expect(
      accounts.filter((a) => contractDigits.has(a)),
      'a contract number reported as an account',
    ).toEqual([]);
    if (name in KNOWN_MISSES) {
      expect(
        accounts.filter((a) => !expected.accounts.includes(a)),
        'an account that is not on the page',
      ).toEqual([]);
      // A miss that is read right now leaves the list (so the list says what is still missed).
      const right =
        JSON.stringify([...accounts].sort()) === JSON.stringify([...expected.accounts].sort()) &&
        JSON.stringify([...contracts].sort()) === JSON.stringify([...expected.contractNumbers].sort());
      expect(right, `${name} is read right now: take it off KNOWN_MISSES`).toBe(false);
      return;
    }
    expect([...accounts].sort(), `accounts — ${expected.note}`).toEqual([...expected.accounts].sort());
    expect([...contracts].sort(), `contract numbers — ${expected.note}`).toEqual([...expected.contractNumbers].sort());
  });
});
