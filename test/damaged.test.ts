/**
 * The property test for damaged encodings and contracts in running text: a few hundred documents drawn by
 * fixtures/make/damaged/generate.ts (reproducible by seed), every damage class in turn. For each: the
 * account is found and nothing else is reported as an account, the contract is kept apart, clean text is
 * never changed and never gets TEXT_REPAIRED, damaged text does. `DAMAGED_RUNS=2000 npm test` for a long run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAMAGE_CLASSES,
  type GeneratedDocument,
  generateCorpus,
  generateDocument,
} from '../fixtures/make/damaged/generate.js';
import { repairText } from '../src/extract/text/repair.js';
import { extract } from '../src/index.js';

const RUNS = Number(process.env.DAMAGED_RUNS ?? 360);
const SEED = 14_000;

/** Why `doc` was read wrong, or null when it was read right. */
async function check(doc: GeneratedDocument): Promise<string | null> {
  const r = await extract(doc.bytes, { filename: `gen-${doc.seed}.${doc.kind === 'email' ? 'eml' : 'txt'}` });
  if (r.error) return `error ${r.error.code}`;
  const accounts = r.accounts.map((a) => a.number);
  if (accounts.length !== 1 || accounts[0] !== doc.account)
    return `accounts ${accounts.length} (${accounts.includes(doc.account) ? 'with' : 'without'} the right one)`;
  const contracts = r.contractNumbers.map((c) => c.number);
  if (doc.contract && !contracts.includes(doc.contract)) return `contract missed (got ${contracts.length})`;
  if (doc.contract && accounts.includes(doc.contract.replace(/\D/g, ''))) return 'contract reported as an account';
  const repaired = r.warnings.some((w) => w.code === 'TEXT_REPAIRED');
  if (repaired !== doc.expectRepair) return repaired ? 'TEXT_REPAIRED on clean text' : 'no TEXT_REPAIRED';
  if (doc.damage === 'clean' && repairText(doc.text).text !== doc.text) return 'clean text changed';
  return null;
}

describe('generated documents with damaged encodings', () => {
  it(`reads ${RUNS} documents, every class right`, async () => {
    const docs = await generateCorpus(SEED, RUNS);
    const byClass = new Map(DAMAGE_CLASSES.map((c) => [c, { n: 0, ok: 0 }]));
    const failures: string[] = [];
    for (const doc of docs) {
      const why = await check(doc);
      const stats = byClass.get(doc.damage)!;
      stats.n++;
      if (why === null) stats.ok++;
      else
        failures.push(
          `seed ${doc.seed} (${doc.damage}, ${doc.kind}, ${doc.scope}, ${doc.charset}, ${doc.transfer}): ${why}`,
        );
    }
    const table = [...byClass].map(([c, s]) => `${c} ${s.ok}/${s.n}`).join(', ');
    if (failures.length > 0 || process.env.DAMAGED_REPORT)
      console.log(`damaged corpus: ${table}\n${failures.slice(0, 20).join('\n')}`);
    expect(failures).toEqual([]);
  }, 120_000);

  it('holds for seeds fast-check draws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const doc = await generateDocument(seed);
        expect(await check(doc), `seed ${seed} (${doc.damage})`).toBeNull();
      }),
      { numRuns: Math.ceil(RUNS / 4), seed: 14 },
    );
  }, 120_000);

  it('draws the same document for the same seed', async () => {
    const [a, b] = [await generateDocument(77), await generateDocument(77)];
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });
});
