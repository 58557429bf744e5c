import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatAccount } from '../src/account.js';
import { tableOptions } from '../src/cli/output.js';
import { renderTable, shorten } from '../src/cli/table.js';
import type { ScanRecord } from '../src/scan/scan.js';
import { CLI, loadExpectations, ROOT } from './helpers.js';

const ESC = '\u001b';

function record(
  source: string,
  accounts: Array<[number: string, label: string, origin: string]>,
  extra: Partial<ScanRecord> = {},
): ScanRecord {
  return {
    source,
    kind: 'text',
    accounts: accounts.map(([number, label, origin]) => ({
      number,
      raw: number,
      label,
      origin,
      index: 0,
      line: 1,
      confidence: 0.93,
    })),
    contractNumbers: [],
    warnings: [],
    error: null,
    ...extra,
  } as ScanRecord;
}

/** The display column at which `needle` starts on `line`. */
const columnOf = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));

const RECORDS = [
  record('архив/Счёт за ноябрь.txt', [['36000111222333', 'Лицевой счёт', 'text']]),
  record('archive/請求書_東京.txt', [['36000111222334', 'Л/С', 'text']]), // wide: 2 columns a character
  record('archive/Пе\u0301рвый.txt', [['36000111222335', 'ЛС', 'text']]), // a combining accent: 0 columns
  record('archive/mail.mbox', [['36000111222336', 'Akun pribadi pelanggan', 'attachment Счёт_ноябрь.pdf › page 1']], {
    index: 12,
    contractNumbers: [
      { number: 'RT-2021/196597', raw: 'RT-2021/196597', label: 'Договор №', origin: 'text', index: 0, line: 1 },
    ],
  } as Partial<ScanRecord>),
];

describe('the table', () => {
  it('aligns every column by display width, whatever the script', () => {
    const [header, rule, ...rows] = renderTable(RECORDS, { width: 200, color: false }).trimEnd().split('\n');
    expect(header).toMatch(/^Document +Account +Label +Found in +Conf\. +Contract$/);
    expect(rule).toMatch(/^─+$/);
    expect(rows).toHaveLength(4);
    for (const [i, number] of [
      '3600 0111 2223 33',
      '3600 0111 2223 34',
      '3600 0111 2223 35',
      '3600 0111 2223 36',
    ].entries()) {
      expect(columnOf(rows[i]!, number), rows[i]).toBe(columnOf(header!, 'Account'));
      expect(columnOf(rows[i]!, '0.93'), rows[i]).toBe(columnOf(header!, 'Conf.'));
    }
    expect(columnOf(rows[3]!, 'RT-2021/196597')).toBe(columnOf(header!, 'Contract'));
    expect(rows[3]).toMatch(/^archive\/mail\.mbox #12 /);
  });

  it('says the common folder once and shows each document under it', () => {
    const lines = renderTable(
      [record('fixtures/documents/text/note.txt', []), record('fixtures/documents/pdf/bill.pdf', [])],
      { width: 100, color: false },
    ).split('\n');
    expect(lines[0]).toBe('in fixtures/documents/');
    expect(lines[3]).toMatch(/^text\/note\.txt +—$/);
  });

  it('shortens a long path in the middle, keeping its start and its file name', () => {
    const long = `${'/very/long/folder/name'.repeat(8)}/счёт-за-ноябрь.pdf`;
    const lines = renderTable([record(long, [['36000111222333', 'Л/С', 'page 1']]), record('other/x.txt', [])], {
      width: 100,
      color: false,
    }).split('\n');
    const row = lines.find((l) => l.includes('3600 0111 2223 33'))!;
    expect(row).toMatch(/^\/very\/long\/.*….*ноябрь\.pdf {2}3600/);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(100);
  });

  it('fits 60 columns: each document on a line of its own, its rows under it', () => {
    const lines = renderTable(RECORDS, { width: 60, color: false }).trimEnd().split('\n');
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
    const header = lines[0]!;
    expect(header.trimStart()).toMatch(/^Account +Label +Found in +Conf\. +Contract$/);
    expect(lines).toContain('archive/mail.mbox #12');
    for (const number of ['3600 0111 2223 33', '3600 0111 2223 34', '3600 0111 2223 35']) {
      const row = lines.find((l) => l.includes(number))!;
      expect(columnOf(row, number)).toBe(columnOf(header, 'Account'));
    }
  });

  it('shortens with display width: wide characters and combining marks', () => {
    expect(shorten('請求書_東京_2026年11月.pdf', 12, 'middle')).toBe('請求…月.pdf'); // 4 + 1 + 6 columns: 月 would not fit
    expect(stringWidth(shorten('請求書_東京_2026年11月.pdf', 11, 'end'))).toBeLessThanOrEqual(11);
    expect(shorten('Пе\u0301рвый.txt', 10)).toBe('Пе\u0301рвый.txt'); // 10 columns: the accent takes none
    expect(shorten('Пе\u0301рвый.txt', 4)).toBe('Пе\u0301р…'); // never cut between a letter and its accent
  });

  it('says errors and warnings in the document’s words, without its name', () => {
    const lines = renderTable(
      [
        record('pdf/encrypted.pdf', [], {
          error: {
            code: 'PDF_ENCRYPTED',
            message: 'pdf/encrypted.pdf: the PDF is encrypted; pass its password (--password)',
          },
        }),
        record('pdf/long.pdf', [['36000111222333', 'Л/С', 'page 1']], {
          warnings: [{ code: 'MAX_PAGES', message: 'pdf/long.pdf: only the first 200 of 250 pages were read' }],
        }),
      ],
      { width: 120, color: false },
    ).split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^encrypted\.pdf +— +error: the PDF is encrypted; pass its password \(--password\)$/),
    );
    const warning = lines.find((l) => l.includes('only the first 200'))!;
    expect(warning.trim()).toBe('only the first 200 of 250 pages were read');
    expect(columnOf(warning, 'only')).toBe(columnOf(lines[1]!, 'Account'));
  });

  it('says a hint about this machine (no OCR) once, with the install command, not on every document', () => {
    const message = (name: string) =>
      `${name}: no OCR language data (rus.traineddata and eng.traineddata) in /usr/share/tesseract-ocr/5/tessdata; install it (Debian: apt-get install tesseract-ocr-rus tesseract-ocr-eng) or name the folder with --ocr-lang-path`;
    const scans = ['a.pdf', 'b.pdf', 'c.png'].map((name) =>
      record(`scans/${name}`, [], {
        warnings: [
          { code: 'OCR_UNAVAILABLE', message: message(`scans/${name}`) },
          {
            code: 'NO_TEXT_LAYER',
            message: `scans/${name}: no page has a text layer (a scan?); nothing could be read there without OCR`,
          },
        ],
      }),
    );
    const out = renderTable(scans, { width: 100, color: false });
    expect(out.match(/apt-get install/g)).toHaveLength(1);
    expect(out).toContain('Note: 3 documents had scans or pictures that were not read: no OCR language data');
    expect(out.match(/scan not read: no OCR here \(see the note below\)/g)).toHaveLength(3);
    expect(out).not.toContain('text layer');
  });

  it('colours only when asked, and never lets a control character through', () => {
    const hostile = [
      record('a.txt', [
        ['36000111222333', `Л/С${ESC}[2J`, 'attachment \u202Eevil.pdf'],
        ['36000111222334', 'ЛС', 'text'],
      ]),
    ];
    expect(renderTable(hostile, { width: 100, color: false })).not.toContain(ESC);
    expect(renderTable(hostile, { width: 100, color: false })).not.toContain('\u202E');
    const coloured = renderTable(hostile, { width: 100, color: true });
    expect(coloured).toContain(`${ESC}[1m3600 0111 2223 33${ESC}[22m`);
    expect(coloured).not.toContain(`${ESC}[2J`);
  });

  it('shows masked accounts as they are', () => {
    const out = renderTable([record('a.txt', [['3600 **** **** 33', 'Л/С', 'text']])], { width: 100, color: false });
    expect(out).toContain('3600 **** **** 33');
  });
});

describe('width and colours of the terminal', () => {
  const tty = { isTTY: true, columns: 90, hasColors: () => true } as unknown as NodeJS.WriteStream;
  const pipe = {} as NodeJS.WriteStream;
  it('takes COLUMNS first, then the terminal, and sets no limit for a pipe', () => {
    expect(tableOptions(tty, {}).width).toBe(90);
    expect(tableOptions(tty, { COLUMNS: '60' }).width).toBe(60);
    expect(tableOptions(pipe, {}).width).toBe(Number.POSITIVE_INFINITY);
    expect(tableOptions(pipe, { COLUMNS: '60' }).width).toBe(60);
  });
  it('colours a colour terminal unless NO_COLOR; FORCE_COLOR colours even a pipe', () => {
    expect(tableOptions(tty, {}).color).toBe(true);
    expect(tableOptions(tty, { NO_COLOR: '1' }).color).toBe(false);
    expect(tableOptions(tty, { FORCE_COLOR: '0' }).color).toBe(false);
    expect(tableOptions(pipe, {}).color).toBe(false);
    expect(tableOptions(pipe, { FORCE_COLOR: '1' }).color).toBe(true);
  });
});

describe('rostelecom-account scan on a terminal', () => {
  // stdout is a pipe here; this makes the CLI believe it is a terminal, as it is under `npm start`.
  const asTerminal = ['--import', 'data:text/javascript,Object.defineProperty(process.stdout,"isTTY",{value:true})'];
  const scan = (args: string[], vars: Record<string, string> = {}, node: string[] = asTerminal) => {
    const env = { ...process.env, ...vars };
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'COLUMNS']) if (!(name in vars)) delete env[name];
    const r = spawnSync(process.execPath, [...node, CLI, 'scan', ...args], { cwd: ROOT, encoding: 'utf8', env });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('shows the table by default, NDJSON when piped or with --out', () => {
    const table = scan(['-q', 'fixtures/documents/text'], { COLUMNS: '120' });
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^Document +Account +Label +Found in +Conf\. +Contract$/);
    expect(table.stdout).toMatch(/^note\.txt +3700 1234 5600 01 +Л\/С +text +0\.93$/m);
    const piped = scan(['-q', 'fixtures/documents/text'], {}, []);
    expect(JSON.parse(piped.stdout.split('\n')[0]!)).toMatchObject({
      source: 'fixtures/documents/text/article-about-account.txt',
    });
  });

  it('fits COLUMNS=60, every fixture account still shown', () => {
    // The fixtures that need no OCR, so that the expected accounts hold on any machine.
    const msg = ['bill-text-body', 'bill-html-body', 'bill-pdf-attached'].map((f) => `msg/${f}.msg`);
    const dirs = ['archive', 'email', 'html', 'office', 'pdf', 'text'];
    const r = scan(['-q', ...[...dirs, ...msg].map((d) => `fixtures/documents/${d}`)], {
      COLUMNS: '60',
    });
    expect(r.code).toBe(3); // the broken PDFs
    for (const line of r.stdout.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
    const scanned = (name: string) => msg.includes(name) || dirs.some((d) => name.startsWith(`${d}/`));
    const expected = Object.entries(loadExpectations())
      .filter(([name, e]) => !e.ocrLanguages && scanned(name))
      .flatMap(([, e]) => [...e.accounts, ...(e.messages ?? []).flatMap((m) => m.accounts)]);
    expect(expected.length).toBeGreaterThan(40);
    for (const number of expected) expect(r.stdout).toContain(formatAccount(number));
  });

  it('colours only a colour terminal: not with NO_COLOR, not into a pipe, and when FORCE_COLOR says so', () => {
    expect(scan(['-q', 'fixtures/documents/text'], { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(scan(['-q', '--format', 'table', 'fixtures/documents/text'], {}, []).stdout).not.toContain(ESC);
    expect(scan(['-q', 'fixtures/documents/text'], { FORCE_COLOR: '1' }).stdout).toContain(`${ESC}[1m`);
  });

  it('masks accounts with --redact', () => {
    const r = scan(['-q', '--redact', 'fixtures/documents/text']);
    expect(r.stdout).toContain('3700 **** **** 01');
    expect(r.stdout).not.toMatch(/\d{4} \d{4} \d{4}|\d{12}/);
  });

  it('writes the table to a file with --out --format table', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rta-table-')), 'accounts.txt');
    expect(scan(['-q', '--format', 'table', '--out', out, 'fixtures/documents/text/note.txt']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^note\.txt +3700 1234 5600 01/m);
  });
});
