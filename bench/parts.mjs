// The floor under any scan built on this stack: the CPU that the MIME parser (postal-mime, as `scan` runs it)
// and pdf-parse alone spend on a bench mailbox, one message after another, nothing else; and mailparser (the
// baseline's parser, and the Node parser before session 12) on the same messages, for comparison.
// Usage: node bench/parts.mjs MAILBOX.mbox   (make one with `npm run bench` or bench/make-mailbox.mjs)
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import PostalMime from 'postal-mime';

const text = readFileSync(process.argv[2], 'latin1');
const messages = text
  .split(/\n(?=From \S+ )/)
  .filter((chunk) => chunk.startsWith('From '))
  .map((chunk) => Buffer.from(chunk.slice(chunk.indexOf('\n') + 1), 'latin1'));
const options = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true };

async function timed(what, work) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const count = await work();
  const cpu = process.cpuUsage(c0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${what}: ${count} in ${seconds.toFixed(2)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s`);
}

const pdfs = [];
await timed('postal-mime, every message', async () => {
  for (const raw of messages) {
    const mail = await PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
    for (const a of mail.attachments) if (a.mimeType === 'application/pdf') pdfs.push(new Uint8Array(a.content));
  }
  return messages.length;
});
await timed('mailparser, every message', async () => {
  for (const raw of messages) await simpleParser(raw, options);
  return messages.length;
});
await timed('pdf-parse, every PDF attachment', async () => {
  for (const data of pdfs) {
    const parser = new PDFParse({ data });
    await parser.getText();
    await parser.destroy();
  }
  return pdfs.length;
});
