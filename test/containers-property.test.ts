// A property over generated containers (fixtures/make/containers/generate.py, seeded): whatever producers
// vary (names and how they are stored, folders, compression, nesting, the bill's form and encoding, the
// wrapper: file, mail attachment of any of its types, .emlx, opaque S/MIME), the bill's account is found,
// once, with the way in as its origin, and no decoy beside it is taken. A failing case names its seed and
// file; rerun the generator with them to get the bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractFile } from '../src/index.js';
import { ROOT } from './helpers.js';

const SEED = Number(process.env.CONTAINERS_SEED ?? 26);
const COUNT = Number(process.env.CONTAINERS_COUNT ?? 24);
const out = mkdtempSync(join(tmpdir(), 'containers-property-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

execFileSync('python3', [join(ROOT, 'fixtures/make/containers/generate.py'), String(SEED), String(COUNT), out], {
  timeout: 120_000,
});
const cases: Array<{ file: string; account: string; origin: string }> = JSON.parse(
  readFileSync(join(out, 'cases.json'), 'utf8'),
);

describe(`bills in generated containers (seed ${SEED})`, () => {
  it('generates every wrapper and nesting depth the generator knows', () => {
    const files = cases.map((c) => c.file.replace(/^case-\d+/, ''));
    expect(new Set(files)).toEqual(new Set(['.zip', '.eml', '.emlx']));
    expect(cases.some((c) => c.origin.startsWith('signed message › '))).toBe(true);
    expect(cases.some((c) => c.origin.split(' › ').length >= 3)).toBe(true);
  });

  it.for(cases)('$file: the account, with the way in as its origin', async ({ file, account, origin }) => {
    const r = await extractFile(join(out, file), { ocr: 'off' });
    expect(r.error, `seed ${SEED} ${file}`).toBeNull();
    expect(
      r.accounts.map((a) => [a.number, a.origin]),
      `seed ${SEED} ${file}`,
    ).toEqual([[account, origin]]);
    expect(r.warnings, `seed ${SEED} ${file}`).toEqual([]);
  });
});
