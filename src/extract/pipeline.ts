/**
 * The pipeline every runtime shares: one document's bytes to its result. Detects the kind, runs the
 * matching reader to get text blocks, repairs damaged text, runs the locator over each block, and merges
 * what the blocks found. Problems with the document become `error` / `warnings` in the result; only bad
 * options throw. Text and HTML are read here; the readers of the other kinds are given by the runtime:
 * Node's in `index.ts` (pdf-parse, OCR, mailboxes), browsers' in `browser.ts` (pdf.js in the
 * page's thread, postal-mime). This module uses no Node built-in.
 */
import { type ExtractionErrorCode, isExtractionError } from '../errors.js';
import { layoutPlainTextExplained, pairPlainText } from '../layout/index.js';
import {
  type AccountMatch,
  type ContractMatch,
  type LocateOptions,
  locate,
  type RejectedCandidate,
} from '../locate/locate.js';
import type { PositionedPair } from '../locate/pairs.js';
import type { Settled } from '../options.js';
import { readPart } from './cache.js';
import { detectKind } from './detect.js';
import { carryPairing, pairLater, pairsWanted } from './plain-pairs.js';
import { failed, toErrorInfo } from './result.js';
import type { Runtime } from './runtime.js';
import { REPAIR_DESCRIPTIONS, repairText } from './text/repair.js';
import { readsBack, utf8Head, utf8Length } from './text/string.js';
import type { DocumentKind, ExtractedBlocks, PartVisit, TextBlock, Warning } from './types.js';
import { partsVisited } from './visits.js';

export type { ExtractOptions } from '../options.js';
export type { DocumentKind, PartVisit, TextBlock, Warning } from './types.js';
export { failed, toErrorInfo };

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
  /** Present with `explain: true`: every part visited inside the document (attachments, entries, bodies). */
  parts?: PartVisit[];
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
      const read = (pairs: readonly PositionedPair[] | undefined) =>
        locate(segment.text, { ...options, ocrText: block.ocr === true, ...(pairs ? { pairs } : {}) });
      let found = read(block.pairs);
      // Plain text by position, where the text alone left a label or a number unexplained (plain-pairs.ts).
      const placed = pairsWanted(block, found, segment.text);
      if (placed) found = read([...(block.pairs ?? []), ...placed]);
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

const EMPTY = new Uint8Array(0);

/**
 * Extracts one document given as bytes (or as a string, read as text) with the runtime's readers. The
 * options are settled already (the entries in node.ts and browser.ts settle them).
 */
export async function extractWith(
  runtime: Runtime,
  input: Uint8Array | string,
  options: Settled,
): Promise<ExtractResult> {
  const name = options.filename;
  // A string read as text or HTML is given to the reader as it is, where decoding its UTF-8 would give it
  // back unchanged (text.ts); else it is read as its UTF-8 bytes.
  const asText = typeof input === 'string' && readsBack(input) ? input : undefined;
  const bytes = typeof input !== 'string' ? input : asText === undefined ? new TextEncoder().encode(input) : EMPTY;
  const size = asText === undefined ? bytes.length : utf8Length(asText);
  const { maxBytes } = options;
  if (size > maxBytes) {
    return failed('unknown', {
      code: 'TOO_LARGE',
      message: `${name}: ${size} bytes is over maxBytes (${maxBytes})`,
    });
  }
  const kind =
    options.kind ??
    (typeof input === 'string'
      ? detectKind(asText === undefined ? bytes : utf8Head(asText), name) === 'html'
        ? 'html'
        : 'text'
      : detectKind(bytes, name));
  const reader = runtime.readers[kind];
  if (!reader) {
    const what =
      kind === 'unknown'
        ? 'not a kind this library reads (text, HTML, PDF, email, a picture, an archive, an office file)'
        : `${kind} documents are not read here`;
    return failed(kind, { code: 'UNSUPPORTED_FORMAT', message: `${name}: ${what}` });
  }
  let extracted: ExtractedBlocks;
  // With explain, the readers log the parts they visit; a normal scan carries no log.
  const visits: PartVisit[] = [];
  try {
    const part =
      asText !== undefined && (kind === 'text' || kind === 'html')
        ? { bytes, name, text: asText }
        : { bytes: asText !== undefined ? new TextEncoder().encode(asText) : bytes, name };
    extracted = await readPart(kind, reader, part, options.explain ? { ...options, visits } : options, runtime);
  } catch (error) {
    return failed(kind, toErrorInfo(error, name));
  }
  const blocks = extracted.blocks.map((block) => prepareBlock(block, kind, name, options, extracted.warnings));
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
    result.parts = partsVisited(name, visits, extracted.warnings);
  }
  return result;
}

/** A plain-text block with its text tables laid out, and the pairs made in them for the locator. */
function layOutPlain(block: TextBlock, options: Settled): TextBlock {
  const settings = { lengths: options.lengths, explain: options.explain === true };
  const laid = layoutPlainTextExplained(block.text, settings);
  // The whole text by position too (blocks side by side, row headers, numbers drawn apart outside
  // tables), made when the locator asks for it; `explain` shows how it pairs in any case.
  const placed = options.explain ? pairPlainText(block.text, settings).notes : [];
  const notes =
    placed.length > 0
      ? ['plain text by position (used where the text alone leaves a number unexplained):', ...placed]
      : [];
  const pairs = [...(block.pairs ?? []), ...laid.pairs];
  const layout = [...(block.layout ?? []), ...laid.notes, ...notes];
  const out: TextBlock = {
    ...block,
    text: laid.text,
    ...(pairs.length > 0 ? { pairs } : {}),
    ...(layout.length > 0 ? { layout } : {}),
  };
  pairLater(out, block.text, options.lengths);
  return out;
}

/**
 * A block made ready for the locator: damaged text repaired, plain text laid out (its columns may make a
 * table; after the repair, since mojibake changes the width of every Cyrillic letter), lines over
 * `maxLineLength` broken.
 */
function prepareBlock(
  original: TextBlock,
  kind: DocumentKind,
  name: string,
  options: Settled,
  warnings: Warning[],
): TextBlock {
  const maxLine = options.maxLineLength;
  const repaired = repairBlock(original, name, warnings);
  carryPairing(original, repaired);
  const block = kind === 'text' || repaired.plain ? layOutPlain(repaired, options) : repaired;
  const limited = breakLongLines(block.text, maxLine);
  if (limited.broken > 0) {
    warnings.push({
      code: 'LINE_TOO_LONG',
      message: `${name}: ${block.origin} has lines over ${maxLine} characters; they were broken (maxLineLength)`,
    });
  }
  if (limited.broken === 0) return block;
  const broken = { ...block, text: limited.text };
  carryPairing(block, broken);
  return broken;
}
