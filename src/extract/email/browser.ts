/**
 * Email in browsers and edge runtimes, with postal-mime (a MIME parser made for them); the message is read
 * by the shared reader (read.ts), so records are those mailparser gives on Node. postal-mime is asked
 * for what mailparser gives: attached messages as attachments (not merged into the body), and no text
 * made from HTML. postal-mime is loaded with the first message.
 */
import type { Address, Email } from 'postal-mime';
import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';
import type { MailParser } from '../runtime.js';
import { cutAtPart, hasTooManyParts, tooManyParts } from './parse.js';

const loadPostalMime = lazily(async () => (await import('postal-mime')).default);

/** The sender as mailparser writes it: `"Name" <address>`, or the address alone. */
function addressText(address: Address): string {
  if ('group' in address && address.group) {
    return `"${address.name}": ${address.group.map(addressText).join(', ')};`;
  }
  const mailbox = address as { name: string; address?: string };
  const name = mailbox.name ? `"${mailbox.name.replace(/["\\]/g, '\\$&')}"` : '';
  if (!mailbox.address) return name;
  return name ? `${name} <${mailbox.address}>` : mailbox.address;
}

/** mailparser takes a Date header that does not parse as the time of reading; so does this. */
function dateOf(email: Email): Date | undefined {
  if (email.date === undefined) return undefined;
  const date = new Date(email.date);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** Parses one message with postal-mime into what the shared reader reads. */
export const parseWithPostalMime: MailParser = async (bytes, name, maxParts, warnings) => {
  const PostalMime = await loadPostalMime();
  let raw = bytes;
  // postal-mime reads every part before it answers: a message of too many parts is cut first, at the
  // part where mailparser's limit cuts it on Node.
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
    // mailparser gives text bodies with LF line ends; the locator's line numbers count them alike.
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
};
