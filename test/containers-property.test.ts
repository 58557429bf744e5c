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
import { requires } from './requires.js';

const SEED = Number(process.env.CONTAINERS_SEED ?? 26);
const COUNT = Number(process.env.CONTAINERS_COUNT ?? 24);
const out = mkdtempSync(join(tmpdir(), 'containers-property-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Case = { file: string; account: string; origin: string };

/** Runs the generator into a folder of `out`; its cases. */
function generate(dir: string, seed: number, count: number, ...flags: string[]): Case[] {
  const at = join(out, dir);
  execFileSync(
    'python3',
    [join(ROOT, 'fixtures/make/containers/generate.py'), String(seed), String(count), at, ...flags],
    {
      timeout: 300_000,
    },
  );
  return JSON.parse(readFileSync(join(at, 'cases.json'), 'utf8')).map((c: Case) => ({ ...c, file: join(dir, c.file) }));
}

async function holds({ file, account, origin }: Case, seed: number): Promise<void> {
  const r = await extractFile(join(out, file), { ocr: 'off' });
  expect(r.error, `seed ${seed} ${file}`).toBeNull();
  expect(
    r.accounts.map((a) => [a.number, a.origin]),
    `seed ${seed} ${file}`,
  ).toEqual([[account, origin]]);
  expect(r.warnings, `seed ${seed} ${file}`).toEqual([]);
}

const cases = generate('plain', SEED, COUNT);

describe(`bills in generated containers (seed ${SEED})`, () => {
  it('generates every wrapper and nesting depth the generator knows', () => {
    const files = cases.map((c) => c.file.replace(/^.*case-\d+/, ''));
    expect(new Set(files)).toEqual(new Set(['.zip', '.eml', '.emlx']));
    expect(cases.some((c) => c.origin.startsWith('signed message › '))).toBe(true);
    expect(cases.some((c) => c.origin.split(' › ').length >= 3)).toBe(true);
  });

  it.for(cases)('$file: the account, with the way in as its origin', (c) => holds(c, SEED));
});

// Office files LibreOffice writes (.docx from HTML, .xlsx from CSV with numeric cells), inside the same
// wrappers: a few cases, since every soffice run takes seconds.
describe(`office bills in generated containers (seed ${SEED})`, () => {
  it('the account of every .docx and .xlsx, with the way in as its origin', async (ctx) => {
    requires.libreoffice.check(ctx);
    const office = generate('office', SEED, 12, '--office');
    expect(office.some((c) => /\.(docx|xlsx)$/.test(c.origin))).toBe(true);
    for (const c of office) await holds(c, SEED);
  }, 300_000);
});
