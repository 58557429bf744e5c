// The README's code tables are the users' reference: every code the library can give is listed, and
// nothing is listed that it cannot give.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXTRACTION_ERROR_CODES, INVALID_ACCOUNT_CODES, WARNING_CODES } from '../src/errors.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The codes in the first column of the table that follows `heading` (up to the next blank line after it). */
function tableCodes(after: string): string[] {
  const start = README.indexOf(after);
  expect(start, `README has "${after}"`).toBeGreaterThanOrEqual(0);
  const table = README.slice(start).split('\n\n')[1]!;
  return table
    .split('\n')
    .slice(2)
    .map((row) => /^\|\s*`([A-Z0-9_]+)`/.exec(row)?.[1])
    .filter((code): code is string => code !== undefined);
}

describe('README', () => {
  it('lists every error code, and only those, in the error table', () => {
    const listed = tableCodes('## Error codes');
    expect(listed.length).toBeGreaterThan(0);
    expect([...listed].sort()).toEqual([...INVALID_ACCOUNT_CODES, ...EXTRACTION_ERROR_CODES].sort());
  });

  it('lists every warning code, and only those, in the warning table', () => {
    const listed = tableCodes('Warnings (the document was read, but not wholly):');
    expect(listed.length).toBeGreaterThan(0);
    expect([...listed].sort()).toEqual([...WARNING_CODES].sort());
  });

  it('stays a user’s page of at most about 450 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(450);
  });
});
