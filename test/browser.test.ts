/**
 * The browser build in a real browser (Debian's Chromium through playwright-core), as a web developer and
 * as a subscriber meet it: an app that installs the packed package and bundles it with esbuild, and the
 * demo page. Skipped with the install command where no Chromium is found (failed with CI=true).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '../scripts/static-server.js';
import { extract as extractOnNode } from '../src/index.js';
import { type Bundle, bundle, type InstalledApp, installPacked, kb } from './browser/app.js';
import { launchChromium } from './browser/chromium.js';
import { DOCUMENTS, loadExpectations } from './helpers.js';
import { needs, requires } from './requires.js';

const expected = loadExpectations();

/** Requests the page made; a test asserts they all stayed on its own origin. */
function recordRequests(page: Page, origin: string): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    requests.push(request.url());
  });
  // Anything else is blocked too, so a stray request cannot leave the machine even while a test fails.
  void page.route(
    (url) => url.origin !== origin,
    (route) => route.abort('blockedbyclient'),
  );
  return requests;
}

const sameOrigin = (origin: string) => (url: string) => url.startsWith(`${origin}/`) || url === origin;

describe('an app bundled for the browser with esbuild', () => {
  needs(requires.chromium);
  let app: InstalledApp;
  let full: Bundle;
  let valid: Bundle;
  let withLocate: Bundle;
  let split: Bundle;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!requires.chromium.available) return;
    app = installPacked();
    // What the issue tried: the three functions, from the package's main entry, under the `browser` condition.
    full = await bundle(
      app.dir,
      'app',
      `import { isValidAccount, locate, extract } from 'rostelecom-account';
globalThis.readDocuments = async (paths) => {
  const results = {};
  for (const path of paths) {
    const bytes = new Uint8Array(await (await fetch('/docs/' + path)).arrayBuffer());
    results[path] = await extract(bytes, { filename: path.split('/').pop(), explain: true });
  }
  return {
    valid: isValidAccount('3600 0111 2223 33'),
    located: locate('Оплата по л/с 3600 0111 2223 33').accounts.map((a) => a.number),
    results,
  };
};`,
    );
    valid = await bundle(
      app.dir,
      'valid',
      `import { isValidAccount } from 'rostelecom-account'; globalThis.ok = isValidAccount('36000111222333');`,
    );
    withLocate = await bundle(
      app.dir,
      'locate',
      `import { isValidAccount, locate } from 'rostelecom-account'; globalThis.f = (t) => isValidAccount(t) && locate(t);`,
    );
    split = await bundle(
      app.dir,
      'split',
      `import { isValidAccount, locate, extract } from 'rostelecom-account'; globalThis.f = [isValidAccount, locate, extract];`,
      { splitting: true },
    );
    writeFileSync(
      join(app.dir, 'public', 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="/app/app.js"></script>',
    );
    server = await serveStatic({ '/': join(app.dir, 'public'), '/docs/': DOCUMENTS });
    browser = await launchChromium();
    const entry = split.files.find((f) => f.path.endsWith('/split.js'))!;
    const rows: Array<[string, { bytes: number; gzip: number }]> = [
      ['isValidAccount', valid],
      ['isValidAccount + locate', withLocate],
      ['+ extract, one file (pdf.js inlined)', full],
      ['+ extract, split: loaded at start', entry],
      ['+ extract, split: all chunks', split],
    ];
    const table = rows.map(
      ([what, b]) => `  ${what.padEnd(40)} ${kb(b.bytes).padStart(10)} min ${kb(b.gzip).padStart(10)} gzip`,
    );
    console.info(`bundle sizes (esbuild --minify, ${app.install}):\n${table.join('\n')}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('bundles only validation when only isValidAccount is imported: no pdf.js, no HTML parser', () => {
    expect(valid.inputs.filter((i) => /pdfjs-dist|htmlparser2|postal-mime/.test(i))).toEqual([]);
    expect(valid.bytes).toBeLessThan(50 * 1024);
    expect(withLocate.inputs.filter((i) => /pdfjs-dist|htmlparser2/.test(i))).toEqual([]);
    expect(withLocate.bytes).toBeLessThan(50 * 1024);
    // The full app does carry pdf.js (inlined), and with code splitting it is a chunk loaded on the first PDF.
    expect(full.inputs.some((i) => i.includes('pdfjs-dist/build/pdf.worker.mjs'))).toBe(true);
    const entry = split.files.find((f) => f.path.endsWith('/split.js'))!;
    expect(entry.bytes).toBeLessThan(full.bytes / 5);
  });

  it('finds the account in a text, an HTML table and a PDF contract, with no set-up call, as on Node', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page, server.url);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => 'readDocuments' in globalThis);
    const paths = [
      'text/note.txt',
      'text/receipt-cp1251.txt',
      'text/receipt-koi8r.txt',
      'text/note-utf16le.txt',
      'html/cabinet-my-services.html',
      'html/cabinet-cp1251.html',
      'html/bill.html',
      ...readdirSync(join(DOCUMENTS, 'pdf'))
        .filter((f) => f !== 'scanned-image-only.pdf')
        .map((f) => `pdf/${f}`),
    ];
    const got = await page.evaluate(
      (p) => (globalThis as unknown as { readDocuments(p: string[]): Promise<unknown> }).readDocuments(p),
      paths,
    );
    const { valid, located, results } = got as {
      valid: boolean;
      located: string[];
      results: Record<string, Awaited<ReturnType<typeof extractOnNode>>>;
    };
    expect(valid).toBe(true);
    expect(located).toEqual(['36000111222333']);
    // The three: a text, an HTML table, a PDF contract.
    expect(results['text/note.txt']!.accounts.map((a) => a.number)).toEqual(expected['text/note.txt']!.accounts);
    expect(results['html/cabinet-my-services.html']!.accounts.map((a) => a.number)).toEqual(
      expected['html/cabinet-my-services.html']!.accounts,
    );
    const contract = results['pdf/contract-libreoffice.pdf']!;
    expect(contract.kind).toBe('pdf');
    expect(contract.accounts.map((a) => a.number)).toEqual(expected['pdf/contract-libreoffice.pdf']!.accounts);
    expect(contract.contractNumbers.map((c) => c.number)).toEqual(
      expected['pdf/contract-libreoffice.pdf']!.contractNumbers,
    );
    expect(contract.accounts[0]!.origin).toBe('page 3');
    // Every document: the very record Node makes (accounts with their places, warnings, errors, the
    // explain view's blocks and rejected candidates).
    for (const path of paths) {
      const onNode = await extractOnNode(await import('node:fs').then((fs) => fs.readFileSync(join(DOCUMENTS, path))), {
        filename: path.split('/').pop()!,
        explain: true,
      });
      expect(results[path], path).toEqual(JSON.parse(JSON.stringify(onNode)));
    }
    expect(results['pdf/encrypted.pdf']!.error?.code).toBe('PDF_ENCRYPTED');
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(paths.length);
    expect(requests.filter((url) => !sameOrigin(server.url)(url))).toEqual([]);
    await page.close();
  }, 60_000);

  it('says what needs Node: a scanned page (OCR), an image, and reads no further', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page, server.url);
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => 'readDocuments' in globalThis);
    const { results } = (await page.evaluate(() =>
      (globalThis as unknown as { readDocuments(p: string[]): Promise<unknown> }).readDocuments([
        'pdf/scanned-image-only.pdf',
        'ocr/photo-bill.jpg',
      ]),
    )) as { results: Record<string, Awaited<ReturnType<typeof extractOnNode>>> };
    const scan = results['pdf/scanned-image-only.pdf']!;
    expect(scan.error).toBeNull();
    expect(scan.warnings.map((w) => w.code)).toEqual(['OCR_UNAVAILABLE', 'NO_TEXT_LAYER']);
    expect(results['ocr/photo-bill.jpg']!.error?.code).toBe('NODE_ONLY');
    expect(requests.filter((url) => !sameOrigin(server.url)(url))).toEqual([]);
    await page.close();
  }, 60_000);
});
