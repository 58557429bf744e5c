// Property-based fuzzing of every path bytes take. Small by default so CI stays quick;
// FUZZ_RUNS=5000 npm test (or more) for a long run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract, isValidAccount, locate } from '../src/index.js';
import { splitMbox } from '../src/mailbox/mbox.js';
import { DOCUMENTS } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const read = (dir: string) =>
  readdirSync(join(DOCUMENTS, dir))
    .filter((n) => /\.(eml|pdf|mbox)$/.test(n))
    .map((n) => readFileSync(join(DOCUMENTS, dir, n)));
const emails = read('email');
const pdfs = read('pdf').filter((b) => b.length > 0);

/** A fixture cut short, with a few bytes overwritten: what transfers and disks do to files. */
const mutated = (corpus: Buffer[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: corpus.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 8,
      }),
    )
    .map(([i, cut, flips]) => {
      const source = corpus[i]!;
      const bytes = Buffer.from(source.subarray(0, Math.max(1, Math.floor(source.length * (0.2 + 0.8 * cut)))));
      for (const [at, value] of flips) bytes[Math.floor(at * (bytes.length - 1))] = value;
      return bytes;
    });

async function checkResult(bytes: Uint8Array, options = {}) {
  const t0 = Date.now();
  const r = await extract(bytes, { timeoutMs: 10_000, ...options });
  expect(Date.now() - t0).toBeLessThan(15_000);
  for (const a of r.accounts) expect(isValidAccount(a.number)).toBe(true);
  if (r.error) expect(r.error.code).toMatch(/^[A-Z_]+$/);
}

describe('fuzzing', () => {
  it('the locator never throws and never reports an invalid account', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        for (const a of locate(text).accounts) expect(isValidAccount(a.number)).toBe(true);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('the mbox splitter takes any bytes, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
          bytes.subarray(i * chunk, (i + 1) * chunk),
        );
        let total = 0;
        for await (const m of splitMbox(chunks)) total += m.bytes.length;
        expect(total).toBeLessThanOrEqual(bytes.length + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('the mbox splitter gives the same messages however the file is chunked', async () => {
    const mbox = readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox'));
    const whole: string[] = [];
    for await (const m of splitMbox([mbox])) whole.push(m.bytes.toString('latin1'));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), async (chunk) => {
        const parts: string[] = [];
        const chunks = Array.from({ length: Math.ceil(mbox.length / chunk) }, (_, i) =>
          mbox.subarray(i * chunk, (i + 1) * chunk),
        );
        for await (const m of splitMbox(chunks)) parts.push(m.bytes.toString('latin1'));
        expect(parts).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it('damaged messages never throw and never hang', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(emails), (bytes) => checkResult(bytes, { kind: 'email' })),
      { numRuns: RUNS },
    );
  });

  it('damaged PDFs never throw and never hang', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(pdfs), (bytes) => checkResult(bytes, { filename: 'fuzz.pdf' })),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('random bytes of any claimed kind never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom('x.pdf', 'x.eml', 'x.html', 'x.txt'),
        (bytes, filename) => checkResult(bytes, { filename }),
      ),
      { numRuns: RUNS },
    );
  });
});
