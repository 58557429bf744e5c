/**
 * `extract()`: one document's bytes to its result. Detects the kind, runs the matching extractor to get
 * text blocks, runs the locator over each block, and merges what the blocks found. Problems with the
 * document become `error` / `warnings` in the result; only bad options throw.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolveLengths } from '../account.js';
import { ExtractionError, type ExtractionErrorCode, isExtractionError } from '../errors.js';
import { layoutPlainText } from '../layout/index.js';
import {
  type AccountMatch,
  type ContractMatch,
  type LocateOptions,
  locate,
  type RejectedCandidate,
} from '../locate/locate.js';
import { splitMbox } from '../mailbox/mbox.js';
import { detectKind } from './detect.js';
import { extractEmail } from './email.js';
import { decodeHtml } from './html.js';
import { type OcrMode, recognize } from './ocr.js';
import { DEFAULT_TIMEOUT_MS, extractPdf } from './pdf.js';
import { REPAIR_DESCRIPTIONS, repairText } from './repair.js';
import { decodeText } from './text.js';
import type { DocumentKind, ExtractedBlocks, TextBlock, Warning } from './types.js';

export type { DocumentKind, TextBlock, Warning } from './types.js';

export interface ExtractOptions extends LocateOptions {
  /** The document's name: a hint for detection, and the name used in error messages. */
  filename?: string;
  /** Documents larger than this are not read (`TOO_LARGE`). Default 256 MiB. */
  maxBytes?: number;
  /** Keep the text blocks and the rejected candidates in the result (for `--explain`). */
  explain?: boolean;
  /** Opens encrypted PDFs. */
  password?: string;
  /** PDF pages read at most; default 200 (a `MAX_PAGES` warning says when more were skipped). */
  maxPages?: number;
  /** Time for one document, in milliseconds; default 60 000 (`TIMEOUT`). */
  timeoutMs?: number;
  /** How deep messages attached to messages are read; default 8 (`MIME_TOO_DEEP`). */
  maxMimeDepth?: number;
  /** Read the document as this kind instead of detecting it (a message cut from a mailbox is email). */
  kind?: DocumentKind;
  /** MIME parts read per message; default 10 000 (`MIME_TOO_MANY_PARTS`). */
  maxMimeParts?: number;
  /** Longest line handed to the locator, in characters; default 1 MiB. Longer lines are broken (`LINE_TOO_LONG`). */
  maxLineLength?: number;
  /** OCR of scans and photos: `auto` (default) reads images and PDF pages without text; `force` every page; `off` none. */
  ocr?: OcrMode;
  /** Folder of tesseract language data (`rus.traineddata`, `eng.traineddata`); default: the usual system folders. */
  ocrLangPath?: string;
}

export interface Located {
  /** Where in the document the number was found. */
  origin: string;
}

export type FoundAccount = AccountMatch & Located;
export type FoundContract = ContractMatch & Located;
export type RejectedFound = RejectedCandidate & Located;

export interface ErrorInfo {
  code: ExtractionErrorCode;
  message: string;
}

export interface ExtractResult {
  kind: DocumentKind;
  /** Email only: the message's Message-ID, Subject, From and Date (ISO 8601). */
  messageId?: string | null;
  subject?: string | null;
  from?: string | null;
  date?: string | null;
  accounts: FoundAccount[];
  contractNumbers: FoundContract[];
  warnings: Warning[];
  error: ErrorInfo | null;
  /** Present with `explain: true`: every candidate turned down, with its reason. */
  rejected?: RejectedFound[];
  /** Present with `explain: true`: the text the locator read. */
  blocks?: TextBlock[];
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

type Extractor = (bytes: Uint8Array, name: string, options: ExtractOptions) => Promise<ExtractedBlocks>;

const EXTRACTORS: Partial<Record<DocumentKind, Extractor>> = {
  // Text tables (columns aligned with spaces or bars) go through the layout stage in extract(), once
  // damaged text is repaired: mojibake changes the width of every Cyrillic letter.
  text: async (bytes) => ({ blocks: [{ text: decodeText(bytes).text, origin: 'text' }], warnings: [] }),
  html: async (bytes) => ({ blocks: [{ text: decodeHtml(bytes), origin: 'html' }], warnings: [] }),
  pdf: (bytes, name, options) => extractPdf(bytes, name, options),
  email: (bytes, name, options) => extractEmail(bytes, name, options),
  // A scan or a phone photo (PNG, JPEG, TIFF, GIF): read with OCR unless it is off.
  image: async (bytes, name, options) => {
    if (options.ocr === 'off')
      return { blocks: [], warnings: [{ code: 'OCR_OFF', message: `${name}: an image, and OCR is off` }] };
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const outcome = await recognize(bytes, name, { ...options, lengths: resolveLengths(options), deadline });
    if ('warning' in outcome) return { blocks: [], warnings: [outcome.warning] };
    const layout = outcome.layout ? { layout: outcome.layout } : {};
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

/** Bad limits fail loudly and at once, instead of silently meaning something else. */
export function checkOptions(options: ExtractOptions): void {
  for (const key of ['maxBytes', 'maxPages', 'timeoutMs', 'maxMimeParts', 'maxLineLength'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new TypeError(`${key} must be a positive whole number, not ${String(value)}`);
    }
  }
  if (options.password !== undefined && typeof options.password !== 'string')
    throw new TypeError('password must be a string');
  if (options.ocr !== undefined && !['auto', 'off', 'force'].includes(options.ocr))
    throw new TypeError("ocr must be 'auto', 'off' or 'force'");
}

/**
 * Breaks lines longer than `max` at white space (a line feed replaces a space, so offsets stay true),
 * or hard where a stretch has none, so that no single line costs the locator more than a bounded scan.
 */
export function breakLongLines(text: string, max: number): { text: string; broken: number } {
  let broken = 0;
  let out = '';
  let lineStart = 0;
  let from = 0;
  for (let nl = text.indexOf('\n'); ; nl = text.indexOf('\n', nl + 1)) {
    const end = nl < 0 ? text.length : nl;
    while (end - lineStart > max) {
      const cut = lineStart + max;
      const space = text.lastIndexOf(' ', cut);
      if (space > cut - 4096 && space > lineStart) {
        out += `${text.slice(from, space)}\n`;
        from = space + 1;
        lineStart = space + 1;
      } else {
        out += `${text.slice(from, cut)}\n`;
        from = cut;
        lineStart = cut;
      }
      broken++;
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return broken === 0 ? { text, broken } : { text: out + text.slice(from), broken };
}

/** Texts longer than this are located in segments, so the locator's working copies stay small. */
const SEGMENT = 2 * 1024 * 1024;
/** Lines a segment repeats from the one before, so a label at a segment's end still finds its value. */
const OVERLAP_LINES = 6;

/** Splits a long text at line ends into segments that overlap by a few lines; short texts are one segment. */
function* segments(text: string): Generator<{ text: string; offset: number; line: number }> {
  if (text.length <= SEGMENT) {
    yield { text, offset: 0, line: 0 };
    return;
  }
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = start + SEGMENT >= text.length ? text.length : text.lastIndexOf('\n', start + SEGMENT);
    if (end <= start) end = Math.min(text.length, start + SEGMENT);
    const piece = text.slice(start, end);
    yield { text: piece, offset: start, line };
    if (end >= text.length) break;
    // Step back a few lines for the overlap.
    let next = end;
    for (let k = 0; k < OVERLAP_LINES; k++) {
      const prev = text.lastIndexOf('\n', next - 1);
      if (prev <= start) break;
      next = prev;
    }
    const nextStart = next + 1 > start ? next + 1 : end + 1;
    for (let i = text.indexOf('\n', start); i >= 0 && i < nextStart; i = text.indexOf('\n', i + 1)) line++;
    start = nextStart;
  }
}

/** Runs the locator over every block and merges: each number once, first place wins, best confidence kept. */
export function locateBlocks(
  blocks: readonly TextBlock[],
  options: LocateOptions = {},
): { accounts: FoundAccount[]; contractNumbers: FoundContract[]; rejected: RejectedFound[] } {
  const accounts = new Map<string, FoundAccount>();
  const contracts = new Map<string, FoundContract>();
  const rejected: RejectedFound[] = [];
  const seenRejected = new Set<string>();
  for (const block of blocks) {
    for (const segment of segments(block.text)) {
      const found = locate(segment.text, { ...options, ocrText: block.ocr === true });
      const place = <T extends { index: number; line: number }>(m: T): T & Located => ({
        ...m,
        index: m.index + segment.offset,
        line: m.line + segment.line,
        origin: block.origin,
      });
      for (const a of found.accounts) {
        const known = accounts.get(a.number);
        if (known) known.confidence = Math.max(known.confidence, a.confidence);
        else accounts.set(a.number, place(a));
      }
      for (const c of found.contractNumbers) if (!contracts.has(c.number)) contracts.set(c.number, place(c));
      for (const r of found.rejected) {
        const placed = place(r);
        const key = `${block.origin}\0${placed.index}`;
        if (!seenRejected.has(key)) {
          seenRejected.add(key);
          rejected.push(placed);
        }
      }
    }
  }
  return { accounts: [...accounts.values()], contractNumbers: [...contracts.values()], rejected };
}

/**
 * Damaged encodings repaired before the locator reads a block (OCR text has no encoding to damage); each
 * repaired block gets a `TEXT_REPAIRED` warning naming what was repaired and where.
 */
function repairBlock(block: TextBlock, name: string, warnings: Warning[]): TextBlock {
  if (block.ocr) return block;
  const repaired = repairText(block.text);
  if (repaired.repairs.length === 0) return block;
  const what = repaired.repairs.map((r) => `${REPAIR_DESCRIPTIONS[r.family]} [${r.family}]`).join('; ');
  warnings.push({ code: 'TEXT_REPAIRED', message: `${name}: ${block.origin}: repaired ${what}` });
  return { ...block, text: repaired.text };
}

function failed(kind: DocumentKind, error: ErrorInfo, warnings: Warning[] = []): ExtractResult {
  return { kind, accounts: [], contractNumbers: [], warnings, error };
}

function toErrorInfo(error: unknown, name: string): ErrorInfo {
  if (isExtractionError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'READ_FAILED', message: `${name}: ${message}` };
}

/** Extracts one document given as bytes (or as a string, read as text). */
export async function extract(input: Uint8Array | string, options: ExtractOptions = {}): Promise<ExtractResult> {
  checkOptions(options);
  const name = options.filename ?? '<input>';
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    return failed('unknown', {
      code: 'TOO_LARGE',
      message: `${name}: ${bytes.length} bytes is over maxBytes (${maxBytes})`,
    });
  }
  const kind =
    options.kind ??
    (typeof input === 'string' ? (detectKind(bytes, name) === 'html' ? 'html' : 'text') : detectKind(bytes, name));
  const extractor = EXTRACTORS[kind];
  if (!extractor) {
    const what = kind === 'unknown' ? 'not a text, HTML, PDF or email document' : `${kind} documents are not supported`;
    return failed(kind, { code: 'UNSUPPORTED_FORMAT', message: `${name}: ${what}` });
  }
  let extracted: ExtractedBlocks;
  try {
    extracted = await extractor(bytes, name, options);
  } catch (error) {
    return failed(kind, toErrorInfo(error, name));
  }
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const blocks = extracted.blocks.map((original) => {
    const repaired = repairBlock(original, name, extracted.warnings);
    const block =
      kind === 'text' || repaired.plain
        ? { ...repaired, text: layoutPlainText(repaired.text, { lengths: resolveLengths(options) }) }
        : repaired;
    const limited = breakLongLines(block.text, maxLine);
    if (limited.broken > 0) {
      extracted.warnings.push({
        code: 'LINE_TOO_LONG',
        message: `${name}: ${block.origin} has lines over ${maxLine} characters; they were broken (maxLineLength)`,
      });
    }
    return limited.broken > 0 ? { ...block, text: limited.text } : block;
  });
  const found = locateBlocks(blocks, options);
  const result: ExtractResult = {
    kind,
    ...(extracted.meta ?? {}),
    accounts: found.accounts,
    contractNumbers: found.contractNumbers,
    warnings: extracted.warnings,
    error: null,
  };
  if (options.explain) {
    result.rejected = found.rejected;
    result.blocks = blocks;
  }
  return result;
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
