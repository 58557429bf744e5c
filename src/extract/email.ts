/**
 * Emailed receipts, with mailparser 3.x: the text and HTML bodies, and every attachment through the
 * extractor of its kind (a PDF bill, a text or HTML file, a message forwarded as an attachment, which
 * is read recursively up to a depth limit). Origins say where each block was:
 * `html body`, `attachment Счёт_ноябрь.pdf › page 1`, `forwarded message › text body`.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { ExtractionError } from '../errors.js';
import { detectKind } from './detect.js';
import { decodeHtml, htmlToText } from './html.js';
import { extractPdf, type PdfOptions } from './pdf.js';
import { decodeText } from './text.js';
import type { ExtractedBlocks, TextBlock, Warning } from './types.js';

export interface EmailOptions extends PdfOptions {
  /** How deep messages attached to messages are read (default 8); deeper ones give `MIME_TOO_DEEP`. */
  maxMimeDepth?: number;
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

const SEP = ' › ';

function prefixed(blocks: TextBlock[], prefix: string): TextBlock[] {
  return blocks.map((b) => ({ ...b, origin: prefix + b.origin }));
}

async function parse(bytes: Uint8Array, name: string): Promise<ParsedMail> {
  try {
    return await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
      // We read bodies as they are; links, inlined images and text→HTML would only cost time.
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      keepCidLinks: true,
    });
  } catch (error) {
    throw new ExtractionError('EMAIL_INVALID', name, `not a readable message (${(error as Error)?.message ?? error})`, { cause: error });
  }
}

async function readMessage(bytes: Uint8Array, name: string, options: EmailOptions, depth: number): Promise<ExtractedEmail> {
  const mail = await parse(bytes, name);
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  // HTML first: for an HTML-only message mailparser also derives `text` from the HTML, and the match
  // belongs to the part that was really sent. Each number is reported once, at its first origin.
  if (typeof mail.html === 'string' && mail.html !== '') blocks.push({ text: htmlToText(mail.html), origin: 'html body' });
  if (mail.text) blocks.push({ text: mail.text, origin: 'text body' });
  if (mail.textConversionError) {
    warnings.push({ code: 'EMAIL_PART_UNREADABLE', message: `${name}: the HTML body could not be read (${mail.textConversionError.message})` });
  }

  const maxDepth = options.maxMimeDepth ?? DEFAULT_MAX_MIME_DEPTH;
  for (const [i, attachment] of mail.attachments.entries()) {
    const label = attachment.filename ?? `part ${i + 1}`;
    const content = attachment.content;
    const attached = attachment.contentType === 'message/rfc822' || (content.length > 0 && detectKind(content, label) === 'email');
    try {
      if (attached) {
        if (depth + 1 > maxDepth) {
          warnings.push({ code: 'MIME_TOO_DEEP', message: `${name}: messages attached deeper than ${maxDepth} levels were not read (maxMimeDepth)` });
          continue;
        }
        const inner = await readMessage(content, `${name}${SEP}forwarded message`, options, depth + 1);
        blocks.push(...prefixed(inner.blocks, `forwarded message${SEP}`));
        warnings.push(...inner.warnings);
        continue;
      }
      const kind = detectKind(content, label);
      const prefix = `attachment ${label}${SEP}`;
      if (kind === 'pdf') {
        const pdf = await extractPdf(content, `${name}${SEP}attachment ${label}`, options);
        blocks.push(...prefixed(pdf.blocks, prefix));
        warnings.push(...pdf.warnings);
      } else if (kind === 'html') {
        blocks.push({ text: decodeHtml(content), origin: `attachment ${label}` });
      } else if (kind === 'text' && /^text\//.test(attachment.contentType)) {
        blocks.push({ text: decodeText(content, attachment.contentType.match(/charset=([\w-]+)/)?.[1]).text, origin: `attachment ${label}` });
      }
      // Images (logos) and other binary parts carry no text for us until OCR reads images.
    } catch (error) {
      const code = error instanceof ExtractionError ? error.code : 'READ_FAILED';
      warnings.push({ code: 'ATTACHMENT_UNREADABLE', message: `${name}: attachment ${label} could not be read (${code}: ${(error as Error)?.message ?? error})` });
    }
  }

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

/** Reads one message. Only a message with nothing readable at all is an error (`EMAIL_INVALID`). */
export async function extractEmail(bytes: Uint8Array, name: string, options: EmailOptions = {}): Promise<ExtractedEmail> {
  const maxDepth = options.maxMimeDepth ?? DEFAULT_MAX_MIME_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new TypeError('maxMimeDepth must be a whole number ≥ 0');
  const result = await readMessage(bytes, name, options, 0);
  const { meta } = result;
  if (result.blocks.length === 0 && result.warnings.length === 0 && !meta.messageId && !meta.subject && !meta.from) {
    throw new ExtractionError('EMAIL_INVALID', name, 'no headers and no readable body');
  }
  return result;
}
