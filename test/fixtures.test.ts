import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../src/index.js';
import { DOCUMENTS, loadExpectations } from './helpers.js';

const expectations = loadExpectations();

function listDocuments(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listDocuments(path) : [relative(DOCUMENTS, path)];
    });
}

describe('fixtures', () => {
  it('every bundled document has an expected result, and every expectation a document', () => {
    expect(listDocuments(DOCUMENTS).sort()).toEqual(Object.keys(expectations).sort());
  });

  it.each(Object.entries(expectations))('%s', async (name, expected) => {
    const result = await extractFile(join(DOCUMENTS, name));
    expect(result.error?.code ?? null).toBe(expected.error ?? null);
    if (result.error) expect(result.error.message).toContain(name);
    expect(result.accounts.map((a) => a.number).sort()).toEqual([...expected.accounts].sort());
    expect(result.contractNumbers.map((c) => c.number).sort()).toEqual([...expected.contractNumbers].sort());
    if (expected.labels) expect(result.accounts.map((a) => a.label)).toEqual(expected.labels);
    if (expected.warnings) expect(result.warnings.map((w) => w.code)).toEqual(expected.warnings);
    if (expected.with) {
      const widened = await extractFile(join(DOCUMENTS, name), { lengths: expected.with.lengths });
      expect(widened.accounts.map((a) => a.number).sort()).toEqual([...expected.with.accounts].sort());
    }
    if (expected.password) {
      const opened = await extractFile(join(DOCUMENTS, name), { password: expected.password });
      expect(opened.accounts.map((a) => a.number).sort()).toEqual([...(expected.accountsWithPassword ?? [])].sort());
    }
  });
});
