// The floor under any scan built on this stack: the CPU that mailparser (with its HTML conversions off, as
// `scan` runs it) and pdf-parse alone spend on a bench mailbox, one message after another, nothing else.
// Usage: node bench/parts.mjs MAILBOX.mbox   (make one with `npm run bench` or bench/make-mailbox.mjs)
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';

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
await timed('mailparser, every message', async () => {
  for (const raw of messages) {
    const mail = await simpleParser(raw, options);
    for (const a of mail.attachments) if (a.contentType === 'application/pdf') pdfs.push(a.content);
  }
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
