/**
 * Outlook .msg files (src/extract/msg.ts) on msgreader's own 43 test files (../shared/samples/msg, real
 * files nobody here wrote): every one is read or refused with a typed error, embedded messages come
 * out as attachments that are themselves readable, an ANSI store is decoded in its locale's code page, and
 * each one read end to end (extractFile) gives a record with no error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMsg } from '../src/extract/email/msg.js';
import { extractFile } from '../src/index.js';
import { DOCUMENTS } from './helpers.js';
import { needs, requires, SAMPLES } from './requires.js';

const dir = join(SAMPLES, 'msg');

describe('Outlook .msg', () => {
  needs(requires.samples);

  it('reads every sample file of msgreader: a subject or a body for each, no exception', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.msg'));
    expect(files.length).toBeGreaterThanOrEqual(43);
    for (const f of files) {
      const m = await readMsg(readFileSync(join(dir, f)), f);
      expect(m.subject !== null || m.text !== null, f).toBe(true);
    }
  });

  it('reads every sample file end to end as a user would (extractFile): a record, never an error, never silent', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.msg'));
    for (const f of files) {
      const r = await extractFile(join(dir, f), { ocr: 'off' });
      expect(r.error ?? null, f).toBeNull();
      expect(r.kind, f).toBe('msg');
      // Every warning names the document (and the part inside it) it is about.
      for (const w of r.warnings)
        expect(w.message.startsWith(`${join(dir, f)}: `) || w.message.startsWith(`${join(dir, f)} › `), w.message).toBe(
          true,
        );
    }
  }, 120_000);

  it('a message inside a message inside a message: each level is an attachment that reads', async () => {
    const outer = await readMsg(readFileSync(join(dir, 'test_msgInMsgInMsg.msg')), 'outer.msg');
    const inner = outer.attachments.find((a) => a.name.endsWith('.msg'))!;
    expect(inner.name).toBe('I have attachments!.msg');
    const middle = await readMsg(inner.bytes, inner.name);
    expect(middle.subject).toBe('I have attachments!');
    const innermost = middle.attachments.find((a) => a.name.endsWith('.msg'))!;
    expect((await readMsg(innermost.bytes, innermost.name)).text).toMatch(/\S/);
  });

  it('an ANSI store is decoded in the code page of its locale (CP932 here; cp1251 for Russian)', async () => {
    const m = await readMsg(readFileSync(join(dir, 'test_nonUnicodeCP932.msg')), 'cp932.msg');
    expect(m.subject).toBe('日本語 Non Unicode タイトル');
    expect(m.text).toContain('日本語 Non Unicode 本文');
  });

  it('bytes that are no Outlook message are EMAIL_INVALID, naming the document', async () => {
    let error: unknown;
    try {
      await readMsg(new TextEncoder().encode('not a compound file'), 'attachment x.msg');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'EMAIL_INVALID', message: expect.stringMatching(/^attachment x\.msg: /) });
  });
});

// Made from the samples by fixtures/make/msg/make-msg.mjs (the expected accounts are in fixtures/expected/msg.json).
describe('Outlook .msg with a bill', () => {
  const msg = (file: string) => join(DOCUMENTS, 'msg', file);

  it('reads the account in the text body, in the windows-1251 HTML body and in an attached PDF, saying where', async () => {
    const found = async (file: string) =>
      (await extractFile(msg(file), { ocr: 'off' })).accounts.map((a) => [a.number, a.origin]);
    expect(await found('bill-text-body.msg')).toEqual([['52001234567801', 'text body']]);
    expect(await found('bill-html-body.msg')).toEqual([['52001234567802', 'html body']]);
    expect(await found('bill-pdf-attached.msg')).toEqual([['36000111222333', 'attachment Счёт_ноябрь.pdf › page 1']]);
  });

  it('leaves the pictures beside an account given in text, naming each with its type and why', async () => {
    const r = await extractFile(msg('bill-pdf-attached.msg'), { explain: true });
    expect(r.warnings.map((w) => w.message.replace(/^.*? › /, ''))).toEqual([
      'attachment png.png (image/png): not read (a picture, and the message gives its account in text)',
      'attachment tif.tif (image/tiff): not read (a picture, and the message gives its account in text)',
    ]);
    expect(r.parts!.map((p) => [p.path, p.read])).toEqual([
      ['text body', true],
      ['attachment Счёт_ноябрь.pdf', true],
      ['attachment png.png', false],
      ['attachment tif.tif', false],
    ]);
  });

  it('reads an attached photo with OCR when the text gives no account, as mail does', async (ctx) => {
    requires.ocr.check(ctx);
    const r = await extractFile(msg('photo-attached.msg'));
    expect(r.accounts.map((a) => [a.number, a.origin])).toEqual([['36000111222333', 'attachment IMG_2041.jpg (OCR)']]);
    const off = await extractFile(msg('photo-attached.msg'), { ocr: 'off' });
    expect(off.accounts).toEqual([]);
    expect(off.warnings.map((w) => w.code)).toEqual(['PART_SKIPPED']);
    expect(off.warnings[0]!.message).toContain(
      'attachment IMG_2041.jpg (image/jpeg): not read (a picture, and OCR is off)',
    );
  });
});
