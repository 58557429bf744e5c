/**
 * Outlook .msg files (src/extract/msg.ts) on msgreader's own 43 test files (../shared/samples/msg, real
 * files nobody here wrote): every one is read or refused with a typed error, embedded messages come
 * out as attachments that are themselves readable, and an ANSI store is decoded in its locale's code page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMsg } from '../src/extract/email/msg.js';
import { needs, requires, SAMPLES } from './requires.js';

const dir = join(SAMPLES, 'msg');

describe('Outlook .msg', () => {
  needs(requires.samples);

  it('reads every sample file of msgreader: a subject or a body for each, no exception', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.msg'));
    expect(files.length).toBeGreaterThanOrEqual(43);
    for (const f of files) {
      const m = readMsg(readFileSync(join(dir, f)), f);
      expect(m.subject !== null || m.text !== null, f).toBe(true);
    }
  });

  it('a message inside a message inside a message: each level is an attachment that reads', () => {
    const outer = readMsg(readFileSync(join(dir, 'test_msgInMsgInMsg.msg')), 'outer.msg');
    const inner = outer.attachments.find((a) => a.name.endsWith('.msg'))!;
    expect(inner.name).toBe('I have attachments!.msg');
    const middle = readMsg(inner.bytes, inner.name);
    expect(middle.subject).toBe('I have attachments!');
    const innermost = middle.attachments.find((a) => a.name.endsWith('.msg'))!;
    expect(readMsg(innermost.bytes, innermost.name).text).toMatch(/\S/);
  });

  it('an ANSI store is decoded in the code page of its locale (CP932 here; cp1251 for Russian)', () => {
    const m = readMsg(readFileSync(join(dir, 'test_nonUnicodeCP932.msg')), 'cp932.msg');
    expect(m.subject).toBe('日本語 Non Unicode タイトル');
    expect(m.text).toContain('日本語 Non Unicode 本文');
  });

  it('bytes that are no Outlook message are EMAIL_INVALID, naming the document', () => {
    let error: unknown;
    try {
      readMsg(new TextEncoder().encode('not a compound file'), 'attachment x.msg');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'EMAIL_INVALID', message: expect.stringMatching(/^attachment x\.msg: /) });
  });
});
