/**
 * Bytes to strings, on Node: iconv-lite's tables and Node's own UTF-8 validator. The browser build swaps
 * this module for `text/browser.ts` (the same functions on `TextDecoder`, giving the same strings; see
 * `scripts/browser-modules.ts`), so the decoders above it carry no Node built-in and no `Buffer`.
 */
import { isUtf8 as bufferIsUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** The charsets the decoders read. */
export type Charset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'koi8-r' | 'windows-1252' | 'windows-1253';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Validates without decoding: a 30 MB file is not turned into a 60 MB string only to be thrown away. */
export function isUtf8(bytes: Uint8Array): boolean {
  return bufferIsUtf8(bytes);
}

/** Decodes `bytes`, dropping a byte-order mark; a byte the table leaves undefined becomes U+FFFD. */
export function decodeBytes(bytes: Uint8Array, charset: Charset): string {
  // UTF-8, most of what is read, is Node's own: iconv-lite loads every codec's module on its first decode.
  if (charset === 'utf-8') {
    const text = asBuffer(bytes).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return iconv.decode(asBuffer(bytes), charset);
}

/** UTF-8 as it is, a byte-order mark included. */
export function utf8(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('utf8');
}

/** One character per byte (ISO-8859-1), for looking at markup and headers. */
export function latin1(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('latin1');
}

/** Base64 as Node reads it: characters outside the alphabet skipped, `-_` too, the first `=` ends it. */
export function base64(text: string): Uint8Array {
  return Buffer.from(text, 'base64');
}

/** A string of characters U+0000–U+00FF back to its bytes (the low byte of anything higher). */
export function latin1Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
