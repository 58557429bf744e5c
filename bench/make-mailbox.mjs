// Generates a large mbox from the fixtures, for the benchmark: every message gets its own invented
// account number, and one message in eleven carries a PDF bill whose bytes are unique (a comment is
// appended after %%EOF), so no cache keyed by content can skip work.
// Usage: node bench/make-mailbox.mjs OUT.mbox SIZE_MIB [--bill-runs N [--same-bills]] [--append FIRST]
//   → writes OUT.mbox and OUT.mbox.json (counts)
// --bill-runs N: every bill comes N times in a row (after each ten plain messages, N bill messages, where
// the default mailbox has one), each with bytes of its own; with --same-bills the N bills of a run are the
// same bytes (a bill forwarded, replied to, saved again): the two mailboxes differ only there, which is
// what a cache by content saves.
// --append FIRST: appends SIZE_MIB of messages numbered from FIRST (the mailbox grown by new mail, for
// `bench/run.mjs --incremental`).
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';

const [out, sizeArg, ...flags] = process.argv.slice(2);
const append = flags.includes('--append');
const firstArg = append ? flags[flags.indexOf('--append') + 1] : undefined;
if (!out || !sizeArg) {
  console.error('usage: node bench/make-mailbox.mjs OUT.mbox SIZE_MIB [--bill-runs N [--same-bills]] [--append FIRST]');
  process.exit(2);
}
const runs = flags.includes('--bill-runs') ? Number(flags[flags.indexOf('--bill-runs') + 1]) : 1;
const sameBills = flags.includes('--same-bills');
const target = Number(sizeArg) * 1024 * 1024;
const root = new URL('../fixtures/documents/', import.meta.url);
const crlfToLf = (s) => s.replace(/\r\n/g, '\n');
const templates = [
  'alternative-utf8.eml',
  'html-only.eml',
  'text-cp1251-qp.eml',
  'text-koi8r-base64.eml',
  'indonesian.eml',
  'forwarded-inline.eml',
  'negative-shop-order.eml',
  'negative-bank.eml',
].map((name) => crlfToLf(readFileSync(new URL(`email/${name}`, root), 'latin1')));
const pdf = readFileSync(new URL('pdf/label-beside-pdfkit.pdf', root));
// An HTML bill with its plain-text alternative, as billing systems send them (the bulk of a real export).
// Real billing mail carries kilobytes of inline CSS for mail clients; it is parsed and thrown away.
const css = Array.from(
  { length: 140 },
  (_, i) =>
    `.c${i} td{padding:${i % 9}px;font:13px/1.4 Arial,sans-serif;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`,
).join('\n');
const billHtml = readFileSync(new URL('html/bill.html', root), 'utf8').replace(
  '</head>',
  `<style>\n${css}\n</style></head>`,
);
templates.push(...[0, 1, 2].map(() => null)); // three in eleven plain messages are HTML bills

// The fixtures' own account numbers, and the account printed in the PDF (77001122334455).
const ACCOUNT = /41001111222\d{3}/;

function account(n) {
  return `7${String(n).padStart(13, '0')}`;
}

function htmlBill(n) {
  const html = Buffer.from(billHtml.replace(/3900(&nbsp;| )2000(&nbsp;| )3000(&nbsp;| )44/g, account(n)))
    .toString('base64')
    .replace(/.{76}/g, '$&\n');
  const text = Buffer.from(`Лицевой счёт ${account(n)}\nСчёт за ноябрь 2026. К оплате 780,00 руб.\n`).toString(
    'base64',
  );
  return [
    'From: bill@rt.example',
    'To: client@mail.example',
    'Subject: =?utf-8?b?0KHRh9GR0YIg0LfQsCDQvdC+0Y/QsdGA0Yw=?=',
    'Date: Fri, 20 Nov 2026 10:00:00 +0300',
    `Message-ID: <bench-html-${n}@rt.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="a-${n}"`,
    '',
    `--a-${n}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    text,
    `--a-${n}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    html,
    `--a-${n}--`,
    '',
  ].join('\n');
}

function plainMessage(n) {
  const template = templates[n % templates.length];
  if (template === null) return htmlBill(n);
  // Replace the fixture's account (if any) with a unique one; the quoted-printable and base64 bodies
  // keep theirs (they are encoded), which still gives each a real, readable account.
  return template.replace(/Message-ID: <[^>]+>/i, `Message-ID: <bench-${n}@rt.example>`).replace(ACCOUNT, account(n));
}

function pdfMessage(n) {
  // In a run of the same bill, the run's first message gives the bytes (numbered alike: same length).
  const bill = sameBills ? n - (n % (10 + runs)) + 10 : n;
  const label = runs > 1 ? String(bill).padStart(7, '0') : String(n); // the default mailbox as before
  const bytes = Buffer.concat([pdf, Buffer.from(`\n%bench-${label}\n`)]);
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\n');
  return [
    'From: =?utf-8?b?0KDQvtGB0YLQtdC70LXQutC+0Lw=?= <bill@rt.example>',
    'To: client@mail.example',
    'Subject: =?utf-8?b?0KHRh9GR0YIg0LfQsCDQvdC+0Y/QsdGA0Yw=?=',
    'Date: Fri, 20 Nov 2026 10:00:00 +0300',
    `Message-ID: <bench-pdf-${n}@rt.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="b-${n}"`,
    '',
    `--b-${n}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Счёт во вложении.',
    `--b-${n}`,
    'Content-Type: application/pdf; name="bill.pdf"',
    'Content-Disposition: attachment; filename="bill.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    `--b-${n}--`,
    '',
  ].join('\n');
}

const stream = createWriteStream(out, { flags: append ? 'a' : 'w' });
let bytes = 0;
let messages = append ? Number(firstArg) : 0;
const first = messages;
let pdfs = 0;
while (bytes < target) {
  const isPdf = messages % (10 + runs) >= 10;
  const body = isPdf ? pdfMessage(messages) : plainMessage(messages);
  const chunk = `From bench@rt.example Fri Nov 20 10:00:00 2026\n${body.replace(/^(>*From )/gm, '>$1')}\n`;
  if (!stream.write(chunk, 'latin1')) await new Promise((r) => stream.once('drain', r));
  bytes += Buffer.byteLength(chunk, 'latin1');
  messages++;
  if (isPdf) pdfs++;
}
await new Promise((r) => stream.end(r));
if (append) {
  console.log(JSON.stringify({ out, appended: bytes, messages: messages - first, pdfs }));
} else {
  writeFileSync(`${out}.json`, JSON.stringify({ bytes, messages, pdfs, pdfPages: pdfs }));
  console.log(JSON.stringify({ out, bytes, messages, pdfs }));
}
