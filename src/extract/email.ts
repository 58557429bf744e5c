/**
 * Emailed receipts: the text and HTML bodies, and every attachment through the extractor of its kind (a
 * PDF bill, a text or HTML file, a message forwarded as an attachment, which is read recursively up to a
 * depth limit). Origins say where each block was: `html body`, `attachment Счёт_ноябрь.pdf › page 1`,
 * `forwarded message › text body`. The runtime's `MailEnv` parses the MIME structure and reads PDFs: on
 * Node mailparser 3.x (email-node.ts), in browsers postal-mime (email-browser.ts).
 */
import { resolveLengths } from '../account.js';
import { ExtractionError } from '../errors.js';
import { latin1 } from './codec.js';
import { detectKind } from './detect.js';
import { decodeHtml, htmlToText } from './html.js';
import { declareMissingCharsets } from './mime-charset.js';
import type { OcrOutcome } from './ocr.js';
import type { PdfOptions } from './pdf-pages.js';
import { decodeText } from './text.js';
import type { ExtractedBlocks, TextBlock, Warning } from './types.js';

export interface EmailOptions extends PdfOptions {
  /** How deep messages attached to messages are read (default 8); deeper ones give `MIME_TOO_DEEP`. */
  maxMimeDepth?: number;
  /** MIME parts read per message (default 10 000); the rest are dropped with `MIME_TOO_MANY_PARTS`. */
  maxMimeParts?: number;
}

export interface EmailMeta {
  messageId: string | null;
  subject: string | null;
  from: string | null;
  date: string | null;
}

export interface ExtractedEmail extends ExtractedBlocks {
  meta: EmailMeta;
}

export const DEFAULT_MAX_MIME_DEPTH = 8;
export const DEFAULT_MAX_MIME_PARTS = 10_000;

const SEP = ' › ';

function prefixed(blocks: TextBlock[], prefix: string): TextBlock[] {
  return blocks.map((b) => ({ ...b, origin: prefix + b.origin }));
}

/** What the readers below use of a parsed message (the shape of mailparser's `ParsedMail`). */
export interface ParsedMessage {
  html?: string | false;
  text?: string;
  textConversionError?: Error;
  attachments: Array<{ filename?: string | undefined; contentType: string; content: Uint8Array }>;
  messageId?: string | undefined;
  subject?: string | undefined;
  from?: { text: string } | undefined;
  date?: Date | undefined;
}

/** How a runtime parses messages and reads the PDFs attached to them. */
export interface MailEnv {
  /** Parses one message (declaring guessed charsets first); throws `EMAIL_INVALID`, or warns and reads fewer parts. */
  parse(bytes: Uint8Array, name: string, maxParts: number, warnings: Warning[]): Promise<ParsedMessage>;
  readPdf(bytes: Uint8Array, name: string, options: PdfOptions): Promise<ExtractedBlocks>;
  /** OCR of an attached photo (with `ocr: 'force'`); absent where the runtime has none. */
  recognize?(
    image: Uint8Array,
    name: string,
    options: PdfOptions & { lengths: readonly number[] },
  ): Promise<OcrOutcome>;
}

/** Where a message's `n`-th line starting with `--` (a MIME boundary) begins: -1 when it has fewer. */
function nthBoundary(raw: Uint8Array, n: number): number {
  let seen = 0;
  for (let i = 0; i + 2 < raw.length; i++) {
    if (raw[i] === 0x0a && raw[i + 1] === 0x2d && raw[i + 2] === 0x2d && ++seen >= n) return i;
  }
  return -1;
}

/** Cuts a message before its `keep`-th MIME boundary line, so a parser reads the parts before it. */
export function cutAtPart(raw: Uint8Array, keep: number): Uint8Array {
  const at = nthBoundary(raw, keep);
  return at < 0 ? raw : raw.subarray(0, at + 1);
}

/** The warning for a message cut at `maxMimeParts`, whichever parser cut it. */
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
 * Text parts that carry 8-bit text but declare no charset get the guessed one (mime-charset.ts), each
 * with a `TEXT_REPAIRED` warning; the parsers would read them as UTF-8, past repair.
 */
export function declareCharsets(bytes: Uint8Array, name: string, warnings: Warning[]): Uint8Array {
  const { bytes: raw, guessed } = declareMissingCharsets(bytes);
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

async function readMessage(
  env: MailEnv,
  bytes: Uint8Array,
  name: string,
  options: EmailOptions,
  depth: number,
): Promise<ExtractedEmail> {
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  const mail = await env.parse(bytes, name, options.maxMimeParts ?? DEFAULT_MAX_MIME_PARTS, warnings);
  // HTML first; each number is reported once, at its first origin.
  if (typeof mail.html === 'string' && mail.html !== '')
    blocks.push({ text: htmlToText(mail.html), origin: 'html body' });
  if (mail.text) blocks.push({ text: mail.text, origin: 'text body', plain: true });
  if (mail.textConversionError) {
    warnings.push({
      code: 'EMAIL_PART_UNREADABLE',
      message: `${name}: the HTML body could not be read (${mail.textConversionError.message})`,
    });
  }

  const maxDepth = options.maxMimeDepth ?? DEFAULT_MAX_MIME_DEPTH;
  for (const [i, attachment] of mail.attachments.entries()) {
    const label = attachment.filename ?? `part ${i + 1}`;
    const content = attachment.content;
    const kind = detectKind(content, label);
    const attached = attachment.contentType === 'message/rfc822' || (content.length > 0 && kind === 'email');
    try {
      if (attached) {
        if (depth + 1 > maxDepth) {
          warnings.push({
            code: 'MIME_TOO_DEEP',
            message: `${name}: messages attached deeper than ${maxDepth} levels were not read (maxMimeDepth)`,
          });
          continue;
        }
        const inner = await readMessage(env, content, `${name}${SEP}forwarded message`, options, depth + 1);
        blocks.push(...prefixed(inner.blocks, `forwarded message${SEP}`));
        warnings.push(...inner.warnings);
        continue;
      }
      const prefix = `attachment ${label}${SEP}`;
      if (kind === 'pdf') {
        const pdf = await env.readPdf(content, `${name}${SEP}attachment ${label}`, options);
        blocks.push(...prefixed(pdf.blocks, prefix));
        warnings.push(...pdf.warnings);
      } else if (kind === 'html') {
        blocks.push({ text: decodeHtml(content), origin: `attachment ${label}` });
      } else if (kind === 'text' && /^text\//.test(attachment.contentType)) {
        blocks.push({
          text: decodeText(content, attachment.contentType.match(/charset=([\w-]+)/)?.[1]).text,
          origin: `attachment ${label}`,
          plain: true,
        });
      } else if (kind === 'image' && options.ocr === 'force' && env.recognize) {
        // Photos of receipts sent as attachments; in `auto` mode logos and banners are not worth a second of OCR each.
        const outcome = await env.recognize(content, `${name}${SEP}attachment ${label}`, {
          ...options,
          lengths: resolveLengths(options),
        });
        if ('warning' in outcome) warnings.push(outcome.warning);
        else {
          const layout = {
            ...(outcome.layout ? { layout: outcome.layout } : {}),
            ...(outcome.pairs ? { pairs: outcome.pairs } : {}),
          };
          blocks.push({ text: outcome.text, origin: `attachment ${label} (OCR)`, ocr: true, ...layout });
        }
      }
    } catch (error) {
      const why =
        error instanceof ExtractionError
          ? `${error.code}: ${error.message}`
          : `${name}: attachment ${label}: ${(error as Error)?.message ?? error}`;
      warnings.push({ code: 'ATTACHMENT_UNREADABLE', message: `attachment could not be read (${why})` });
    }
  }

  warnings.push(...structureWarnings(bytes, name));
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

/**
 * What mailparser forgives silently but a user should hear of: a multipart whose closing boundary never
 * comes (the message was cut), and base64 bodies with characters outside the alphabet (damaged
 * in transit). Both still yield what could be read.
 */
export function structureWarnings(bytes: Uint8Array, name: string): Warning[] {
  const raw = latin1(bytes.subarray(0, 32 * 1024 * 1024));
  const warnings: Warning[] = [];
  const boundaries = new Set([...raw.matchAll(/boundary\s*=\s*"?([^"\s;]+)"?/gi)].map((m) => m[1]!));
  const open = [...boundaries].filter((b) => !raw.includes(`--${b}--`));
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
  env: MailEnv,
  bytes: Uint8Array,
  name: string,
  options: EmailOptions = {},
): Promise<ExtractedEmail> {
  const maxDepth = options.maxMimeDepth ?? DEFAULT_MAX_MIME_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new TypeError('maxMimeDepth must be a whole number ≥ 0');
  const maxParts = options.maxMimeParts ?? DEFAULT_MAX_MIME_PARTS;
  if (!Number.isInteger(maxParts) || maxParts < 1) throw new TypeError('maxMimeParts must be a whole number ≥ 1');
  const result = await readMessage(env, bytes, name, options, 0);
  const { meta } = result;
  if (result.blocks.length === 0 && result.warnings.length === 0 && !meta.messageId && !meta.subject && !meta.from) {
    throw new ExtractionError('EMAIL_INVALID', name, 'no headers and no readable body');
  }
  return result;
}
