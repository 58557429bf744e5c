// A document read once per scan (issue 24): the same bytes met again give the records a second read gives,
// with each occurrence's own names in origins, warnings and errors; a reading that failed fails again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExtractResult, extractSettled, nodeRuntime, readCache } from '../src/extract/index.js';
import { settle } from '../src/options.js';
import { DOCUMENTS } from './helpers.js';

const read = (path: string) => readFileSync(join(DOCUMENTS, path));

/** A real message carrying `pdf` as its attachment `name`, with a Message-ID of its own. */
function message(n: number, pdf: Uint8Array, name = 'bill.pdf'): Buffer {
  const b64 = Buffer.from(pdf).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      'From: bill@rt.example',
      'To: client@mail.example',
      `Subject: bill ${n}`,
      'Date: Fri, 20 Nov 2026 10:00:00 +0300',
      `Message-ID: <cache-${n}@rt.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="b-${n}"`,
      '',
      `--b-${n}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Счёт во вложении.',
      `--b-${n}`,
      `Content-Type: application/pdf; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      `--b-${n}--`,
      '',
    ].join('\r\n'),
  );
}

/** Each document read twice over: without a cache, and in order through one cache. */
async function bothWays(docs: Array<{ bytes: Uint8Array; name: string; kind?: 'email' }>) {
  const cache = readCache();
  const cached = nodeRuntime(undefined, cache);
  const plain = nodeRuntime();
  const withCache: ExtractResult[] = [];
  const without: ExtractResult[] = [];
  for (const doc of docs) {
    const options = settle({ filename: doc.name, ...(doc.kind ? { kind: doc.kind } : {}), explain: true });
    withCache.push(await extractSettled(doc.bytes, options, cached));
    without.push(await extractSettled(doc.bytes, options, plain));
  }
  return { withCache, without, cache };
}

describe('a repeated document is read once', () => {
  it('gives the records of a second read for a PDF bill attached to three messages', async () => {
    const pdf = read('pdf/bill-chromium.pdf');
    const docs = [1, 2, 3].map((n) => ({
      bytes: message(n, pdf),
      name: `box.mbox › message ${n}`,
      kind: 'email' as const,
    }));
    const { withCache, without, cache } = await bothWays(docs);
    expect(withCache).toEqual(without);
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(2);
    // Each record names its own message, and finds the bill's account.
    expect(withCache[2]!.messageId).toBe('<cache-3@rt.example>');
    expect(withCache[2]!.accounts.length).toBeGreaterThan(0);
    expect(withCache[2]!.accounts[0]!.origin).toMatch(/^attachment bill\.pdf › page 1/);
  });

  it('shares a reading in flight: messages read at once wait for one read', async () => {
    const pdf = read('pdf/label-beside-pdfkit.pdf');
    const cache = readCache();
    const runtime = nodeRuntime(undefined, cache);
    const names = [1, 2, 3, 4].map((n) => `box.mbox › message ${n}`);
    const results = await Promise.all(
      names.map((name, i) => extractSettled(message(i + 1, pdf), settle({ filename: name, kind: 'email' }), runtime)),
    );
    const again = await Promise.all(
      names.map((name, i) => extractSettled(message(i + 1, pdf), settle({ filename: name, kind: 'email' }))),
    );
    expect(results).toEqual(again);
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(3);
  });

  it('gives a document that failed its error again, under each name', async () => {
    const truncated = read('pdf/truncated.pdf');
    const encrypted = read('pdf/encrypted.pdf');
    const docs = [
      { bytes: truncated, name: 'a/truncated.pdf' },
      { bytes: truncated, name: 'b/copy of truncated.pdf' },
      { bytes: encrypted, name: 'a/encrypted.pdf' },
      { bytes: encrypted, name: 'c/encrypted.pdf' },
      { bytes: message(1, truncated, 'cut.pdf'), name: 'box.mbox › message 1', kind: 'email' as const },
      { bytes: message(2, truncated, 'cut.pdf'), name: 'box.mbox › message 2', kind: 'email' as const },
    ];
    const { withCache, without, cache } = await bothWays(docs);
    expect(withCache).toEqual(without);
    expect(cache.hits).toBe(3);
    expect(withCache[1]!.error?.code).toBe('PDF_INVALID');
    expect(withCache[1]!.error?.message).toMatch(/^b\/copy of truncated\.pdf: /);
    expect(withCache[3]!.error?.code).toBe('PDF_ENCRYPTED');
    expect(withCache[3]!.error?.message).toMatch(/^c\/encrypted\.pdf: /);
    const warning = withCache[5]!.warnings.find((w) => w.code === 'ATTACHMENT_UNREADABLE');
    expect(warning?.message).toContain('box.mbox › message 2 › attachment cut.pdf');
    expect(warning?.message).not.toContain('message 1');
  });

  it('reads again under other options, and keeps to its bounds', async () => {
    const pdf = read('pdf/bill-chromium.pdf');
    const other = read('pdf/contract-libreoffice.pdf');
    const cache = readCache({ entries: 1, chars: 1 << 20 });
    const runtime = nodeRuntime(undefined, cache);
    const run = (bytes: Uint8Array, options = {}) =>
      extractSettled(bytes, settle({ filename: 'x.pdf', ...options }), runtime);
    await run(pdf);
    await run(pdf, { maxPages: 1 }); // another option: another reading
    await run(other); // pushes the first readings out (one entry kept)
    await run(pdf);
    expect(cache.hits).toBe(0);
    expect(cache.misses).toBe(4);
    await run(pdf);
    expect(cache.hits).toBe(1);
  });
});
