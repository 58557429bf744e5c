/**
 * Bytes to text. UTF-8 and UTF-16 are recognised by their marks or structure; Russian text without any
 * marker is Windows-1251 or KOI8-R, and we choose between them by which decoding reads like Russian.
 * The decoding itself is iconv-lite's on Node, `TextDecoder`'s in browsers (node.ts, swapped for browser.ts in the browser build).
 */
import { qrCharset } from '../../locate/qr.js';
import { decodeBytes, isUtf8 } from './node.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'koi8-r';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/**
 * Relative frequency (per mille) of Russian letters in ordinary prose. A decoding with the wrong
 * single-byte table scrambles letters into rare ones and flips their case, and scores far lower.
 */
export const RUSSIAN_FREQ: Record<string, number> = {
  о: 110,
  е: 85,
  а: 80,
  и: 74,
  н: 67,
  т: 63,
  с: 55,
  р: 47,
  в: 45,
  л: 44,
  к: 35,
  м: 32,
  д: 30,
  п: 28,
  у: 26,
  я: 20,
  ы: 19,
  ь: 17,
  г: 17,
  з: 16,
  б: 16,
  ч: 14,
  й: 12,
  х: 10,
  ж: 9,
  ш: 7,
  ю: 6,
  ц: 5,
  щ: 4,
  э: 3,
  ф: 3,
  ъ: 0.4,
  ё: 0.4,
};

/** Words of this domain; a short ALL-CAPS line («ЛИЦЕВОЙ СЧЕТ») has too few letters for frequencies alone. */
const DOMAIN_WORDS = /лицев|сч[её]т|договор|абонент|оплат|услуг|ростелеком|квитанц|итого|руб/g;

/** Each Cyrillic letter's weight, indexed by code point − 0x400: lower case its frequency, upper case 0.8 of it. */
const LETTER_WEIGHT = new Float64Array(0x60);
for (const [lower, freq] of Object.entries(RUSSIAN_FREQ)) {
  LETTER_WEIGHT[lower.charCodeAt(0) - 0x400] = freq;
  // The wrong table also flips case; lower case dominates real text, but ALL-CAPS text exists too,
  // so case only tips the balance and letter frequency decides.
  LETTER_WEIGHT[lower.toUpperCase().charCodeAt(0) - 0x400] = freq * 0.8;
}

export function russianScore(text: string): number {
  let score = (text.toLowerCase().match(DOMAIN_WORDS)?.length ?? 0) * 300;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i) - 0x400;
    if (k >= 0 && k < 0x60) score += LETTER_WEIGHT[k]!;
  }
  return score;
}

/** UTF-16 without a BOM: ASCII-range text leaves every other byte zero. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Text with no letters to judge (Indonesian or English with a no-break space between digit groups) still
 * says something: 0x9A is a no-break space in KOI8-R and a letter «љ» in Windows-1251, 0xA0 the other
 * way round. Each byte between two digits that a table reads as a space counts for that table.
 */
function digitSeparators(text: string): number {
  return text.match(/(?<=\d)[\u00A0\u2007\u202F](?=\d)/g)?.length ?? 0;
}

/** Chooses between Windows-1251 and KOI8-R for bytes that are not UTF-8. */
export function guessCyrillic(bytes: Uint8Array): 'windows-1251' | 'koi8-r' {
  const sample = bytes.subarray(0, 256 * 1024);
  const asCp1251 = decodeBytes(sample, 'windows-1251');
  const asKoi8 = decodeBytes(sample, 'koi8-r');
  // A separator weighs as much as a few letters: enough to decide text without Russian, too little to
  // outvote a Russian sentence.
  const cp1251 = russianScore(asCp1251) + 200 * digitSeparators(asCp1251);
  const koi8 = russianScore(asKoi8) + 200 * digitSeparators(asKoi8);
  return koi8 > cp1251 ? 'koi8-r' : 'windows-1251';
}

/**
 * Detects the encoding of `bytes`. Byte-order marks and valid UTF-8 are trusted first: Russian text in
 * a single-byte table is practically never valid UTF-8, while saved pages often keep a stale
 * `charset=windows-1251` after a browser re-encoded them. Then `declared` (an HTML meta or MIME
 * charset), then the charset a payment QR payload names, then the Windows-1251 / KOI8-R guess.
 */
export function detectEncoding(bytes: Uint8Array, declared?: string): TextEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const utf16 = sniffUtf16(bytes);
  if (utf16) return utf16;
  if (isUtf8(bytes)) return 'utf-8';
  const known = normalizeCharset(declared);
  if (known === 'windows-1251' || known === 'koi8-r') return known;
  // ST00011 is Windows-1251, ST00013 KOI8-R (GOST R 56042).
  const qr = normalizeCharset(qrCharset(latin1Head(bytes)));
  if (qr === 'windows-1251' || qr === 'koi8-r') return qr;
  return guessCyrillic(bytes);
}

function latin1Head(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, 32); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function normalizeCharset(charset: string | undefined): TextEncoding | null {
  if (!charset) return null;
  const c = charset
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (c === 'utf-8' || c === 'utf8') return 'utf-8';
  if (c === 'windows-1251' || c === 'cp1251' || c === 'win-1251' || c === 'x-cp1251') return 'windows-1251';
  if (c === 'koi8-r' || c === 'koi8r' || c === 'koi8') return 'koi8-r';
  if (c === 'utf-16le') return 'utf-16le';
  if (c === 'utf-16be') return 'utf-16be';
  return null;
}

/** Decodes text bytes, stripping any byte-order mark. */
export function decodeText(bytes: Uint8Array, declared?: string): DecodedText {
  const encoding = detectEncoding(bytes, declared);
  // The byte-order mark is dropped.
  const text = decodeBytes(bytes, encoding);
  return { text, encoding };
}
