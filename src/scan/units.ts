/**
 * The documents under a scan's paths, as units of work, in a stable order: files found by the walk,
 * every message of a mailbox, standard input. With a pool (`byPath`), files and mailbox messages go as
 * positions for the threads to read (only standard input is read here).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ExtractionError } from '../errors.js';
import { type DocumentKind, detectKind, toErrorInfo } from '../extract/index.js';
import { cutMessageWarning, type MboxRange, mboxSpans, splitMbox } from '../mailbox/mbox.js';
import { OpenMailbox } from './mailbox.js';
import { matcher, shardOf } from './select.js';
import { readStdin, sniff } from './sniff.js';
import type { ScanOptions, Unit } from './types.js';
import { walk } from './walk.js';

/** Longest message of a mailbox read whole; a longer one is cut with a `TOO_LARGE` warning. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** What every file's units are made with. */
interface Walk {
  /** Whether the document at (source, message index) is this scan's: its shard, not skipped. */
  wanted: (source: string, index?: number) => boolean;
  maxBytes: number;
  range: MboxRange | undefined;
  byPath: boolean;
  /** The mailboxes held open for the pool's threads (closed when the scan stops early). */
  opened: Set<OpenMailbox>;
}

export async function* units(
  paths: readonly string[],
  options: ScanOptions,
  maxBytes: number,
  byPath: boolean,
  opened: Set<OpenMailbox>,
): AsyncGenerator<Unit> {
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const wanted = (source: string, index?: number) =>
    !(options.shard && shardOf(source, index, options.shard[1]) !== options.shard[0]) && !options.skip?.(source, index);
  const context: Walk = { wanted, maxBytes, range: options.range, byPath, opened };
  for (const path of paths) {
    if (path === '-') {
      yield* stdinUnits(wanted);
      continue;
    }
    for await (const entry of walk([path])) {
      const source = entry.path;
      if (entry.error) {
        if (wanted(source)) yield { source, filename: source, error: entry.error };
        continue;
      }
      // Filters apply to files found in folders; a file named on the command line is always read.
      if (source !== path && ((include && !include(source)) || exclude?.(source))) continue;
      yield* fileUnits(source, context);
    }
  }
}

/** Standard input: one document, or every message of a mailbox. */
async function* stdinUnits(wanted: Walk['wanted']): AsyncGenerator<Unit> {
  const bytes = await readStdin();
  if (detectKind(bytes) === 'mbox') {
    for await (const m of splitMbox([bytes])) {
      if (wanted('-', m.index))
        yield { source: '-', index: m.index, bytes: m.bytes, kind: 'email', filename: `- › message ${m.index}` };
    }
  } else if (wanted('-')) {
    yield { source: '-', bytes, filename: '-' };
  }
}

/** One file found by the walk: itself, or every message of it when it is a mailbox. */
async function* fileUnits(source: string, context: Walk): AsyncGenerator<Unit> {
  try {
    const info = await stat(source);
    const guess = await sniff(source);
    if (guess === 'mbox' && context.byPath) yield* messageSpans(source, info.size, context);
    else if (guess === 'mbox') yield* messages(source, context);
    else if (context.wanted(source)) yield await fileUnit(source, info.size, guess, context);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (context.wanted(source))
      yield { source, filename: source, error: toErrorInfo(readFailed(source, code), source) };
  }
}

function readFailed(source: string, code: string): ExtractionError {
  return new ExtractionError('READ_FAILED', source, `cannot read (${code})`);
}

async function fileUnit(source: string, size: number, guess: DocumentKind, context: Walk): Promise<Unit> {
  if (size > context.maxBytes) {
    const error = new ExtractionError('TOO_LARGE', source, `${size} bytes is over maxBytes (${context.maxBytes})`);
    return { source, filename: source, error: toErrorInfo(error, source) };
  }
  if (context.byPath) return { source, file: { path: source, size }, guess, filename: source };
  return { source, bytes: await readFile(source), filename: source };
}

/** The mailbox, or the range of it this scan reads. */
function mailboxStream(source: string, range: MboxRange | undefined, chunk: { highWaterMark?: number } = {}) {
  return range
    ? createReadStream(source, { ...chunk, start: range.start, end: range.end - 1 })
    : createReadStream(source, chunk);
}

/**
 * Where each message of a mailbox lies, for the pool's threads to read and split themselves (only
 * `From ` is looked for here: large reads, few callbacks).
 */
async function* messageSpans(source: string, size: number, context: Walk): AsyncGenerator<Unit> {
  const { range } = context;
  const maxMessageBytes = Math.min(context.maxBytes, MAX_MESSAGE_BYTES);
  const stream = mailboxStream(source, range, { highWaterMark: 1024 * 1024 });
  const mailbox = await OpenMailbox.open(source, context.opened);
  try {
    for await (const m of mboxSpans(stream, range?.end ?? size, range?.start, range?.firstIndex)) {
      if (!context.wanted(source, m.index)) continue;
      const message = { fd: mailbox.handle.fd, start: m.start, end: m.end, maxMessageBytes };
      const file = { path: source, size: m.end - m.start, message };
      const filename = `${source} › message ${m.index}`;
      yield { source, index: m.index, file, kind: 'email', filename, release: mailbox.hold() };
    }
  } finally {
    mailbox.release();
  }
}

/** A mailbox streamed here: every message its own unit, memory one read-ahead window of messages. */
async function* messages(source: string, context: Walk): AsyncGenerator<Unit> {
  const { range } = context;
  const maxMessageBytes = Math.min(context.maxBytes, MAX_MESSAGE_BYTES);
  for await (const m of splitMbox(mailboxStream(source, range), { maxMessageBytes })) {
    const index = (range?.firstIndex ?? 0) + m.index;
    if (!context.wanted(source, index)) continue;
    const filename = `${source} › message ${index}`;
    const warning = m.truncated ? cutMessageWarning(filename) : undefined;
    yield { source, index, bytes: m.bytes, kind: 'email', filename, ...(warning ? { warning } : {}) };
  }
}
