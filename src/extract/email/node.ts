/**
 * Email on Node: the MIME parser is mailparser 3.x; the message is read by the shared reader (read.ts).
 */
import type { simpleParser as SimpleParser } from 'mailparser';
import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';
import type { MailParser } from '../runtime.js';
import type { Warning } from '../types.js';
import { cutAtPart, type ParsedMessage, tooManyParts } from './parse.js';

const PARSER_OPTIONS = {
  // We read bodies as they are and render HTML ourselves (tables keep their labels); mailparser's
  // HTML→text, text→HTML, links and inlined images would only cost time.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  keepCidLinks: true,
};

/** mailparser, loaded with the first message: a thread that reads no email never holds it (about 27 MiB). */
export const loadMailparser = lazily(
  async (): Promise<typeof SimpleParser> => (await import('mailparser')).simpleParser,
);

/** Parses one message with mailparser into what the shared reader reads. */
export const parseWithMailparser: MailParser = (bytes, name, maxParts, warnings) =>
  parse(bytes, name, maxParts, warnings);

async function parse(bytes: Uint8Array, name: string, maxParts: number, warnings: Warning[]): Promise<ParsedMessage> {
  const simpleParser = await loadMailparser();
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // mailsplit counts MIME nodes (maxChildNodes) and gives up on the whole message past its limit.
  const options = { ...PARSER_OPTIONS, maxChildNodes: maxParts + 1 } as Parameters<typeof SimpleParser>[1];
  try {
    return await simpleParser(raw, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'EMAXLEN' && /child nodes/.test((error as Error).message)) {
      warnings.push(tooManyParts(name, maxParts));
      try {
        const cut = cutAtPart(raw, maxParts);
        return await simpleParser(Buffer.from(cut.buffer, cut.byteOffset, cut.byteLength), options);
      } catch {
        // fall through to the error below
      }
    }
    throw new ExtractionError('EMAIL_INVALID', name, `not a readable message (${(error as Error)?.message ?? error})`, {
      cause: error,
    });
  }
}
