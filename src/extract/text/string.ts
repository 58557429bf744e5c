/**
 * A string given to `extract()`: when is it read as it is, instead of as its UTF-8 bytes decoded again.
 * Decoding gives the string back exactly when the bytes are UTF-8 without a byte-order mark and do not
 * look like UTF-16 (read.ts, `detectEncoding`): a well-formed string (no lone surrogate, which UTF-8
 * would turn into U+FFFD) that does not start with U+FEFF and has no U+0000 where UTF-16 is sniffed.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bytes the UTF-16 sniff looks at (read.ts); each character is at least one byte. */
const SNIFFED = 4096;

export function readsBack(text: string): boolean {
  return text.charCodeAt(0) !== 0xfeff && !text.slice(0, SNIFFED).includes('\0') && !LONE_SURROGATE.test(text);
}

/** The length of a well-formed string in UTF-8 bytes, without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // a surrogate pair: one character of four bytes
      i++;
    } else n += 3;
  }
  return n;
}

/** The UTF-8 of a string's first 64 KiB of bytes at least (what detection reads), a pair never cut. */
export function utf8Head(text: string): Uint8Array {
  let end = Math.min(text.length, 64 * 1024);
  if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end++;
  return new TextEncoder().encode(text.slice(0, end));
}
