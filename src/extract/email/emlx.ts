/**
 * Apple Mail's `.emlx`: the message's length in bytes on the first line, the message itself (RFC 5322,
 * bodies still in their transfer encodings), then an XML property list of Mail's flags. Only the
 * message is a document; a `.partial.emlx` is the same, with the attachments kept in files beside it.
 */

import { ExtractionError } from '../../errors.js';
import { looksLikeMessage } from '../detect.js';
import type { Reader } from '../runtime.js';
import { readEmail } from './read.js';

const decoder = new TextDecoder('latin1');

/** The message inside an `.emlx`, or `null` when the bytes are not one. */
export function emlxMessage(bytes: Uint8Array): Uint8Array | null {
  const head = decoder.decode(bytes.subarray(0, 32));
  const m = /^[ \t]*(\d{1,12})[ \t]*\r?\n/.exec(head);
  if (m === null) return null;
  const start = m[0].length;
  const length = Number(m[1]);
  // Mail writes the exact length; a file cut short still holds what it has of the message.
  const message = bytes.subarray(start, Math.min(bytes.length, start + length));
  const after = decoder.decode(bytes.subarray(start + length, start + length + 64)).trimStart();
  if (start + length < bytes.length && !after.startsWith('<?xml') && !after.startsWith('<!DOCTYPE plist')) return null;
  return looksLikeMessage(decoder.decode(message.subarray(0, 16 * 1024))) ? message : null;
}

/** An `.emlx` read as the message it holds. */
export const readEmlx: Reader = async (part, options, runtime) => {
  const message = emlxMessage(part.bytes);
  if (message === null) throw new ExtractionError('EMAIL_INVALID', part.name, 'not an Apple Mail message (.emlx)');
  return readEmail({ ...part, bytes: message }, options, runtime);
};
