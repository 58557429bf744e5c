/**
 * The browser build in a real browser (Debian's Chromium through playwright-core), as a web developer and
 * as a subscriber meet it: an app that installs the packed package and bundles it with esbuild, and the
 * demo page. Skipped with the install command where no Chromium is found (failed with CI=true).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CSP, DEMO_DIST } from '../demo/build.js';
import { type StaticServer, serveStatic } from '../scripts/static-server.js';
import { extract as extractOnNode } from '../src/index.js';
import { type Bundle, bundle, type InstalledApp, installPacked, kb } from './browser/app.js';
import { launchChromium } from './browser/chromium.js';
import { DOCUMENTS, loadExpectations, ROOT } from './helpers.js';
import { needs, requires } from './requires.js';

const expected = loadExpectations();

/** Every message of the fixtures (the single .eml files; mailboxes and maildirs are Node-only). */
/** The fixture files under `dir` (its subfolders too), as paths from DOCUMENTS. */
const filesIn = (dir: string) =>
  readdirSync(join(DOCUMENTS, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(DOCUMENTS, dir, f)).isFile())
    .sort()
    .map((f) => `${dir}/${f}`);

// Pictures in mail are read with OCR on Node; browsers have none (they say so in a warning instead).
const EMAILS = filesIn('email').filter((f) => f.endsWith('.eml') && !f.startsWith('email/pictures/'));

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
    if (app) rmSync(app.dir, { recursive: true, force: true });
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
      ...filesIn('text'),
      ...filesIn('html'),
      ...filesIn('archive'),
      // Word 97 (.doc) is read only on Node (NODE_ONLY in browsers).
      ...filesIn('office').filter((f) => !f.endsWith('.doc')),
      'unknown/random-bytes.txt',
      ...readdirSync(join(DOCUMENTS, 'pdf'))
        .filter((f) => f !== 'scanned-image-only.pdf')
        .map((f) => `pdf/${f}`),
      ...EMAILS,
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
      const onNode = await extractOnNode(readFileSync(join(DOCUMENTS, path)), {
        filename: path.split('/').pop()!,
        explain: true,
      });
      const want = JSON.parse(JSON.stringify(onNode));
      expect(results[path], path).toEqual(want);
    }
    expect(results['pdf/encrypted.pdf']!.error?.code).toBe('PDF_ENCRYPTED');
    expect(results['unknown/random-bytes.txt']!.error?.code).toBe('UNSUPPORTED_FORMAT');
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

describe('the demo page', () => {
  needs(requires.chromium);
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!requires.chromium.available) return;
    execFileSync('npm', ['run', '--silent', 'demo:build'], { cwd: ROOT, stdio: 'pipe' });
    server = await serveStatic({ '/': DEMO_DIST }, { headers: { 'content-security-policy': DEMO_CSP } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reads a contract PDF, a saved bill and an email, shows accounts apart from contract numbers, explains, speaks English, and sends nothing', async () => {
    const page = await browser.newPage();
    const requests = recordRequests(page, server.url);
    const logged: string[] = [];
    page.on('console', (message) => logged.push(message.text()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('[data-test="privacy"]').isVisible()).toBe(true);
    expect(await page.locator('[data-test="privacy"]').textContent()).toMatch(/ничего не отправляет в сеть/);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(
      /default-src 'self'.*connect-src 'none'/,
    );

    const files = ['pdf/contract-libreoffice.pdf', 'html/bill.html', 'email/html-only.eml'];
    await page.setInputFiles(
      '[data-test="files"]',
      files.map((f) => join(DOCUMENTS, f)),
    );
    await page.waitForSelector(`[data-test="results"][data-done="${files.length}"]`, { timeout: 30_000 });

    const shown = await page.$$eval('[data-test="document"]', (articles) =>
      articles.map((article) => ({
        file: article.getAttribute('data-file'),
        error: article.querySelector('[data-test="error"]')?.getAttribute('data-code') ?? null,
        accounts: [...article.querySelectorAll('[data-test="account"]')].map((a) => ({
          number: a.getAttribute('data-number'),
          formatted: a.querySelector('[data-test="number"]')?.textContent,
          label: a.querySelector('[data-test="label"]')?.textContent,
          origin: a.querySelector('[data-test="origin"]')?.getAttribute('data-origin'),
          where: a.querySelector('[data-test="origin"]')?.textContent,
          confidence: a.querySelector('[data-test="confidence"]')?.textContent,
          marked: a.querySelector('[data-test="context"] mark')?.textContent,
        })),
        contracts: [...article.querySelectorAll('[data-test="contract"]')].map((c) => c.getAttribute('data-number')),
      })),
    );
    expect(shown.map((d) => d.file).sort()).toEqual(files.map((f) => f.split('/').pop()).sort());
    for (const path of files) {
      const want = expected[path]!;
      const doc = shown.find((d) => d.file === path.split('/').pop())!;
      expect(doc.error, path).toBeNull();
      expect(
        doc.accounts.map((a) => a.number),
        path,
      ).toEqual(want.accounts);
      expect(doc.contracts, path).toEqual(want.contractNumbers);
      for (const account of doc.accounts) {
        expect(account.formatted).toBe(account.number!.replace(/^(\d{4})(\d{4})(\d{4})(\d+)$/, '$1 $2 $3 $4'));
        expect(account.label).not.toBe('');
        expect(account.confidence).toMatch(/^(0|[1-9]\d?|100) %$/);
        // The surrounding text, with the number itself marked as printed.
        expect(account.marked?.replace(/\D/g, '')).toBe(account.number);
      }
      // The contract number is never shown as an account.
      for (const contract of doc.contracts) expect(doc.accounts.map((a) => a.number)).not.toContain(contract);
    }
    const contract = shown.find((d) => d.file === 'contract-libreoffice.pdf')!.accounts[0]!;
    expect(contract.origin).toBe('page 3');
    expect(contract.where).toBe('страница 3');
    const email = shown.find((d) => d.file === 'html-only.eml')!.accounts[0]!;
    expect(email.origin).toBe('html body');

    // «Почему не найдено?»: the text that was read, and the numbers turned down with their reasons.
    const bill = page.locator('[data-test="document"][data-file="bill.html"]');
    expect(await bill.locator('[data-test="explain"]').count()).toBe(0);
    await bill.locator('[data-test="explain-toggle"]').click();
    await bill.locator('[data-test="explain"]').waitFor();
    expect(await bill.locator('[data-test="block"]').first().textContent()).toMatch(/3900 2000 3000 44|39002000300044/);
    const rejectedCodes = await bill
      .locator('[data-test="rejected"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(rejectedCodes.length).toBeGreaterThan(0);
    expect(await bill.locator('[data-test="explain-toggle"]').textContent()).toBe('Скрыть подробности');

    // English.
    await page.locator('[data-test="lang"]').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('[data-test="privacy"]').textContent()).toMatch(/sends nothing over the network/);
    expect(await bill.locator('[data-test="explain-toggle"]').textContent()).toBe('Hide details');
    expect(
      await page
        .locator('[data-test="document"][data-file="contract-libreoffice.pdf"] [data-test="origin"]')
        .first()
        .textContent(),
    ).toBe('page 3');
    expect(await page.locator('[data-test="lang"]').textContent()).toBe('Русский');

    expect(errors).toEqual([]);
    // Nothing went beyond the page's own files, and no account number reached the console.
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((url) => !sameOrigin(server.url)(url))).toEqual([]);
    expect(logged.filter((text) => /\d{4}\D?\d{4}\D?\d{4}/.test(text))).toEqual([]);
    await page.close();
  }, 60_000);
});
