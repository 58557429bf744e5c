import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const DOCUMENTS = join(ROOT, 'fixtures', 'documents');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface Expectation {
  accounts: string[];
  contractNumbers: string[];
  labels?: string[];
  warnings?: string[];
  error?: string | null;
  password?: string;
  accountsWithPassword?: string[];
  with?: { lengths: number[]; accounts: string[] };
  kind?: string;
  /** Where the accounts were found, e.g. `page 1 (OCR)`. */
  origin?: string;
  /** A scan: the tesseract language data its expected result needs (tests skip it where that is missing). */
  ocrLanguages?: string[];
  subject?: string;
  origins?: Record<string, string>;
  /** A mailbox: one expectation per message, in order. */
  messages?: Array<{ index: number; messageId?: string; accounts: string[]; contractNumbers?: string[] }>;
  notes?: string;
}

/** Every fixture's expected result, keyed by its path under fixtures/documents/. */
export function loadExpectations(): Record<string, Expectation> {
  const dir = join(ROOT, 'fixtures', 'expected');
  const all: Record<string, Expectation> = {};
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    Object.assign(all, JSON.parse(readFileSync(join(dir, name), 'utf8')));
  }
  return all;
}
