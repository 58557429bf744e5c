// The OCR script a developer would write instead: one tesseract.js worker (rus+eng, local data),
// every image read in turn, one regular expression over the text. Prints its counts as JSON.
// Usage: node bench/ocr-baseline.mjs FOLDER TESSDATA
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorker } from 'tesseract.js';

const [folder, langPath] = process.argv.slice(2);
const ACCOUNT =
  /(?:лицев\S*\s+сч[её]т\S*(?:\s+абонента)?|л\/с|лс|akun pribadi pelanggan|persacc=)[\s:№#-]*((?:\d[\s\u00a0-]?){13}\d)(?!\d)/giu;
const worker = await createWorker(['rus', 'eng'], 1, { langPath, gzip: false, cacheMethod: 'none' });
let pages = 0;
let accounts = 0;
for (const name of readdirSync(folder).sort()) {
  const { data } = await worker.recognize(readFileSync(join(folder, name)));
  pages++;
  accounts += new Set([...data.text.matchAll(ACCOUNT)].map((m) => m[1].replace(/\D/g, ''))).size;
}
await worker.terminate();
console.log(JSON.stringify({ pages, accounts }));
