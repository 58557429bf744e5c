/**
 * `extract()` on Node: the shared pipeline (pipeline.ts) with Node's readers: PDFs with pdf-parse and
 * OCR for scanned pages, email with mailparser, images with OCR, whole mailboxes; and `extractFile()`.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolveLengths } from '../account.js';
import { ExtractionError } from '../errors.js';
import { splitMbox } from '../mailbox/mbox.js';
import { extractEmail } from './email-node.js';
import { recognize } from './ocr.js';
import { DEFAULT_TIMEOUT_MS, extractPdf } from './pdf.js';
import {
  checkOptions,
  DEFAULT_MAX_BYTES,
  type ExtractOptions,
  type ExtractResult,
  extractWith,
  failed,
  type Readers,
  TEXT_READERS,
  toErrorInfo,
} from './pipeline.js';
import type { TextBlock, Warning } from './types.js';

const EXTRACTORS: Readers = {
  ...TEXT_READERS,
  pdf: (bytes, name, options) => extractPdf(bytes, name, options),
  email: (bytes, name, options) => extractEmail(bytes, name, options),
  // A scan or a phone photo (PNG, JPEG, TIFF, GIF): read with OCR unless it is off.
  image: async (bytes, name, options) => {
    if (options.ocr === 'off')
      return { blocks: [], warnings: [{ code: 'OCR_OFF', message: `${name}: an image, and OCR is off` }] };
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const outcome = await recognize(bytes, name, { ...options, lengths: resolveLengths(options), deadline });
    if ('warning' in outcome) return { blocks: [], warnings: [outcome.warning] };
    const layout = {
      ...(outcome.layout ? { layout: outcome.layout } : {}),
      ...(outcome.pairs ? { pairs: outcome.pairs } : {}),
    };
    return { blocks: [{ text: outcome.text, origin: 'image (OCR)', ocr: true, ...layout }], warnings: [] };
  },
  // A whole mailbox given to extract(): every message's blocks, tagged `message N`. scan() instead
  // streams a mailbox and gives each message its own record.
  mbox: async (bytes, name, options) => {
    const blocks: TextBlock[] = [];
    const warnings: Warning[] = [];
    for await (const message of splitMbox([bytes])) {
      try {
        const email = await extractEmail(message.bytes, `${name} › message ${message.index}`, options);
        blocks.push(...email.blocks.map((b) => ({ ...b, origin: `message ${message.index} › ${b.origin}` })));
        warnings.push(...email.warnings);
      } catch (error) {
        warnings.push({ code: 'EMAIL_INVALID', message: (error as Error).message });
      }
    }
    return { blocks, warnings };
  },
};

/** Extracts one document given as bytes (or as a string, read as text). */
export function extract(input: Uint8Array | string, options: ExtractOptions = {}): Promise<ExtractResult> {
  return extractWith(EXTRACTORS, input, options);
}

/** Reads and extracts one file. I/O problems become an error in the result, like any other. */
export async function extractFile(path: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  checkOptions(options);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return failed('unknown', { code: 'READ_FAILED', message: `${path}: not a regular file` });
    if (info.size > maxBytes) {
      return failed('unknown', {
        code: 'TOO_LARGE',
        message: `${path}: ${info.size} bytes is over maxBytes (${maxBytes})`,
      });
    }
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return failed('unknown', toErrorInfo(new ExtractionError('READ_FAILED', path, `cannot read (${reason})`), path));
  }
  return extract(bytes, { ...options, filename: options.filename ?? path });
}
