/**
 * The browser build decodes with `extract/text/browser.ts` (TextDecoder) where Node uses `extract/text/node.ts` (iconv-lite,
 * Buffer): both must give the same strings and bytes, or a document would read differently in a browser.
 * Node's TextDecoder has the same tables as browsers' for these charsets (but Windows-1252, which the
 * browser codec writes out), so this runs here; test/browser.test.ts checks whole records in Chromium.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/extract/text/browser.js';
import * as node from '../src/extract/text/node.js';
import { DOCUMENTS } from './helpers.js';

const CHARSETS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'koi8-r', 'windows-1252'] as const;
const runs = Number(process.env.FUZZ_RUNS ?? 300);

describe('the browser codec', () => {
  it('decodes every byte of every single-byte table as iconv-lite does (U+FFFD where the table has none)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const charset of ['windows-1251', 'koi8-r', 'windows-1252'] as const) {
      expect(browser.decodeBytes(all, charset), charset).toBe(node.decodeBytes(all, charset));
    }
    expect(browser.decodeBytes(Uint8Array.of(0x98), 'windows-1251')).toBe('\uFFFD');
    expect(browser.decodeBytes(Uint8Array.of(0x80, 0x81), 'windows-1252')).toBe('€\uFFFD');
  });

  it('decodes random bytes in every charset, validates UTF-8 and reads latin1 as Node does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...CHARSETS), (bytes, charset) => {
        expect(browser.decodeBytes(bytes, charset)).toBe(node.decodeBytes(bytes, charset));
        expect(browser.isUtf8(bytes)).toBe(node.isUtf8(bytes));
        expect(browser.utf8(bytes)).toBe(node.utf8(bytes));
        expect(browser.latin1(bytes)).toBe(node.latin1(bytes));
      }),
      { numRuns: runs },
    );
  });

  it('keeps what iconv-lite keeps: byte-order marks dropped, lone surrogates kept, an odd last byte dropped', () => {
    const cases: Array<[Uint8Array, (typeof CHARSETS)[number]]> = [
      [Uint8Array.of(0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8), 'utf-16le'],
      [Uint8Array.of(0xfe, 0xff, 0x00, 0x41, 0xd8), 'utf-16be'],
      [Uint8Array.of(0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xe0, 0x80, 0x41, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98), 'utf-8'],
    ];
    for (const [bytes, charset] of cases)
      expect(browser.decodeBytes(bytes, charset)).toBe(node.decodeBytes(bytes, charset));
    expect(browser.utf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe('\uFEFFA');
  });

  it('reads base64 as Node does: other characters skipped, URL-safe letters taken, the first = ends it', () => {
    for (const text of ['QUJD!REVG', 'QU JD\r\nREVG=QUJD', 'QUJDRA', '-_-_', '', '====', '0JvQuNGG0LXQstC+0Lk=']) {
      expect([...browser.base64(text)], text).toEqual([...node.base64(text)]);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect([...browser.base64(text)]).toEqual([...node.base64(text)]);
        expect([...browser.latin1Bytes(text)]).toEqual([...node.latin1Bytes(text)]);
      }),
      { numRuns: runs },
    );
  });

  it('decodes every text fixture the same way', () => {
    for (const name of readdirSync(join(DOCUMENTS, 'text'))) {
      const bytes = readFileSync(join(DOCUMENTS, 'text', name));
      for (const charset of CHARSETS) {
        expect(browser.decodeBytes(bytes, charset), `${name} as ${charset}`).toBe(node.decodeBytes(bytes, charset));
      }
    }
  });
});
