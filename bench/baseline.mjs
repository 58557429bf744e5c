// The script a developer would write instead of using this package: the whole mailbox in memory,
// split on "From " lines, each message through mailparser, each PDF attachment through pdf-parse,
// one regular expression, one message after another. Prints its counts as JSON.
// Usage: node bench/baseline.mjs MAILBOX.mbox
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';

const file = process.argv[2];
const t0 = process.hrtime.bigint();
const text = readFileSync(file, 'latin1');
const raw = text.split(/\n(?=From \S+ )/);
const ACCOUNT = /(?:лицев\S*\s+сч[её]т\S*|л\/с|лс|persacc=)[\s:№#-]*((?:\d[\s\u00a0-]?){13}\d)(?!\d)/giu;

let accounts = 0;
let messages = 0;
let pdfPages = 0;
for (const chunk of raw) {
  if (!chunk.startsWith('From ')) continue;
  messages++;
  const mail = await simpleParser(Buffer.from(chunk.slice(chunk.indexOf('\n') + 1), 'latin1'));
  let body = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ') : ''}`;
  for (const attachment of mail.attachments) {
    if (attachment.contentType === 'application/pdf') {
      const parser = new PDFParse({ data: attachment.content });
      const result = await parser.getText();
      pdfPages += result.total;
      body += `\n${result.text}`;
      await parser.destroy();
    }
  }
  const found = new Set();
  for (const m of body.matchAll(ACCOUNT)) found.add(m[1].replace(/\D/g, ''));
  accounts += found.size;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ messages, accounts, pdfPages, seconds }));
