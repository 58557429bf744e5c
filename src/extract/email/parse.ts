/**
 * Around the MIME parser (postal.ts): what it gives the email reader, the charsets declared before it
 * reads a message where a part has none, and a message of too many parts cut before it reads them all.
 */

import type { Warning } from '../types.js';
import { declareMissingCharsets } from './charset.js';
import { type RawMessage, rawMessage } from './raw.js';

/** What the reader (read.ts) uses of a parsed message. */
export interface ParsedMessage {
  html?: string | false;
  text?: string;
  /** `cid`: the Content-ID (without brackets) an HTML body refers to as `cid:…` (an inline picture). */
  attachments: Array<{
    filename?: string | undefined;
    contentType: string;
    content: Uint8Array;
    cid?: string | undefined;
  }>;
  messageId?: string | undefined;
  subject?: string | undefined;
  from?: { text: string } | undefined;
  date?: Date | undefined;
}

/** Where a message's `n`-th line starting with `--` (a MIME boundary) begins: -1 when it has fewer. */
function nthBoundary(raw: Uint8Array, n: number): number {
  let seen = 0;
  // Line ends are found by the engine's own search (every message is looked at: a byte loop here cost
  // more than the search for its few hundred lines).
  for (let i = raw.indexOf(0x0a); i >= 0 && i + 2 < raw.length; i = raw.indexOf(0x0a, i + 1)) {
    if (raw[i + 1] === 0x2d && raw[i + 2] === 0x2d && ++seen >= n) return i;
  }
  return -1;
}

/** Cuts a message before its `keep`-th MIME boundary line, so a parser reads the parts before it. */
export function cutAtPart(raw: Uint8Array, keep: number): Uint8Array {
  const at = nthBoundary(raw, keep);
  return at < 0 ? raw : raw.subarray(0, at + 1);
}

/** The warning for a message cut at `maxMimeParts`. */
export function tooManyParts(name: string, maxParts: number): Warning {
  return {
    code: 'MIME_TOO_MANY_PARTS',
    message: `${name}: only the first ${maxParts} MIME parts were read (maxMimeParts)`,
  };
}

/** Whether a message has more boundary lines than `maxParts` parts need: a parser would read them all first. */
export function hasTooManyParts(raw: Uint8Array, maxParts: number): boolean {
  return nthBoundary(raw, maxParts + 2) >= 0;
}

/**
 * Text parts that carry 8-bit text but declare no charset get the guessed one (charset.ts), each
 * with a `TEXT_REPAIRED` warning; the parsers would read them as UTF-8, past repair.
 */
export function declareCharsets(
  bytes: Uint8Array,
  name: string,
  warnings: Warning[],
  message: RawMessage = rawMessage(bytes),
): Uint8Array {
  const { bytes: raw, guessed } = declareMissingCharsets(bytes, message);
  for (const g of guessed) {
    const origin = g.type === 'text/html' ? 'html body' : 'text body';
    const declared = g.declared === 'none' ? 'no charset' : `charset ${g.declared}`;
    const family = g.charset === 'utf-8' ? 'utf8-as-windows-1252' : 'charset-guessed';
    warnings.push({
      code: 'TEXT_REPAIRED',
      message: `${name}: ${origin}: repaired 8-bit text with ${declared}, read as ${g.charset} [${family}]`,
    });
  }
  return raw;
}
