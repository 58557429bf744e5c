/**
 * Text parts that carry 8-bit text but declare no charset (or claim US-ASCII or UTF-8 and hold not one
 * UTF-8 sequence). A MIME parser reads such a part as UTF-8 and turns every Cyrillic byte into «�», past
 * repair. So before it reads the message, the charset is guessed the way the text decoder guesses a
 * file's (what reads as Russian, what makes digits group) and written into the part's Content-Type;
 * mail readers do the same with their "default charset" setting, only without looking.
 */

import { declaredHtmlCharset } from '../html.js';
import { base64, isUtf8, latin1, latin1Bytes } from '../text/node.js';
import { guessCyrillic, normalizeCharset } from '../text/read.js';
import { type RawMessage, rawMessage } from './raw.js';

export interface GuessedCharset {
  /** `text/plain` or `text/html`. */
  type: string;
  /** What the part declared (`none`, `us-ascii`, `utf-8`). */
  declared: string;
  charset: 'windows-1251' | 'koi8-r' | 'utf-8';
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

const HEADER_END = /\r?\n\r?\n/g;

function unfold(headers: string): string[] {
  return headers.split(/\r?\n(?![ \t])/);
}

function decodeQuotedPrintable(body: string): Uint8Array {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return latin1Bytes(bytes);
}

/**
 * A part meant as UTF-8 but damaged here and there still has most of its 8-bit bytes in UTF-8 sequences;
 * Windows-1251 or KOI8-R text makes such a pair only by chance («СЁ», «чё»).
 */
function mostlyUtf8(body: Uint8Array): boolean {
  let high = 0;
  let inSequences = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b < 0x80) continue;
    high++;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let k = 1;
    while (k <= need && i + k < body.length && (body[i + k]! & 0xc0) === 0x80) k++;
    if (need > 0 && k === need + 1) {
      inSequences += need + 1;
      high += need;
      i += need;
    }
  }
  return inSequences >= high * 0.5;
}

/** Where header blocks start: the message's own, and one after each boundary line (and inside attached messages). */
function headerStarts(text: string, boundaries: string[]): number[] {
  const starts = [0];
  for (const b of boundaries) {
    const line = `--${b}`;
    for (let i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + line.length)) {
      if (i > 0 && text[i - 1] !== '\n') continue;
      const after = text.slice(i + line.length, i + line.length + 2);
      if (after.startsWith('--')) continue;
      const nl = text.indexOf('\n', i);
      if (nl >= 0) starts.push(nl + 1);
    }
  }
  return starts.sort((a, b) => a - b);
}

/** Where the part whose body starts at `from` ends: at the next boundary line, or the end. */
function partEnd(text: string, boundaries: string[], from: number): number {
  let end = text.length;
  for (const b of boundaries) {
    const i = text.indexOf(`\n--${b}`, from);
    if (i >= 0 && i < end) end = i;
  }
  return end;
}

/**
 * Finds the text parts whose 8-bit text has no usable charset and declares the guessed one. Returns the
 * message unchanged (the same buffer) when there is nothing to guess.
 */
export function declareMissingCharsets(
  raw: Uint8Array,
  message: RawMessage = rawMessage(raw),
): { bytes: Uint8Array; guessed: GuessedCharset[] } {
  const { text, boundaries } = message;
  const edits: Edit[] = [];
  const guessed: GuessedCharset[] = [];

  const bodyEnd = (from: number) => partEnd(text, boundaries, from);
  const queue = headerStarts(text, boundaries);
  const seen = new Set<number>();
  while (queue.length > 0) {
    const start = queue.shift()!;
    if (seen.has(start)) continue;
    seen.add(start);
    HEADER_END.lastIndex = start;
    const end = HEADER_END.exec(text);
    const headerText = end ? text.slice(start, end.index) : text.slice(start);
    if (!end) continue;
    const bodyStart = end.index + end[0].length;
    const headers = unfold(headerText);
    const typeLine = headers.find((h) => /^content-type\s*:/i.test(h));
    const type = (typeLine?.replace(/^content-type\s*:\s*/i, '').split(';')[0] ?? 'text/plain').trim().toLowerCase();
    if (type === 'message/rfc822') {
      queue.push(bodyStart);
      continue;
    }
    if (type !== 'text/plain' && type !== 'text/html') continue;
    // Only a part that looks like a message (headers, or the top level); text files attached are decoded
    // from their bytes by the text extractor, which guesses on its own.
    if (headers.some((h) => /^content-disposition\s*:\s*attachment/i.test(h) || /;\s*(?:file)?name\*?=/i.test(h)))
      continue;
    if (start === 0 && !headers.some((h) => /^[\w-]+\s*:/.test(h))) continue;
    const declaredRaw = /charset\s*=\s*"?([^"\s;]+)"?/i.exec(typeLine ?? '')?.[1]?.toLowerCase();
    const declared = declaredRaw ?? 'none';
    // UTF-8 relabelled Latin-1 or Windows-1252 by a gateway: mail readers decode Latin-1 as Windows-1252,
    // which drops the five bytes it leaves undefined, so it is declared UTF-8 again before that happens.
    const latin =
      declaredRaw !== undefined && /^(?:iso-?8859-1|latin-?1|l1|windows-1252|cp1252|us-ascii|ascii)$/.test(declaredRaw);
    if (declaredRaw && !latin && !/^utf-?8$/.test(declaredRaw)) continue;
    const cte =
      headers
        .find((h) => /^content-transfer-encoding\s*:/i.test(h))
        ?.replace(/^[^:]*:\s*/, '')
        .trim()
        .toLowerCase() ?? '7bit';
    // A part that says UTF-8 and is base64 or quoted-printable was written by a program that knew its
    // charset; decoding every such part twice is not worth the rare liar.
    if (declaredRaw && !latin && (cte === 'base64' || cte === 'quoted-printable')) continue;
    const rawBody = text.slice(bodyStart, bodyEnd(bodyStart));
    const body =
      cte === 'base64'
        ? base64(rawBody)
        : cte === 'quoted-printable'
          ? decodeQuotedPrintable(rawBody)
          : latin1Bytes(rawBody);
    if (!body.some((b) => b >= 0x80)) continue;
    if (latin && !/^(?:us-?ascii|ascii)$/.test(declaredRaw!)) {
      // Latin-1 text is valid UTF-8 only by rare chance; Cyrillic UTF-8 always is.
      if (!isUtf8(body) || !/[\xD0\xD1][\x80-\xBF]/.test(latin1(body))) continue;
      guessed.push({ type, declared, charset: 'utf-8' });
      edits.push({
        at: start + headerText.indexOf(typeLine!),
        remove: typeLine!.length,
        insert: typeLine!.replace(/charset\s*=\s*"?[^"\s;]+"?/i, 'charset=utf-8'),
      });
      continue;
    }
    if (isUtf8(body) || mostlyUtf8(body)) continue;
    const fromMeta = type === 'text/html' ? normalizeCharset(declaredHtmlCharset(body)) : null;
    const charset = fromMeta === 'windows-1251' || fromMeta === 'koi8-r' ? fromMeta : guessCyrillic(body);
    guessed.push({ type, declared, charset });
    if (typeLine) {
      const at = start + headerText.indexOf(typeLine);
      const replaced = declaredRaw
        ? typeLine.replace(/charset\s*=\s*"?[^"\s;]+"?/i, `charset=${charset}`)
        : `${typeLine.replace(/\s*;?\s*$/, '')}; charset=${charset}`;
      edits.push({ at, remove: typeLine.length, insert: replaced });
    } else {
      edits.push({ at: start, remove: 0, insert: `Content-Type: ${type}; charset=${charset}\r\n` });
    }
  }
  if (edits.length === 0) return { bytes: raw, guessed };
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return { bytes: latin1Bytes(out), guessed };
}
