/**
 * Bytes to strings in browsers and edge runtimes: the functions of `node.ts` on `TextDecoder`, giving
 * the strings iconv-lite gives on Node (test/codec.test.ts compares them byte for byte). Where the two
 * disagree, iconv-lite's answer is kept: a byte a table leaves undefined is U+FFFD (the WHATWG tables
 * give a C1 control), and UTF-16 keeps lone surrogates and drops an odd last byte.
 */
import type { Charset } from './node.js';

export type { Charset } from './node.js';

type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder>();
function decoder(label: string, { fatal = false, keepBom = false } = {}): Decoder {
  const key = `${label} ${fatal} ${keepBom}`;
  let found = decoders.get(key);
  if (!found) {
    found = new TextDecoder(label, { fatal, ignoreBOM: keepBom });
    decoders.set(key, found);
  }
  return found;
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    decoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows-1252's 0x80–0x9F (0xA0–0xFF are Latin-1's), written out: Node's `TextDecoder` reads
 * `windows-1252` as Latin-1, and the table must be the same wherever the tests run. U+FFFD where
 * the table has no character.
 */
const CP1252_C1 =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

/** A string of at most this many characters is built with one `String.fromCharCode` call. */
const CHUNK = 8192;

function fromCodes(codes: Uint16Array): string {
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) out += String.fromCharCode(...codes.subarray(i, i + CHUNK));
  return out;
}

function utf16(bytes: Uint8Array, littleEndian: boolean): string {
  const n = bytes.length >> 1;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const a = bytes[2 * i]!;
    const b = bytes[2 * i + 1]!;
    codes[i] = littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  return stripBom(fromCodes(codes));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function decodeBytes(bytes: Uint8Array, charset: Charset): string {
  switch (charset) {
    case 'utf-16le':
      return utf16(bytes, true);
    case 'utf-16be':
      return utf16(bytes, false);
    case 'windows-1252': {
      const codes = new Uint16Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        codes[i] = b >= 0x80 && b < 0xa0 ? CP1252_C1.charCodeAt(b - 0x80) : b;
      }
      return fromCodes(codes);
    }
    case 'windows-1251':
      // 0x98 is the one byte Windows-1251 leaves undefined; WHATWG reads it as U+0098.
      return decoder('windows-1251')
        .decode(bytes)
        .replace(/\u0098/g, '\ufffd');
    default:
      // UTF-8 (the decoder drops the byte-order mark) and KOI8-R, whose every byte is defined.
      return decoder(charset).decode(bytes);
  }
}

export function utf8(bytes: Uint8Array): string {
  return decoder('utf-8', { keepBom: true }).decode(bytes);
}

export function latin1(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length);
  codes.set(bytes);
  return fromCodes(codes);
}

const BASE64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++)
  BASE64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
BASE64[0x2d] = 62; // '-'
BASE64[0x5f] = 63; // '_'

export function base64(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((text.length * 3) / 4));
  let n = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) break; // '='
    const v = c < 128 ? BASE64[c]! : -1;
    if (v < 0) continue;
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[n++] = (bits >> count) & 0xff;
    }
  }
  return out.subarray(0, n);
}

export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
