/**
 * Outlook's `.msg` files (compound files, [MS-OXMSG]) read with @kenjiuno/msgreader: the message's
 * identity, its text and HTML bodies, and its attachments, among them messages embedded in the message
 * (Outlook keeps a forwarded mail as a storage inside the file). The attachments go back through
 * detection like any other attachment; the bodies are read as a message's bodies are.
 */

import type * as msgreader from '@kenjiuno/msgreader';
import type { FieldsData } from '@kenjiuno/msgreader';
import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';
import { checkDepth, readChild, SEP } from '../children.js';
import { detectKind } from '../detect.js';
import { htmlToText } from '../html.js';
import type { Reader } from '../runtime.js';
import type { TextBlock, Warning } from '../types.js';
import { visited } from '../visits.js';
import { type Picture, readPictures } from './pictures.js';

// A CommonJS package with `exports.default`: loaded from ESM its class is `default.default`, from
// CommonJS (and in bundles) `default`. Loaded on the first .msg: a scan without one never pays for it.
type MsgReaderClass = typeof msgreader.default.default;
const loadMsgReader = lazily(async (): Promise<MsgReaderClass> => {
  const loaded = (await import('@kenjiuno/msgreader')).default as unknown as { default?: MsgReaderClass };
  return loaded.default ?? (loaded as unknown as MsgReaderClass);
});

export interface MsgContents {
  subject: string | null;
  from: string | null;
  date: string | null;
  /** The text body, and the HTML body when the message has one. */
  text: string | null;
  html: string | null;
  /** With the type Outlook recorded (`attachMimeTag`) and the Content-ID an HTML body's `cid:` names. */
  attachments: Array<{ name: string; bytes: Uint8Array; contentType?: string; cid?: string }>;
  /** Attachments listed but not read (a link to a file elsewhere, an OLE object), and why. */
  skipped: Array<{ name: string; reason: string }>;
}

/** The Windows code page an ANSI store's HTML body is in (`internetCodepage`), as a TextDecoder label. */
function htmlOf(fields: FieldsData): string | null {
  if (fields.bodyHtml) return fields.bodyHtml;
  if (!fields.html) return null;
  const page = fields.internetCodepage;
  const label = page === 65001 || page === undefined ? 'utf-8' : page === 20866 ? 'koi8-r' : `windows-${page}`;
  try {
    return new TextDecoder(label).decode(fields.html);
  } catch {
    return new TextDecoder('utf-8').decode(fields.html);
  }
}

/** Windows' ANSI code page for a locale (LCID), by its primary language: Cyrillic ones first. */
function ansiCodepage(lcid: number | undefined): number | undefined {
  if (lcid === undefined) return undefined;
  const language = lcid & 0x3ff;
  const byLanguage: Record<number, number> = {
    25: 1251, // Russian
    34: 1251, // Ukrainian
    35: 1251, // Belarusian
    63: 1251, // Kazakh
    2: 1251, // Bulgarian
    17: 932, // Japanese
    4: 936, // Chinese
    18: 949, // Korean
    8: 1253, // Greek
    31: 1254, // Turkish
    21: 1250, // Polish
    5: 1250, // Czech
    14: 1250, // Hungarian
  };
  return byLanguage[language] ?? 1252;
}

/** Reads a `.msg`; throws EMAIL_INVALID when the bytes are not an Outlook message. */
export async function readMsg(bytes: Uint8Array, document: string): Promise<MsgContents> {
  const MsgReader = await loadMsgReader();
  let reader: InstanceType<MsgReaderClass>;
  let fields: FieldsData;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    reader = new MsgReader(view);
    fields = reader.getFileData();
  } catch (error) {
    throw new ExtractionError(
      'EMAIL_INVALID',
      document,
      `not a readable Outlook message (${(error as Error).message})`,
    );
  }
  // A store that is not Unicode keeps its strings in the ANSI code page of the writer's Windows (cp1251
  // in Russian Outlook); msgreader reads them as ASCII unless told which. The message's own code page,
  // else its locale's, else its Internet code page; the first that iconv-lite (msgreader's decoder) knows.
  const pages = [fields.messageCodepage, ansiCodepage(fields.messageLocaleId), fields.internetCodepage];
  for (const page of pages) {
    if (page === undefined || page === 65001 || page === 1200 || page === 20127) continue;
    try {
      const again = new MsgReader(view);
      again.parserConfig = { ansiEncoding: `cp${page}` };
      fields = again.getFileData();
      reader = again;
      break;
    } catch {
      // A code page iconv-lite does not know: try the next.
    }
  }
  if (fields.error)
    throw new ExtractionError('EMAIL_INVALID', document, `not a readable Outlook message (${fields.error})`);
  const contents: MsgContents = {
    subject: fields.subject ?? null,
    from: fields.senderEmail
      ? `${fields.senderName ?? ''} <${fields.senderEmail}>`.trim()
      : (fields.senderName ?? null),
    date: fields.messageDeliveryTime ?? fields.clientSubmitTime ?? null,
    text: fields.body ?? null,
    html: htmlOf(fields),
    attachments: [],
    skipped: [],
  };
  for (const attachment of fields.attachments ?? []) {
    // An embedded message is named after its subject, without an extension.
    const base = attachment.fileName ?? attachment.name ?? attachment.subject ?? 'attachment';
    const name = attachment.innerMsgContent && !/\.msg$/i.test(base) ? `${base}.msg` : base;
    try {
      const { content } = reader.getAttachment(attachment);
      if (content && content.length > 0)
        contents.attachments.push({
          name,
          bytes: content,
          ...(attachment.attachMimeTag ? { contentType: attachment.attachMimeTag } : {}),
          ...(attachment.pidContentId ? { cid: attachment.pidContentId } : {}),
        });
      else contents.skipped.push({ name, reason: 'has no content in the file (a link or an OLE object)' });
    } catch (error) {
      contents.skipped.push({ name, reason: `could not be read (${(error as Error).message})` });
    }
  }
  return contents;
}

/**
 * An Outlook message as a document: its HTML body (else its text body), then each attachment through
 * the reader of its kind (a forwarded message is a `.msg` inside the `.msg`).
 */
export const readMsgDocument: Reader = async (part, options, runtime) => {
  checkDepth(part, options);
  const msg = await readMsg(part.bytes, part.name);
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = msg.skipped.map((s) => ({
    code: 'PART_SKIPPED',
    message: `${part.name}${SEP}attachment ${s.name}: not read (${s.reason})`,
  }));
  if (msg.html) blocks.push({ text: htmlToText(msg.html), origin: 'html body' });
  if (msg.text) blocks.push({ text: msg.text, origin: 'text body', plain: true });
  if (msg.html) visited(options, { path: `${part.name}${SEP}html body`, type: 'text/html', read: true });
  if (msg.text) visited(options, { path: `${part.name}${SEP}text body`, type: 'text/plain', read: true });
  // Pictures wait for the rest, as in mail: read with OCR only where the text gives no account.
  const pictures: Picture[] = [];
  for (const attachment of msg.attachments) {
    if (detectKind(attachment.bytes, attachment.name) === 'image') {
      const { name, bytes, contentType = 'image', cid } = attachment;
      pictures.push({ label: name, content: bytes, contentType, cid });
      continue;
    }
    const child = { bytes: attachment.bytes, label: `attachment ${attachment.name}` };
    const read = await readChild(runtime, part, child, options, false);
    blocks.push(...read.blocks);
    warnings.push(...read.warnings);
  }
  warnings.push(
    ...(await readPictures(runtime, pictures, msg.html ?? undefined, blocks, part.name, options, part.depth ?? 0)),
  );
  return {
    blocks,
    warnings,
    meta: { messageId: null, subject: msg.subject, from: msg.from, date: msg.date && toIso(msg.date) },
  };
};

function toIso(date: string): string | null {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
