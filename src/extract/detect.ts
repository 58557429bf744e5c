/**
 * What a document is, told from its bytes (magic numbers, byte-order marks, markup, mail headers);
 * the file name is only a hint for ties. A `.txt` that is really a PDF is read as a PDF.
 */

import { SEPARATOR_RE } from '../mailbox/separator.js';
import { decodeText } from './text/read.js';
import type { DocumentKind } from './types.js';

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+:[ \t]?.*$/;
const KNOWN_HEADERS =
  /^(from|to|cc|subject|date|message-id|mime-version|received|return-path|content-type|delivered-to|reply-to|sender|x-[\w-]+|dkim-signature|authentication-results|arc-[\w-]+|content-transfer-encoding|in-reply-to|references|thread-topic|user-agent)$/i;

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function indexOfAscii(bytes: Uint8Array, needle: string, limit: number): number {
  const end = Math.min(bytes.length, limit) - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/**
 * True when the first lines are an RFC 5322 header block with at least two well-known fields, or a
 * MIME entity that declares itself multipart (a bare `Content-Type: multipart/mixed` part is a message).
 */
export function looksLikeMessage(head: string): boolean {
  const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/);
  let known = 0;
  let fields = 0;
  let multipart = false;
  for (const line of lines.slice(0, 200)) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (fields === 0) return false;
      continue;
    }
    if (!HEADER_LINE.test(line)) return false;
    fields++;
    if (KNOWN_HEADERS.test(line.slice(0, line.indexOf(':')))) known++;
    if (/^content-type:\s*(multipart|message)\//i.test(line)) multipart = true;
  }
  return known >= 2 || (fields > 0 && multipart);
}

/**
 * True when the file starts with an mbox `From ` separator: followed by a message, or carrying a
 * date as separators do (a first message may have lost its headers and the file is still a mailbox).
 */
export function looksLikeMbox(head: string): boolean {
  const m = /^(From [^\r\n]*)\r?\n/.exec(head);
  if (m === null) return false;
  return looksLikeMessage(head.slice(m[0].length)) || SEPARATOR_RE.test(m[1]!);
}

function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return n > 0 && control / n > 0.02;
}

/** True when `needle` occurs as UTF-16LE (compound files name their streams so). */
function hasUtf16(bytes: Uint8Array, needle: string, limit: number): boolean {
  let wide = '';
  for (const ch of needle) wide += `${ch}\0`;
  return indexOfAscii(bytes, wide, limit) >= 0;
}

/**
 * A ZIP's kind by the names in its central directory (at its end): a Word document, a workbook, or an
 * archive of files. The names are plain ASCII there, so a byte search finds them without unpacking.
 */
function zipKind(bytes: Uint8Array): DocumentKind {
  const tail = bytes.subarray(Math.max(0, bytes.length - 256 * 1024));
  if (indexOfAscii(tail, 'word/document.xml', tail.length) >= 0) return 'docx';
  if (indexOfAscii(tail, 'xl/workbook.xml', tail.length) >= 0) return 'xlsx';
  return 'zip';
}

/** A compound file's kind (Outlook's .msg, Word 97's .doc) by the names of its streams. */
function compoundKind(bytes: Uint8Array): DocumentKind {
  const limit = Math.min(bytes.length, 4 * 1024 * 1024);
  if (hasUtf16(bytes, '__substg1.0_', limit) || hasUtf16(bytes, '__properties_version1.0', limit)) return 'msg';
  if (hasUtf16(bytes, 'WordDocument', limit)) return 'doc';
  return 'unknown';
}

/** Apple Mail's `.emlx`: a byte count alone on the first line, then a message. */
function looksLikeEmlx(head: string): boolean {
  const m = /^[ \t]*\d{1,12}[ \t]*\r?\n/.exec(head);
  return m !== null && looksLikeMessage(head.slice(m[0].length));
}

/**
 * Whether `detectKind` of a file's first bytes (`head`, of a file of `size` bytes) is its kind from all
 * of them: it is, but for the containers told apart by what lies further in (a ZIP's central directory at
 * its end, a compound file's stream names), so a scan that sniffed such a file need not detect it again.
 */
export function headDecides(head: Uint8Array, size: number): boolean {
  if (head.length >= size) return true;
  return !(startsWith(head, [0x50, 0x4b]) || startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]));
}

export function detectKind(bytes: Uint8Array, filename?: string): DocumentKind {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return zipKind(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundKind(bytes);
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return 'rtf';
  // After the containers' magic: a stored PDF in a ZIP shows `%PDF-` within its first kilobyte too.
  if (indexOfAscii(bytes, '%PDF-', 1024) >= 0) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image';

  const { text: head, encoding } = decodeText(bytes.subarray(0, 64 * 1024));
  // UTF-16 is full of zero bytes and still text.
  const binary = !encoding.startsWith('utf-16') && isBinary(bytes);
  // Junk or nothing under a .pdf name is a broken PDF, and is reported as one.
  if ((binary || bytes.length === 0) && /\.pdf$/i.test(filename ?? '')) return 'pdf';
  if (binary) return 'unknown';

  if (looksLikeMbox(head)) return 'mbox';
  if (looksLikeMessage(head)) return 'email';
  if (looksLikeEmlx(head)) return 'emlx';
  const start = head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 2048)
    .toLowerCase();
  if (
    /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|div|p|span|h[1-6]|title|style)[\s>/]/.test(
      start,
    )
  ) {
    return 'html';
  }
  if (/\.x?html?$/i.test(filename ?? '') && /<\/?[a-z][a-z0-9]*[\s>/]/i.test(start)) return 'html';
  return 'text';
}
