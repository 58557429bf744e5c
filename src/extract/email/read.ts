/**
 * Emailed receipts: the text and HTML bodies, and every attachment through the extractor of its kind (a
 * PDF bill, a text or HTML file, a message forwarded as an attachment, which is read recursively up to a
 * depth limit). Origins say where each block was: `html body`, `attachment Счёт_ноябрь.pdf › page 1`,
 * `forwarded message › text body`. postal-mime parses the MIME structure (postal.ts, on every runtime),
 * and the runtime's readers read the attachments, as they read files.
 */
import { ExtractionError } from '../../errors.js';
import type { Settled } from '../../options.js';
import { readPart } from '../cache.js';
import { childOrigin, SEP } from '../children.js';
import { detectKind } from '../detect.js';
import { htmlToText, htmlToTextPaired } from '../html.js';
import { pairHtmlLater } from '../plain-pairs.js';
import type { Runtime } from '../runtime.js';
import { splitForwarded } from '../text/quotes.js';
import type { DocumentKind, ExtractedBlocks, TextBlock, Warning } from '../types.js';
import { visited } from '../visits.js';
import { declareCharsets, type ParsedMessage } from './parse.js';
import { type Picture, readPictures } from './pictures.js';
import { parseMessage } from './postal.js';
import { type RawMessage, rawMessage } from './raw.js';
import { signedContent } from './smime.js';

export interface EmailMeta {
  messageId: string | null;
  subject: string | null;
  from: string | null;
  date: string | null;
}

export interface ExtractedEmail extends ExtractedBlocks {
  meta: EmailMeta;
}

function prefixed(blocks: TextBlock[], prefix: string): TextBlock[] {
  return blocks.map((b) => ({ ...b, origin: prefix + b.origin }));
}

type Attachment = ParsedMessage['attachments'][number];

/**
 * Why an attachment of this kind is not read, or undefined when it is: bills, pages, office files and
 * archives are; a text file only when the message calls it text (a `.txt` sent as octet-stream is as
 * often a key or a log). Pictures are decided later, with the whole message (pictures.ts).
 */
function worthReading(kind: DocumentKind, attachment: Attachment): string | undefined {
  if (CONTAINERS.has(kind) || kind === 'pdf' || kind === 'html') return undefined;
  if (kind === 'text')
    return /^text\//.test(attachment.contentType)
      ? undefined
      : 'text sent as another type (a key or a log, as often as not)';
  return kind === 'unknown' ? 'not a kind this library reads' : `${kind} is not read as an attachment`;
}

/** Kinds that hold other documents (or are documents with text), read wherever they are attached. */
const CONTAINERS = new Set<DocumentKind>(['zip', 'docx', 'xlsx', 'doc', 'rtf', 'msg', 'emlx']);

/** An S/MIME part: opaque-signed content (`smime.p7m`), not a detached signature (`smime.p7s`). */
const isSignedMime = (attachment: Attachment, label: string) =>
  /^application\/(x-)?pkcs7-mime/i.test(attachment.contentType) || /\.p7m$/i.test(label);

/** Reads one attachment with the runtime's reader of its kind (a message attached goes back to readMessage). */
async function readAttachment(
  runtime: Runtime,
  attachment: Attachment,
  label: string,
  name: string,
  options: Settled,
  depth: number,
): Promise<ExtractedBlocks | 'picture'> {
  let content = attachment.content;
  let prefix = 'forwarded message';
  if (isSignedMime(attachment, label)) {
    content = await signedContent(content, `${name}${SEP}attachment ${label}`);
    prefix = 'signed message';
  }
  const kind = detectKind(content, label);
  const type = `${attachment.contentType.split(';')[0]}, ${kind}`;
  if (
    prefix === 'signed message' ||
    attachment.contentType === 'message/rfc822' ||
    (content.length > 0 && kind === 'email')
  ) {
    if (depth + 1 > options.maxMimeDepth) {
      const message = `${name}: messages attached deeper than ${options.maxMimeDepth} levels were not read (maxMimeDepth)`;
      return { blocks: [], warnings: [{ code: 'MIME_TOO_DEEP', message }] };
    }
    visited(options, { path: `${name}${SEP}attachment ${label}`, type, read: true, why: `read as a ${prefix}` });
    const inner = await readMessage(runtime, content, `${name}${SEP}${prefix}`, options, depth + 1);
    return { blocks: prefixed(inner.blocks, `${prefix}${SEP}`), warnings: inner.warnings };
  }
  // Pictures wait until the rest of the message is read: they are read only where it gives no account.
  if (kind === 'image') return 'picture';
  const reader = runtime.readers[kind];
  const skipped = reader ? worthReading(kind, attachment) : `${kind} is not read here`;
  if (!reader || skipped !== undefined) {
    const type = attachment.contentType.split(';')[0];
    const message = `${name}${SEP}attachment ${label} (${type}): not read (${skipped})`;
    return { blocks: [], warnings: [{ code: 'PART_SKIPPED', message }] };
  }
  visited(options, { path: `${name}${SEP}attachment ${label}`, type, read: true });
  const charset = attachment.contentType.match(/charset=([\w-]+)/)?.[1];
  const part = { bytes: content, name: `${name}${SEP}attachment ${label}`, charset, depth: depth + 1 };
  const read = await readPart(kind, reader, part, options, runtime);
  return { blocks: read.blocks.map((b) => childOrigin(`attachment ${label}`, b)), warnings: read.warnings };
}

function bodyBlocks(text: string, origin: string): TextBlock[] {
  return splitForwarded(text).map((part) => ({
    text: part.text,
    origin: part.forwarded ? `${origin}${SEP}forwarded message` : origin,
  }));
}

async function readMessage(
  runtime: Runtime,
  bytes: Uint8Array,
  name: string,
  options: Settled,
  depth: number,
): Promise<ExtractedEmail> {
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  // One raw walk of the message (raw.ts) feeds the charset guess now and the structure warnings, which
  // come last; the text is let go of before the attachments are read.
  let raw: RawMessage | undefined = rawMessage(bytes);
  const declared = declareCharsets(bytes, name, warnings, raw);
  const structure = structureWarnings(bytes, name, raw);
  raw = undefined;
  const mail = await parseMessage(declared, name, options.maxMimeParts, warnings);
  // HTML first; each number is reported once, at its first origin. Quote marks come off, and a part
  // forwarded inline (under a client's marker line) is a block of its own.
  if (typeof mail.html === 'string' && mail.html !== '') {
    const html = mail.html;
    const body = bodyBlocks(htmlToText(html), 'html body');
    // Its tables' cells by position, made only when the text alone leaves a number or a label unexplained.
    pairHtmlLater(body, () => htmlToTextPaired(html).pairs, options.lengths);
    blocks.push(...body);
  }
  if (mail.html) visited(options, { path: `${name}${SEP}html body`, type: 'text/html', read: true });
  if (mail.text) visited(options, { path: `${name}${SEP}text body`, type: 'text/plain', read: true });
  if (mail.text) blocks.push(...bodyBlocks(mail.text, 'text body').map((b) => ({ ...b, plain: true })));
  const pictures: Picture[] = [];
  for (const [i, attachment] of mail.attachments.entries()) {
    const label = attachment.filename ?? `part ${i + 1}`;
    try {
      const read = await readAttachment(runtime, attachment, label, name, options, depth);
      if (read === 'picture') pictures.push({ ...attachment, label });
      else {
        blocks.push(...read.blocks);
        warnings.push(...read.warnings);
      }
    } catch (error) {
      // An archive over its limits (a zip bomb) keeps its own code: the operator looks for it by name.
      if (error instanceof ExtractionError && error.code === 'ARCHIVE_LIMIT') {
        warnings.push({ code: 'ARCHIVE_LIMIT', message: error.message });
        continue;
      }
      const why =
        error instanceof ExtractionError
          ? `${error.code}: ${error.message}`
          : `${name}: attachment ${label}: ${(error as Error)?.message ?? error}`;
      warnings.push({ code: 'ATTACHMENT_UNREADABLE', message: `attachment could not be read (${why})` });
    }
  }
  const html = typeof mail.html === 'string' ? mail.html : undefined;
  warnings.push(...(await readPictures(runtime, pictures, html, blocks, name, options, depth)));
  warnings.push(...structure);
  return {
    blocks,
    warnings,
    meta: {
      messageId: mail.messageId ?? null,
      subject: mail.subject ?? null,
      from: mail.from?.text ?? null,
      date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    },
  };
}

const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/;
const STRUCTURE_BYTES = 32 * 1024 * 1024;

/**
 * What a MIME parser forgives silently but a user should hear of: a multipart whose closing boundary never
 * comes (the message was cut), and base64 bodies with characters outside the alphabet (damaged
 * in transit). Both still yield what could be read.
 */
export function structureWarnings(bytes: Uint8Array, name: string, message?: RawMessage): Warning[] {
  // The first 32 MiB are looked at: the message's raw walk when it is no longer, else a walk of its own.
  const head = bytes.subarray(0, STRUCTURE_BYTES);
  const { text: raw, boundaries } = message && bytes.length <= STRUCTURE_BYTES ? message : rawMessage(head);
  const warnings: Warning[] = [];
  const open = boundaries.filter((b) => !raw.includes(`--${b}--`));
  if (open.length > 0) {
    warnings.push({
      code: 'MIME_UNTERMINATED',
      message: `${name}: a multipart never closes (the message was cut?); read what was there`,
    });
  }
  // Header lines one by one; a body whole, up to the next line that starts with `--` (one search and
  // one test per part: most of a message is its attachments' base64, which needs no look line by line).
  let inBase64 = false;
  let inHeaders = true; // the message's own header block comes first
  for (let pos = 0; pos < raw.length; ) {
    let nl = raw.indexOf('\n', pos);
    if (nl < 0) nl = raw.length;
    const line = raw.slice(pos, nl > pos && raw.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    pos = nl + 1;
    if (line.startsWith('--')) {
      inHeaders = true;
      inBase64 = false;
    } else if (inHeaders && line === '') {
      inHeaders = false;
      const next = raw.indexOf('\n--', pos - 1);
      const end = next < 0 ? raw.length : next;
      if (inBase64 && NOT_BASE64.test(raw.slice(pos, end))) {
        warnings.push({
          code: 'MIME_BAD_BASE64',
          message: `${name}: a base64 part holds characters outside the alphabet; decoded what was valid`,
        });
        break;
      }
      pos = end + 1;
    } else if (inHeaders && /^content-transfer-encoding:\s*base64/i.test(line)) {
      inBase64 = true;
    }
  }
  return warnings;
}

/** Reads one message. Only a message with nothing readable at all is an error (`EMAIL_INVALID`). */
export async function readEmail(
  part: { bytes: Uint8Array; name: string },
  options: Settled,
  runtime: Runtime,
): Promise<ExtractedEmail> {
  const result = await readMessage(runtime, part.bytes, part.name, options, 0);
  const { meta } = result;
  if (result.blocks.length === 0 && result.warnings.length === 0 && !meta.messageId && !meta.subject && !meta.from) {
    throw new ExtractionError('EMAIL_INVALID', part.name, 'no headers and no readable body');
  }
  return result;
}
