// extract(string) reads the string as it is (issue 24), where its UTF-8 decoded again gives it back: the
// results are those of its bytes, read as the kind the string was read as.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { decodeText } from '../src/extract/text/read.js';
import { readsBack, utf8Length } from '../src/extract/text/string.js';
import { DOCUMENTS } from './helpers.js';

const fixtureTexts = ['text', 'html'].flatMap((dir) =>
  readdirSync(join(DOCUMENTS, dir))
    .filter((n) => /\.(txt|html?|csv|md)$/i.test(n))
    .map((n) => ({ name: `${dir}/${n}`, text: decodeText(readFileSync(join(DOCUMENTS, dir, n))).text })),
);

const edges = [
  '',
  '\uFEFFЛицевой счёт 1234 5678 9012 34',
  'Лицевой счёт 12345678901234 \uD83D\uDE00',
  'Лицевой счёт 12345678901234 \uD83D',
  'a\0b\0c\0d\0e\0f\0 Лицевой счёт 12345678901234',
  '<html><body><p>Лицевой счёт: 1234 5678 9012 34</p></body></html>',
  `${'x'.repeat(65535)}\uD83D\uDE00 Лицевой счёт 12345678901234`,
];

describe('extract(string)', () => {
  it('gives what the bytes of the string give', async () => {
    const cases = [...fixtureTexts, ...edges.map((text, i) => ({ name: `edge ${i}`, text }))];
    expect(cases.length).toBeGreaterThan(15);
    let direct = 0;
    for (const { name, text } of cases) {
      if (readsBack(text)) direct++;
      const fromString = await extract(text, { filename: name, explain: true });
      const bytes = new TextEncoder().encode(text);
      const fromBytes = await extract(bytes, { filename: name, explain: true, kind: fromString.kind });
      expect(fromString, name).toEqual(fromBytes);
    }
    expect(direct).toBeGreaterThan(cases.length / 2);
  });

  it('counts UTF-8 bytes for maxBytes as the encoder does', async () => {
    for (const text of edges) if (readsBack(text)) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    const result = await extract('Лицевой', { maxBytes: 13 });
    expect(result.error?.code).toBe('TOO_LARGE');
    expect(result.error?.message).toContain('14 bytes');
  });
});
