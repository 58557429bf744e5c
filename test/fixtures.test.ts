import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile, scan } from '../src/index.js';
import { DOCUMENTS, loadExpectations } from './helpers.js';
import { requires } from './requires.js';

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

  it.for(Object.entries(expectations))('%s', async ([name, expected], ctx) => {
    // A scan's expected result needs OCR, with the languages it is printed in.
    if (expected.ocrLanguages) requires.ocrLanguages(...expected.ocrLanguages).check(ctx);
    if (expected.messages) {
      // A mailbox: scanned as users do, one record per message, attributed to the right message.
      const records = [];
      for await (const r of scan([join(DOCUMENTS, name)], { concurrency: 0 })) records.push(r);
      expect(records.map((r) => r.index)).toEqual(expected.messages.map((m) => m.index));
      for (const [i, m] of expected.messages.entries()) {
        const r = records[i]!;
        expect(r.error, `message ${i}`).toBeNull();
        expect(r.accounts.map((a) => a.number).sort(), `message ${i}`).toEqual([...m.accounts].sort());
        if (m.contractNumbers)
          expect(r.contractNumbers.map((c) => c.number).sort()).toEqual([...m.contractNumbers].sort());
        if (m.messageId) expect(r.messageId).toBe(m.messageId);
      }
      return;
    }
    const result = await extractFile(join(DOCUMENTS, name));
    if (expected.kind) expect(result.kind).toBe(expected.kind);
    if (expected.subject) expect(result.subject).toBe(expected.subject);
    for (const [number, origin] of Object.entries(expected.origins ?? {})) {
      expect(result.accounts.find((a) => a.number === number)?.origin, number).toMatch(
        new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
    }
    expect(result.error?.code ?? null).toBe(expected.error ?? null);
    if (result.error) expect(result.error.message).toContain(name);
    const numbers = result.accounts.map((a) => a.number).sort();
    expect(numbers).toEqual([...expected.accounts].sort());
    if (expected.origin) for (const a of result.accounts) expect(a.origin).toBe(expected.origin);
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
