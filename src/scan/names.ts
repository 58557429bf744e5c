/**
 * File names as the file system has them: bytes. Most are UTF-8 and are used as strings; a name that is
 * not (bytes `0xff 0xfe` from an old archive) keeps its raw bytes for every file operation, and is shown
 * in an escaped form that is unambiguous and distinct for distinct names: each byte that is not part of
 * valid UTF-8 as `\xHH`, a backslash as `\\`. Records of such files carry `sourceEncoding: 'bytes'`.
 */

/** The length of the valid UTF-8 sequence at `i`, or 0. */
function sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n <= 1 || i + n > bytes.length) return n > 1 ? 0 : n;
  for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  const b1 = bytes[i + 1]!;
  if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
  if (b === 0xed && b1 >= 0xa0) return 0; // a surrogate
  if (b === 0xf0 && b1 < 0x90) return 0; // overlong
  if (b === 0xf4 && b1 >= 0x90) return 0; // past U+10FFFF
  return n;
}

export function isUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const n = sequence(bytes, i);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

/** The escaped form of a name that is not UTF-8 (see the module comment). */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequence(bytes, i);
    if (n === 0) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    const text = Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
    out += text === '\\' ? '\\\\' : text;
    i += n;
  }
  return out;
}

/**
 * A name for a person's eyes (`-v`, the table): control characters (a line feed in a file name) as
 * `\n`, `\t` or `\u{…}`, so that one document stays one line.
 */
export function shownName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}
