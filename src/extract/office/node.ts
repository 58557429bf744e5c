/** Word 97 `.doc` on Node, with word-extractor (it reads compound files through Node's Buffer). */
import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';
import type { Reader } from '../runtime.js';

/** Loaded on the first .doc: a scan without one never pays for it. */
const loadWordExtractor = lazily(async () => (await import('word-extractor')).default);

export const readDoc: Reader = async (part) => {
  const WordExtractor = await loadWordExtractor();
  let body: string;
  try {
    const doc = await new WordExtractor().extract(
      Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength),
    );
    body = [doc.getBody(), doc.getHeaders(), doc.getFootnotes(), doc.getTextboxes()].filter(Boolean).join('\n');
  } catch (error) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      part.name,
      `not a readable Word document (${(error as Error).message})`,
    );
  }
  return { blocks: [{ text: body, origin: 'document', plain: true }], warnings: [] };
};
