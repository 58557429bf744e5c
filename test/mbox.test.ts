import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSeparator, type MboxRange, mboxRanges, mboxSpans, mboxStarts, splitMbox } from '../src/mailbox/mbox.js';
import { readSpan } from '../src/scan/span.js';
import { DOCUMENTS } from './helpers.js';

async function split(text: string, chunk = 7) {
  const bytes = Buffer.from(text);
  // Small chunks, so separators and line ends fall across chunk edges.
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
    bytes.subarray(i * chunk, (i + 1) * chunk),
  );
  const out = [];
  for await (const m of splitMbox(chunks)) out.push({ index: m.index, text: m.bytes.toString() });
  return out;
}

const msg = (n: number, body: string) =>
  `From: bill${n}@rt.example\nSubject: ${n}\nMessage-ID: <${n}@rt.example>\n\n${body}\n`;

describe('splitMbox', () => {
  it('splits on separator lines and numbers messages from 0', async () => {
    const mbox = `From a@rt.example Thu Nov 20 10:00:00 2026\n${msg(1, 'one')}\nFrom b@rt.example Fri Nov 21 11:00:00 2026\n${msg(2, 'two')}`;
    const out = await split(mbox);
    expect(out.map((m) => m.index)).toEqual([0, 1]);
    expect(out[0]!.text).toBe(msg(1, 'one'));
    expect(out[1]!.text).toBe(msg(2, 'two'));
  });

  it('restores >From lines and keeps a body line starting with From that is no separator', async () => {
    const mbox = `From a@rt.example Thu Nov 20 10:00:00 2026\n${msg(1, 'text\n>From the account page: Л/С 1\n\nFrom the cabinet: see above')}`;
    const [m] = await split(mbox);
    expect(m!.text).toContain('\nFrom the account page: Л/С 1\n');
    expect(m!.text).toContain('\nFrom the cabinet: see above\n');
  });

  it('reads CRLF files, Thunderbird and Gmail Takeout separators', async () => {
    const crlf = `From - Thu Nov 20 10:00:00 2026\r\n${msg(1, 'a').replace(/\n/g, '\r\n')}\r\nFrom 1234567890123456789@xxx Thu Nov 20 10:00:00 +0000 2026\r\n${msg(2, 'b').replace(/\n/g, '\r\n')}`;
    expect((await split(crlf)).map((m) => m.index)).toEqual([0, 1]);
    expect(isSeparator(Buffer.from('From - Thu Nov 20 10:00:00 2026'))).toBe(true);
    expect(isSeparator(Buffer.from('From the account page: Лицевой счёт'))).toBe(false);
  });

  it('keeps a truncated last message and yields nothing for an empty file', async () => {
    const cut = `From a@rt.example Thu Nov 20 10:00:00 2026\n${msg(1, 'one')}\nFrom b@rt.example Fri Nov 21 11:00:00 2026\nFrom: x@rt.example\nSubj`;
    expect((await split(cut)).map((m) => m.index)).toEqual([0, 1]);
    expect(await split('')).toEqual([]);
  });

  it('cuts a message over maxMessageBytes and says so', async () => {
    const mbox = `From a@rt.example Thu Nov 20 10:00:00 2026\n${msg(1, 'x'.repeat(1000))}`;
    const out = [];
    for await (const m of splitMbox([Buffer.from(mbox)], { maxMessageBytes: 100 })) out.push(m);
    expect(out).toHaveLength(1);
    expect(out[0]!.truncated).toBe(true);
    expect(out[0]!.bytes.length).toBeLessThanOrEqual(100);
  });
});

describe('splitMbox on short quoted lines', () => {
  it('leaves a short line of > characters alone', async () => {
    const [m] = await split(`From a@rt.example Thu Nov 20 10:00:00 2026\n${msg(1, '>\n>>\n>Fro')}`);
    expect(m!.text).toContain('\n>\n>>\n>Fro\n');
  });
});

describe('separator lines', () => {
  it('need a time and a year, as every mbox writer puts them', () => {
    for (const line of [
      'From a@rt.example Thu Nov 20 10:00:00 2026',
      'From - Thu Nov 20 10:00:00 2026',
      'From 1234567890@xxx Thu Nov 20 10:00:00 +0000 2026',
      'From a@b Thu Nov 20 10:00 2026\r',
    ]) {
      expect(isSeparator(Buffer.from(line)), line).toBe(true);
    }
    for (const line of ['From the cabinet: Л/С 3600 0111 2223 05', 'From 2024 on, pay by 10:00', 'From here']) {
      expect(isSeparator(Buffer.from(line)), line).toBe(false);
    }
  });
});

describe('mboxStarts (the queue producer’s fast boundary scan)', () => {
  const chunked = (bytes: Buffer, size: number) =>
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  const starts = async (bytes: Buffer, size: number) => {
    const out = [];
    for await (const m of mboxStarts(chunked(bytes, size))) out.push([m.index, m.offset]);
    return out;
  };
  const split = async (bytes: Buffer) => {
    const out = [];
    for await (const m of splitMbox([bytes])) out.push([m.index, m.offset]);
    return out;
  };

  it('finds the messages splitMbox finds, at the same offsets, however the file is chunked', async () => {
    // Lines that are, nearly are, or are not separators, blank lines with and without CR, quoted From lines.
    const line = fc.constantFrom(
      'From a@rt.example Thu Nov 20 10:00:00 2026\n',
      'From a@rt.example Thu Nov 20 10:00:00 2026\r\n',
      'From - Thu Nov 20 10:00:00 2026\n',
      'From 1234567890@xxx Thu Nov 20 10:00:00 +0000 2026\n',
      'From the cabinet: Л/С 3600 0111 2223 33\n',
      'From a@rt.example no date\n',
      '>From a@rt.example Thu Nov 20 10:00:00 2026\n',
      'Subject: Счёт\n',
      'body text From a@rt.example Thu Nov 20 10:00:00 2026\n',
      '\n',
      '\r\n',
      '\r',
      'From a@rt.example Thu Nov 20 10:00:00 2026',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 90 }), async (lines, size) => {
        const bytes = Buffer.from(lines.join(''));
        expect(await starts(bytes, size)).toEqual(await split(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with splitMbox on the fixture mailbox', async () => {
    const mbox = readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox'));
    expect(await starts(mbox, 4096)).toEqual(await split(mbox));
  });
});

describe('mboxRanges (a large mailbox cut into queue jobs)', () => {
  const mbox = readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox'));

  it('cuts the file into back-to-back ranges that start at separators, numbered as a whole-file read', async () => {
    const messages: Array<[number, number]> = [];
    for await (const m of splitMbox([mbox])) messages.push([m.index, m.offset]);
    const ranges: MboxRange[] = [];
    for await (const r of mboxRanges([mbox], mbox.length, 2000)) ranges.push(r);
    expect(ranges.length).toBeGreaterThan(2);
    expect(ranges[0]!.start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(mbox.length);
    ranges.forEach((r, i) => {
      if (i > 0) expect(r.start).toBe(ranges[i - 1]!.end);
      expect(messages).toContainEqual([r.firstIndex, r.start]);
      if (i < ranges.length - 1) expect(r.end - r.start).toBeGreaterThanOrEqual(2000);
    });
  });

  it('hands out the first range before the whole file is read', async () => {
    let chunksRead = 0;
    async function* source() {
      for (let at = 0; at < mbox.length; at += 512) {
        chunksRead++;
        yield mbox.subarray(at, at + 512);
      }
    }
    for await (const r of mboxRanges(source(), mbox.length, 1000)) {
      expect(r.start).toBe(0);
      expect(chunksRead).toBeLessThan(Math.ceil(mbox.length / 512));
      break;
    }
  });
});

describe('mboxSpans + readSpan (a pool thread reads its messages itself)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rta-spans-'));
  const line = fc.constantFrom(
    'From a@rt.example Thu Nov 20 10:00:00 2026\n',
    'From a@rt.example Thu Nov 20 10:00:00 2026\r\n',
    'From - Thu Nov 20 10:00:00 2026\n',
    'From the cabinet: Л/С 3600 0111 2223 33\n',
    '>From a@rt.example Thu Nov 20 10:00:00 2026\n',
    '>>From a@rt.example Thu Nov 20 10:00:00 2026\n',
    'Subject: Счёт\n',
    'a longer line of body text, long enough to be cut by a small size limit\n',
    '\n',
    '\r\n',
    'From a@rt.example Thu Nov 20 10:00:00 2026',
  );

  it('gives every message the bytes, number and cut flag of a whole-file split', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom(40, 200, 64 * 1024 * 1024),
        async (lines, chunk, maxMessageBytes) => {
          const bytes = Buffer.from(lines.join(''));
          const path = join(dir, `m${run++}.mbox`);
          writeFileSync(path, bytes);
          const whole = [];
          for await (const m of splitMbox([bytes], { maxMessageBytes }))
            whole.push({ index: m.index, text: m.bytes.toString('latin1'), truncated: m.truncated });
          const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
            bytes.subarray(i * chunk, (i + 1) * chunk),
          );
          const read = [];
          const fd = openSync(path, 'r');
          try {
            for await (const span of mboxSpans(chunks, bytes.length)) {
              const file = { path, size: span.end - span.start, message: { ...span, fd, maxMessageBytes } };
              const m = await readSpan(file, path);
              read.push({ index: span.index, text: Buffer.from(m.bytes).toString('latin1'), truncated: m.truncated });
            }
          } finally {
            closeSync(fd);
          }
          expect(read).toEqual(whole);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('numbers a range of the file as a whole-file read does', async () => {
    const mbox = readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox'));
    const all = [];
    for await (const s of mboxSpans([mbox], mbox.length)) all.push(s);
    expect(all.length).toBeGreaterThan(3);
    const from = all[2]!;
    const to = all[4]!;
    const part = [];
    for await (const s of mboxSpans([mbox.subarray(from.start, to.start)], to.start, from.start, from.index))
      part.push(s);
    expect(part).toEqual(all.slice(2, 4));
  });

  it('says READ_FAILED, naming the document, when the file is gone or no longer holds one message there', async () => {
    const mbox = readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox'));
    const path = join(dir, 'fixture.mbox');
    writeFileSync(path, mbox);
    const name = `${path} › message 0`;
    const fd = openSync(path, 'r');
    const two = { path, size: mbox.length, message: { fd, start: 0, end: mbox.length, maxMessageBytes: 1 << 26 } };
    await expect(readSpan(two, name)).rejects.toMatchObject({
      code: 'READ_FAILED',
      message: `${name}: the mailbox changed while it was read`,
    });
    closeSync(fd);
    await expect(readSpan({ path: join(dir, 'gone.mbox'), size: 10 }, 'gone.mbox')).rejects.toMatchObject({
      code: 'READ_FAILED',
      message: 'gone.mbox: vanished (deleted or moved after the folder was listed)',
    });
  });
});
