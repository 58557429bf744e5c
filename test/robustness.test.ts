import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { breakLongLines } from '../src/extract/pipeline.js';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { needs, requires } from './requires.js';

/** message/rfc822 nested `depth` levels deep around `inner`. */
function nest(inner: string, depth: number): string {
  let message = inner;
  for (let i = 0; i < depth; i++) {
    message = `From: f${i}@mail.example\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\nContent-Type: message/rfc822\r\n\r\n${message}\r\n--n${i}--\r\n`;
  }
  return message;
}

const ACCOUNT_MSG =
  'From: bill@rt.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nЛ/С 3600 0111 2223 01\r\n';

/** Every hostile input of the robustness issue, generated into one folder. */
function hostileFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rta-hostile-'));
  writeFileSync(join(dir, 'nested-400.eml'), nest(ACCOUNT_MSG, 400));
  const parts = Array.from(
    { length: 5000 },
    (_, i) =>
      `--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\npart ${i}${i === 4999 ? ' Л/С 3600 0111 2223 02' : ''}\r\n`,
  );
  writeFileSync(
    join(dir, 'parts-5000.eml'),
    `From: a@rt.example\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts.join('')}--b--\r\n`,
  );
  const alt = readFileSync(join(DOCUMENTS, 'email', 'alternative-utf8.eml'), 'latin1');
  writeFileSync(join(dir, 'unterminated.eml'), alt.slice(0, alt.lastIndexOf('--=')), 'latin1');
  const koi = readFileSync(join(DOCUMENTS, 'email', 'text-koi8r-base64.eml'), 'latin1');
  writeFileSync(join(dir, 'bad-base64.eml'), koi.replace(/\r\n\r\n([A-Za-z0-9+/]{40})/, '\r\n\r\n$1!!**'), 'latin1');
  const mixed = readFileSync(join(DOCUMENTS, 'email', 'mixed-pdf-bill.eml'), 'latin1');
  writeFileSync(join(dir, 'cut-pdf-attachment.eml'), mixed.slice(0, Math.floor(mixed.length * 0.6)), 'latin1');
  const words = 'lorem ipsum dolor sit amet 12 345 '.repeat(450_000);
  writeFileSync(join(dir, 'one-line-30mb.txt'), `${words} Л/С 3600 0111 2223 03 ${words}`);
  writeFileSync(join(dir, 'junk.txt'), Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919 + 13) % 256)));
  writeFileSync(join(dir, 'zeros.pdf'), Buffer.alloc(1024 * 1024));
  const pdf = readFileSync(join(DOCUMENTS, 'pdf', 'label-beside-pdfkit.pdf'), 'latin1');
  writeFileSync(join(dir, 'claims-100000-pages.pdf'), pdf.replace(/\/Count 1\b/, '/Count 100000'), 'latin1');
  writeFileSync(
    join(dir, 'damaged.mbox'),
    [
      'From a@rt.example Thu Nov 20 10:00:00 2026\r\n\r\nno headers at all, Л/С 3600 0111 2223 04\r\n',
      'From b@rt.example Thu Nov 20 10:00:01 2026\r\nFrom: b@rt.example\r\nSubject: from line\r\n\r\nbody\r\n\r\nFrom the cabinet: Л/С 3600 0111 2223 05\r\n',
      'From c@rt.example Thu Nov 20 10:00:02 2026\r\nFrom: c@rt.example\r\nSubject: cut\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nЛ/С 3600 0111 2223 06\r\n--x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK',
    ].join('\r\n'),
  );
  writeFileSync(join(dir, 'empty.mbox'), '');
  mkdirSync(join(dir, 'empty folder'));
  mkdirSync(join(dir, 'loop'));
  symlinkSync('..', join(dir, 'loop', 'back'));
  writeFileSync(join(dir, 'Счёт за ноябрь (копия).txt'), 'Лицевой счёт 3600 0111 2223 07');
  return dir;
}

/** The parts of a record these tests look at. */
interface HostileRecord {
  source: string;
  kind: string;
  accounts: Array<{ number: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads error fields of records it just asserted to have one
  error: any;
  warnings: Array<{ code: string; message: string }>;
}

describe('a scan over hostile input', () => {
  let dir: string;
  let result: {
    code: number | null;
    stdout: string;
    stderr: string;
    records: HostileRecord[];
  };
  beforeAll(() => {
    dir = hostileFolder();
    const r = spawnSync(process.execPath, [CLI, 'scan', '--timeout', '20000', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    result = {
      code: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      records: r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    };
  }, 150_000);

  const of = (name: string) => result.records.filter((r) => r.source.endsWith(name));
  const numbers = (name: string) => of(name).flatMap((r) => r.accounts.map((a: { number: string }) => a.number));

  it('finishes by itself, exits 0 or 3, prints no stack trace', () => {
    expect([0, 3]).toContain(result.code);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/^rostelecom-account: \d+ documents/m);
  });

  it('gives every file its record', () => {
    const files = readdirSync(dir).filter((n) => !['empty folder', 'loop'].includes(n));
    for (const name of files) expect(of(name).length, name).toBeGreaterThan(0);
    expect(of('damaged.mbox')).toHaveLength(3);
    expect(result.records.some((r) => r.error?.message.includes('loop'))).toBe(true);
  });

  it('still finds the accounts readable in the damaged files', () => {
    expect(numbers('parts-5000.eml')).toEqual(['36000111222302']);
    expect(numbers('one-line-30mb.txt')).toEqual(['36000111222303']);
    expect(numbers('damaged.mbox').sort()).toEqual(['36000111222304', '36000111222305', '36000111222306']);
    expect(numbers('Счёт за ноябрь (копия).txt')).toEqual(['36000111222307']);
    expect(numbers('unterminated.eml')).toEqual(['41001111222201']);
  });

  it('types every failure and every limit it hit', () => {
    expect(of('nested-400.eml')[0]!.warnings.map((w: { code: string }) => w.code)).toContain('MIME_TOO_DEEP');
    expect(of('junk.txt')[0]!.error.code).toBe('UNSUPPORTED_FORMAT');
    expect(of('zeros.pdf')[0]!.error.code).toBe('PDF_INVALID');
    // pdf.js checks /Count against the page tree it walks, so the lie costs nothing; maxPages bounds any that gets through.
    expect(of('claims-100000-pages.pdf')[0]!.error).toBeNull();
    expect(numbers('claims-100000-pages.pdf')).toEqual(['77001122334455']);
    expect(of('cut-pdf-attachment.eml')[0]!.warnings.map((w: { code: string }) => w.code)).toContain(
      'ATTACHMENT_UNREADABLE',
    );
    expect(of('bad-base64.eml')[0]!.warnings.map((w: { code: string }) => w.code)).toContain('MIME_BAD_BASE64');
    expect(of('one-line-30mb.txt')[0]!.warnings.map((w: { code: string }) => w.code)).toEqual(['LINE_TOO_LONG']);
  });
});

describe('breakLongLines', () => {
  it('breaks at spaces, keeping every offset', () => {
    const text = 'aaaa bbbb cccc dddd';
    const r = breakLongLines(text, 10);
    expect(r.text.replace(/\n/g, ' ')).toBe(text);
    expect(r.text.split('\n').every((l) => l.length <= 10)).toBe(true);
  });
  it('breaks hard where there is no space', () => {
    const r = breakLongLines('x'.repeat(25), 10);
    expect(r.text.split('\n').map((l) => l.length)).toEqual([10, 10, 5]);
  });
  it('leaves short lines alone', () => {
    expect(breakLongLines('a\nb', 10)).toEqual({ text: 'a\nb', broken: 0 });
  });
});

describe('real files nobody here wrote (../shared/peers)', () => {
  needs(requires.peers);

  // With the default flags a user runs (OCR in auto, with the language data .ci/run installs): this scan
  // once stalled for ever on pdf.js's test files while every text-less page went to OCR.
  it('records every file within two minutes and 1 GiB with the default flags, reading at least the 886 PDFs pdf.js can', () => {
    const peers = join(ROOT, '..', 'shared', 'peers');
    const usage = join(mkdtempSync(join(tmpdir(), 'rta-peers-')), 'usage.json');
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      ['--require', join(ROOT, 'bench', 'report-usage.cjs'), CLI, 'scan', '-q', peers],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, BENCH_USAGE_FILE: usage },
        timeout: 180_000,
      },
    );
    const seconds = (Date.now() - t0) / 1000;
    expect([0, 3]).toContain(r.status);
    expect(r.stderr).toBe('');
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const files = ['pdfjs', 'mail'].flatMap((d) => readdirSync(join(peers, d)).map((n) => join(peers, d, n)));
    for (const file of files)
      expect(
        records.some((x) => x.source === file),
        file,
      ).toBe(true);
    const pdfsRead = records.filter((x) => x.source.includes('/pdfjs/') && x.error === null).length;
    expect(pdfsRead).toBeGreaterThanOrEqual(886);
    for (const x of records.filter((x) => x.error))
      expect(x.error.code).toMatch(/^(PDF_INVALID|PDF_ENCRYPTED|OUT_OF_MEMORY|TIMEOUT)$/);
    // Only the bomb goes over the memory budget: documents stopped beside it are read again on their own.
    for (const x of records.filter((x) => x.error?.code === 'OUT_OF_MEMORY'))
      expect(x.source).toMatch(/bomb_giant\.pdf$/);
    // OCR in auto reads the pages without text only where they carry a scanned picture, not pdf.js's
    // drawings and colour tests…
    const said = (x: { warnings: Array<{ code: string; message: string }> }, code: string) =>
      x.warnings.some((w) => w.code === code && w.message.includes('read with OCR'));
    expect(records.filter((x) => said(x, 'NO_TEXT_LAYER')).length).toBeLessThanOrEqual(5);
    // …and the pages whose text layer is no language and no scan under it (symbol and dingbat fonts, fonts
    // without a Unicode map, GBK read as Latin-1: 11 documents of pdf.js's corpus), each said so by name.
    const replaced = records.filter((x) => said(x, 'OCR_TEXT_LAYER_REPLACED'));
    expect(replaced.length).toBeLessThanOrEqual(14);
    for (const x of replaced)
      expect(x.warnings.find((w: { code: string }) => w.code === 'OCR_TEXT_LAYER_REPLACED').message).toContain(
        'the text layer is not language',
      );
    expect(seconds).toBeLessThan(120);
    expect(JSON.parse(readFileSync(usage, 'utf8')).maxRssKiB / 1024).toBeLessThan(1024);
  }, 200_000);
});
