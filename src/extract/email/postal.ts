/**
 * The MIME parser, on Node and in browsers alike: postal-mime (one parser for both builds, so a message
 * gives the same records wherever it is read; it parses a message in about half the CPU mailparser took,
 * a cost a scan pays on every message: docs/performance.md, «The MIME parser»). It is asked
 * for attached messages as attachments (read recursively, with their own origins) and for no text made
 * from HTML (we render HTML ourselves: tables keep their labels). Loaded with the first message: a thread
 * that reads no email never holds it.
 */
import type { Address, Email } from 'postal-mime';
import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';
import type { Warning } from '../types.js';
import { cutAtPart, hasTooManyParts, type ParsedMessage, tooManyParts } from './parse.js';

export const loadPostalMime = lazily(async () => (await import('postal-mime')).default);

/** The sender as a record gives it: `"Name" <address>`, or the address alone. */
function addressText(address: Address): string {
  if ('group' in address && address.group) {
    return `"${address.name}": ${address.group.map(addressText).join(', ')};`;
  }
  const mailbox = address as { name: string; address?: string };
  const name = mailbox.name ? `"${mailbox.name.replace(/["\\]/g, '\\$&')}"` : '';
  if (!mailbox.address) return name;
  return name ? `${name} <${mailbox.address}>` : mailbox.address;
}

/**
 * The Date header, or nothing when it does not parse (mailparser, the Node parser before, put the time of
 * reading there: a record that changes from run to run, which no rescan can give again).
 */
function dateOf(email: Email): Date | undefined {
  if (email.date === undefined) return undefined;
  const date = new Date(email.date);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Parses one message (its guessed charsets declared already, by the shared reader) into what the reader
 * reads; throws `EMAIL_INVALID`, or warns and reads fewer parts.
 */
export async function parseMessage(
  bytes: Uint8Array,
  name: string,
  maxParts: number,
  warnings: Warning[],
): Promise<ParsedMessage> {
  const PostalMime = await loadPostalMime();
  let raw = bytes;
  // postal-mime reads every part before it answers: a message of too many parts is cut first, before
  // the boundary line that would open one part too many.
  if (hasTooManyParts(raw, maxParts)) {
    warnings.push(tooManyParts(name, maxParts));
    raw = cutAtPart(raw, maxParts);
  }
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  } catch (error) {
    throw new ExtractionError('EMAIL_INVALID', name, `not a readable message (${(error as Error)?.message ?? error})`, {
      cause: error,
    });
  }
  return {
    ...(email.html !== undefined ? { html: email.html } : {}),
    // Text bodies with LF line ends, as the other readers give text: the locator's line numbers count them alike.
    ...(email.text !== undefined ? { text: email.text.replace(/\r\n/g, '\n') } : {}),
    attachments: email.attachments.map((a) => ({
      filename: a.filename ?? undefined,
      contentType: a.mimeType,
      content: a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content as ArrayBuffer),
      cid: a.contentId?.replace(/^<|>$/g, ''),
    })),
    messageId: email.messageId,
    subject: email.subject,
    from: email.from ? { text: addressText(email.from) } : undefined,
    date: dateOf(email),
  };
}
