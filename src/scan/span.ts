/**
 * Documents a pool thread reads from disk itself: a whole file, or one message of an mbox. The scan's
 * calling thread only finds where documents are (`mboxSpans`, a native search) and hands the threads
 * positions: no document's bytes are read, copied to a thread or kept on the calling thread.
 */
import { readSync } from 'node:fs';
import { ExtractionError } from '../errors.js';
import type { DocumentKind, Warning } from '../extract/index.js';
import { isSeparator, splitMbox } from '../mailbox/mbox.js';
import { cutByShrinkWarning, type FsPath, readFailedError, readRegularSync } from './open.js';

export interface FileSpan {
  /** A name that is not UTF-8 is its bytes (a `Uint8Array` once it crossed to a thread). */
  path: FsPath | Uint8Array;
  /** The kind its first bytes suggest: the thread loads that reader before it opens the file. */
  guess?: DocumentKind;
  /** Its size on disk when it was found (a message: `end - start`). */
  size: number;
  /**
   * One message of an mbox: bytes `[start, end)`, split as `splitMbox` splits the whole file, read
   * through `fd`, which the scan keeps open until every message of the mailbox is done.
   */
  message?: { fd: number; start: number; end: number; maxMessageBytes: number };
}

/** How much of a message is read at a time: a giant message is cut by `splitMbox`, never held whole. */
const CHUNK = 1024 * 1024;

function* chunks(fd: number, start: number, end: number): Generator<Buffer> {
  for (let at = start; at < end; ) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - at));
    const n = readSync(fd, buffer, 0, buffer.length, at);
    if (n === 0) return; // the file was cut short since it was looked at
    at += n;
    yield n === buffer.length ? buffer : buffer.subarray(0, n);
  }
}

/** A message up to this size is read in one piece and, when it can be, cut without `splitMbox`. */
const WHOLE = 8 * 1024 * 1024;
const NL = 0x0a;
const CR = 0x0d;

/**
 * The message `splitMbox` would give for bytes that hold exactly one message starting at its separator,
 * found without splitting it line by line: the separator line goes, and so does the one blank line
 * before the next separator. Null where that is not all there is to do (a `>From ` line to unquote, a
 * message to cut, a last line without its line feed, text before a first separator): `splitMbox` does it.
 */
function plainMessage(raw: Buffer, maxMessageBytes: number): Buffer | null {
  const firstEnd = raw.indexOf(NL);
  if (firstEnd < 0 || raw[raw.length - 1] !== NL || raw.includes('\n>')) return null;
  if (!isSeparator(raw.subarray(0, firstEnd + 1))) return null;
  let end = raw.length;
  // The last line is blank ("\n" or "\r\n" after a line feed): it belongs to neither message.
  if (end - 2 >= firstEnd && raw[end - 2] === NL) end -= 1;
  else if (end - 3 >= firstEnd && raw[end - 2] === CR && raw[end - 3] === NL) end -= 2;
  const body = raw.subarray(firstEnd + 1, end);
  return body.length > maxMessageBytes ? null : body;
}

/**
 * Reads a document. An I/O problem, or an mbox that changed since its messages were found, is
 * `READ_FAILED`. A message is read through the descriptor its scan holds open for the mailbox: a thread
 * terminated mid-read leaves no descriptor behind.
 */
export async function readSpan(
  span: FileSpan,
  name: string,
): Promise<{ bytes: Uint8Array; truncated: boolean; warning?: Warning }> {
  const { message } = span;
  const path = typeof span.path === 'string' ? span.path : Buffer.from(span.path);
  try {
    if (!message) {
      const read = readRegularSync(path, name);
      return { bytes: read.bytes, truncated: false, ...(read.warning ? { warning: read.warning } : {}) };
    }
    const size = message.end - message.start;
    // A message up to WHOLE is read once: cut here when it is plain, split from those bytes otherwise.
    let source: Iterable<Buffer> = chunks(message.fd, message.start, message.end);
    if (size <= WHOLE) {
      const raw = Buffer.allocUnsafe(size);
      const n = readSync(message.fd, raw, 0, size, message.start);
      const plain = n === size ? plainMessage(raw, message.maxMessageBytes) : null;
      if (plain) return { bytes: plain, truncated: false };
      source = [raw.subarray(0, n)];
    }
    // Counts what the reads gave: a message that ends at the end of the file before its own end was
    // cut by a mailbox that shrank since its messages were found.
    let got = 0;
    const counted = (async function* () {
      for await (const chunk of source) {
        got += chunk.length;
        yield chunk;
      }
    })();
    const found = [];
    for await (const m of splitMbox(counted, { maxMessageBytes: message.maxMessageBytes })) found.push(m);
    if (found.length !== 1) throw new ExtractionError('READ_FAILED', name, 'the mailbox changed while it was read');
    const warning = got < size ? cutByShrinkWarning(name, got, size) : undefined;
    return { bytes: found[0]!.bytes, truncated: found[0]!.truncated, ...(warning ? { warning } : {}) };
  } catch (error) {
    throw readFailedError(error, name);
  }
}
