import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { structureWarnings } from '../src/extract/email/read.js';
import { extract, extractFile } from '../src/index.js';
import { CLI, DOCUMENTS } from './helpers.js';

const eml = (name: string) => join(DOCUMENTS, 'email', name);
const raw = (name: string) => readFileSync(eml(name), 'latin1');
const numbers = (r: { accounts: Array<{ number: string }> }) => r.accounts.map((a) => a.number);
const codes = (r: { warnings: Array<{ code: string }> }) => r.warnings.map((w) => w.code);

/** Wraps a message into `depth` levels of forwarded-as-attachment messages (message/rfc822). */
function nest(inner: string, depth: number): string {
  let message = inner;
  for (let i = 0; i < depth; i++) {
    message = [
      `From: fwd${i}@mail.example`,
      'To: x@mail.example',
      `Subject: Fwd ${i}`,
      `Message-ID: <fwd${i}@mail.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="b${i}"`,
      '',
      `--b${i}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Пересылаю',
      `--b${i}`,
      'Content-Type: message/rfc822',
      '',
      message,
      `--b${i}--`,
      '',
    ].join('\r\n');
  }
  return message;
}

describe('email messages', () => {
  it('reads both alternatives and reports each number once, with the message identity', async () => {
    const r = await extractFile(eml('alternative-utf8.eml'));
    expect(r.kind).toBe('email');
    expect(numbers(r)).toEqual(['41001111222201']);
    expect(r).toMatchObject({
      messageId: '<fixture-01.alternative-utf8@rt.example>',
      subject: 'Счёт за ноябрь 2026',
      date: '2026-11-20T07:00:00.000Z',
    });
    expect(r.from).toContain('bill@rt.example');
  });

  it('reads a PDF attachment by its RFC 2231 name, page by page', async () => {
    const r = await extractFile(eml('mixed-pdf-bill.eml'));
    expect(r.accounts[0]).toMatchObject({ number: '36000111222333', origin: 'attachment Счёт_ноябрь.pdf › page 1' });
    expect(r.contractNumbers.map((c) => c.number)).toEqual(['6002/26667']);
  });

  it('reads Windows-1251 quoted-printable and KOI8-R base64 bodies', async () => {
    expect(numbers(await extractFile(eml('text-cp1251-qp.eml')))).toEqual(['41001111222204']);
    expect(numbers(await extractFile(eml('text-koi8r-base64.eml')))).toEqual(['41001111222205']);
  });

  it('tells a message by its content, whatever the file is called', async () => {
    const r = await extract(readFileSync(eml('html-only.eml')), { filename: 'receipt.txt' });
    expect(r.kind).toBe('email');
    expect(numbers(r)).toEqual(['41001111222203']);
  });

  it('reads messages forwarded as attachments recursively, and stops at maxMimeDepth', async () => {
    const inner = raw('html-only.eml');
    const deep = Buffer.from(nest(inner, 3), 'latin1');
    const r = await extract(deep);
    expect(r.accounts[0]).toMatchObject({
      number: '41001111222203',
      origin: 'forwarded message › forwarded message › forwarded message › html body',
    });
    const tooDeep = await extract(deep, { maxMimeDepth: 2 });
    expect(numbers(tooDeep)).toEqual([]);
    expect(codes(tooDeep)).toContain('MIME_TOO_DEEP');
  });

  it('keeps a message whose multipart never closes, with a warning', async () => {
    const text = raw('alternative-utf8.eml');
    const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
    const r = await extract(Buffer.from(text.slice(0, text.lastIndexOf(`--${boundary}--`)), 'latin1'));
    expect(r.error).toBeNull();
    expect(numbers(r)).toEqual(['41001111222201']);
    expect(codes(r)).toEqual(['MIME_UNTERMINATED']);
  });

  it('keeps a message with damaged base64, with a warning', async () => {
    const text = raw('text-koi8r-base64.eml').replace(/\r\n\r\n([A-Za-z0-9+/]{40})/, '\r\n\r\n$1!!**');
    const r = await extract(Buffer.from(text, 'latin1'));
    expect(r.error).toBeNull();
    expect(codes(r)).toEqual(['MIME_BAD_BASE64']);
  });

  it('keeps a message whose PDF attachment was cut short, naming the attachment', async () => {
    const text = raw('mixed-pdf-bill.eml');
    const r = await extract(Buffer.from(text.slice(0, Math.floor(text.length * 0.6)), 'latin1'), {
      filename: 'cut.eml',
    });
    expect(r.error).toBeNull();
    expect(r.subject).toBe('Счёт за ноябрь 2026 (PDF)');
    expect(codes(r)).toEqual(['ATTACHMENT_UNREADABLE', 'MIME_UNTERMINATED']);
    expect(r.warnings[0]!.message).toContain('PDF_INVALID');
    expect(r.warnings[0]!.message).toContain('Счёт_ноябрь.pdf');
  });

  it('gives EMAIL_INVALID only when nothing at all is readable', async () => {
    const r = await extract(Buffer.alloc(0), { kind: 'email', filename: 'empty.eml' });
    expect(r.error).toMatchObject({ code: 'EMAIL_INVALID' });
    expect(r.error!.message).toContain('empty.eml');
  });
});

describe('mailboxes through the CLI', () => {
  it('gives every message of an mbox its own record, with index and messageId', () => {
    const r = spawnSync(process.execPath, [CLI, 'scan', eml('mailbox.mbox')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(records.every((x) => x.source.endsWith('mailbox.mbox') && x.kind === 'email' && x.messageId)).toBe(true);
    expect(records[2].accounts.map((a: { number: string }) => a.number)).toEqual(['41001111222209']);
    expect(Object.keys(records[0]).slice(0, 3)).toEqual(['source', 'index', 'kind']);
  });

  it('reads a Maildir message by message and skips tmp/', () => {
    const r = spawnSync(process.execPath, [CLI, 'scan', eml('maildir')], { encoding: 'utf8' });
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    expect(records.flatMap((x) => x.accounts.map((a: { number: string }) => a.number)).sort()).toEqual([
      '36000111222333',
      '41001111222205',
      '41001111222208',
    ]);
  });
});

describe('structureWarnings (MIME damage a reader should hear of)', () => {
  /** The first version, line by line: the oracle for the faster one. */
  function lineByLine(raw: string): boolean {
    let inBase64 = false;
    let inHeaders = true;
    for (const line of raw.split(/\r?\n/)) {
      if (line.startsWith('--')) {
        inHeaders = true;
        inBase64 = false;
      } else if (inHeaders && line === '') inHeaders = false;
      else if (inHeaders && /^content-transfer-encoding:\s*base64/i.test(line)) inBase64 = true;
      else if (!inHeaders && inBase64 && line !== '' && !/^[A-Za-z0-9+/=\s]*$/.test(line)) return true;
    }
    return false;
  }

  it('finds a damaged base64 body exactly where reading line by line does', () => {
    const line = fc.constantFrom(
      'Content-Type: multipart/mixed; boundary="b"',
      'Content-Transfer-Encoding: base64',
      'content-transfer-encoding:base64',
      'Content-Transfer-Encoding: quoted-printable',
      'Subject: x',
      '',
      '--b',
      '--b--',
      'QUJDREVGR0g=',
      'QUJD REVG',
      'QUJD*REVG',
      'Л/С 3600 0111 2223 33',
      '-not a boundary',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const raw = lines.join(eol);
        const codes = structureWarnings(Buffer.from(raw, 'latin1'), 'x.eml').map((w) => w.code);
        expect(codes.includes('MIME_BAD_BASE64')).toBe(lineByLine(raw));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maxMimeParts, in the browser build as on Node', () => {
  const message = (parts: number) =>
    [
      'From: bill@rt.example',
      'Subject: parts',
      'Message-ID: <parts@rt.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      ...Array.from({ length: parts }, (_, i) => [
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        i === 0 ? 'Лицевой счёт 3600 0111 2223 02' : `part ${i}`,
      ]).flat(),
      '--b--',
      '',
    ].join('\r\n');

  it('cuts a message of too many parts with MIME_TOO_MANY_PARTS and reads the parts before the cut', async () => {
    const { extract: extractInBrowser } = await import('../src/extract/browser.js');
    for (const [parts, cut] of [
      [40, true],
      [5, false],
    ] as const) {
      const bytes = Buffer.from(message(parts));
      const browser = await extractInBrowser(bytes, { filename: 'parts.eml', maxMimeParts: 10, explain: true });
      const node = await extract(bytes, { filename: 'parts.eml', kind: 'email', maxMimeParts: 10 });
      expect(browser.warnings.map((w) => w.code).includes('MIME_TOO_MANY_PARTS'), `${parts} parts`).toBe(cut);
      expect(codes(node).includes('MIME_TOO_MANY_PARTS'), `${parts} parts`).toBe(cut);
      expect(browser.kind).toBe('email');
      expect(browser.blocks!.map((b) => b.text).join('\n')).toContain('3600 0111 2223 02');
      expect(numbers(node)).toEqual(['36000111222302']);
    }
  });
});

describe('the Date header', () => {
  const message = (date: string) =>
    Buffer.from(
      [
        'From: bill@rt.example',
        `Date: ${date}`,
        'Subject: bill',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Лицевой счёт 3600 0111 2223 02',
        '',
      ].join('\r\n'),
    );

  it('is the date it says, or null when it does not parse (never the time of reading: a rescan must give the same record)', async () => {
    const good = await extract(message('Tue, 01 Dec 2026 10:00:00 +0300'), { filename: 'bill.eml' });
    expect(good.date).toBe('2026-12-01T07:00:00.000Z');
    const bad = await extract(message('the first of December'), { filename: 'bill.eml' });
    expect(bad.date).toBeNull();
    expect(numbers(bad)).toEqual(['36000111222302']);
  });
});
