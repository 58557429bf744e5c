/**
 * `extract()` on Node: the shared pipeline (pipeline.ts) with Node's runtime: PDFs with pdf-parse and OCR
 * for scanned pages, email (postal-mime, as in browsers), images with OCR, whole mailboxes; and `extractFile()`.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ExtractionError } from '../errors.js';
import { splitMbox } from '../mailbox/mbox.js';
import { type OcrEngine, recognize } from '../ocr/index.js';
import { type ExtractOptions, type Settled, settle } from '../options.js';
import { ReadCache, type ReadCacheLimits } from './cache.js';
import { readMsgDocument } from './email/msg.js';
import { readEmail } from './email/read.js';
import { readDoc } from './office/node.js';
import { NODE_PDF } from './pdf/node.js';
import { type ExtractResult, extractWith, failed, toErrorInfo } from './pipeline.js';
import { SHARED_READERS } from './readers.js';
import type { Reader, Runtime } from './runtime.js';
import type { TextBlock, Warning } from './types.js';

// A scan or a phone photo (PNG, JPEG, TIFF, GIF): read with OCR unless it is off.
const readImage: Reader = async ({ bytes, name }, options, runtime) => {
  if (options.ocr === 'off')
    return { blocks: [], warnings: [{ code: 'OCR_OFF', message: `${name}: an image, and OCR is off` }] };
  const deadline = Date.now() + options.timeoutMs;
  const outcome = await runtime.recognize!(bytes, name, { ...options, deadline });
  if ('warning' in outcome) return { blocks: [], warnings: [outcome.warning] };
  const layout = {
    ...(outcome.layout ? { layout: outcome.layout } : {}),
    ...(outcome.pairs ? { pairs: outcome.pairs } : {}),
  };
  return { blocks: [{ text: outcome.text, origin: 'image (OCR)', ocr: true, ...layout }], warnings: [] };
};

// A whole mailbox given to extract(): every message's blocks, tagged `message N`. scan() instead
// streams a mailbox and gives each message its own record.
const readMbox: Reader = async ({ bytes, name }, options, runtime) => {
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = [];
  for await (const message of splitMbox([bytes])) {
    try {
      const part = { bytes: message.bytes, name: `${name} › message ${message.index}` };
      const email = await readEmail(part, options, runtime);
      blocks.push(...email.blocks.map((b) => ({ ...b, origin: `message ${message.index} › ${b.origin}` })));
      warnings.push(...email.warnings);
    } catch (error) {
      warnings.push({ code: 'EMAIL_INVALID', message: (error as Error).message });
    }
  }
  return { blocks, warnings };
};

/**
 * Node's runtime. OCR runs on `ocr`, else on this thread's own tesseract workers; a pool thread passes a
 * proxy to the pool's engine, so a process holds one set of workers however many threads it reads on.
 */
export function nodeRuntime(ocr?: OcrEngine, cache?: ReadCache): Runtime {
  return {
    readers: { ...SHARED_READERS, image: readImage, mbox: readMbox, doc: readDoc, msg: readMsgDocument },
    pdf: NODE_PDF,
    recognize: (image, name, options) => recognize(image, name, options, ocr),
    ...(cache ? { cache } : {}),
  };
}

/** A cache of readings for one scan or one pool thread (cache.ts), keyed by the bytes' SHA-1. */
export function readCache(limits?: ReadCacheLimits): ReadCache {
  return new ReadCache((bytes) => createHash('sha1').update(bytes).digest('hex'), limits);
}

const NODE = nodeRuntime();

/** Extracts one document with settled options on `runtime` (a pool thread's, with its OCR proxy). */
export function extractSettled(input: Uint8Array | string, options: Settled, runtime = NODE): Promise<ExtractResult> {
  return extractWith(runtime, input, options);
}

/** Extracts one document given as bytes (or as a string, read as text). */
export async function extract(input: Uint8Array | string, options: ExtractOptions = {}): Promise<ExtractResult> {
  return extractWith(NODE, input, settle(options));
}

/** Reads and extracts one file. I/O problems become an error in the result, like any other. */
export async function extractFile(path: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const settled = settle({ ...options, filename: options.filename ?? path });
  const { maxBytes } = settled;
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
  return extractWith(NODE, bytes, settled);
}
