/**
 * The documents under a scan's paths, as units of work, in a stable order: files found by the walk,
 * every message of a mailbox, standard input. With a pool (`byPath`), files and mailbox messages go as
 * positions for the threads to read (only standard input is read here).
 */

import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ExtractionError } from '../errors.js';
import type { DocumentKind } from '../extract/index.js';
import { toErrorInfo } from '../extract/result.js';
import { cutMessageWarning, type MboxRange, mboxSpans, splitMbox } from '../mailbox/mbox.js';
import { OpenMailbox } from './mailbox.js';
import { type FsPath, readFailure, regularFile } from './open.js';
import { matcher, shardOf } from './select.js';
import { detection, readStdin, sniffKind } from './sniff.js';
import { lastMessageHash, type MailboxEnd } from './state/identity.js';
import type { Plan } from './state/plan.js';
import type { ScanState } from './state/state.js';
import type { Entry } from './state/store.js';
import type { ScanOptions, Unit } from './types.js';
import { walk } from './walk.js';

/** Longest message of a mailbox read whole; a longer one is cut with a `TOO_LARGE` warning. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** What every file's units are made with. */
interface Walk {
  /** Whether the document at (source, message index) is this scan's: its shard, not skipped. */
  wanted: (source: string, index?: number, encoding?: 'bytes') => boolean;
  maxBytes: number;
  range: MboxRange | undefined;
  byPath: boolean;
  /** The mailboxes held open for the pool's threads (closed when the scan stops early). */
  opened: Set<OpenMailbox>;
  /** The scan's state (`state`): records of files it knows, and where a mailbox that grew is read on from. */
  state: ScanState | undefined;
}

/**
 * A file the walk found: `source` as records name it, `fsPath` for the file system (the raw bytes of a
 * name that is not UTF-8, whose `source` is its escaped form), and `encoding` for every unit's record.
 */
interface Found {
  source: string;
  fsPath: FsPath;
  encoding: { sourceEncoding?: 'bytes' };
}

export async function* units(
  paths: readonly string[],
  options: ScanOptions,
  maxBytes: number,
  byPath: boolean,
  opened: Set<OpenMailbox>,
  state?: ScanState,
): AsyncGenerator<Unit> {
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const wanted = (source: string, index?: number, encoding?: 'bytes') =>
    !(options.shard && shardOf(source, index, options.shard[1]) !== options.shard[0]) &&
    !options.skip?.(source, index, encoding);
  const context: Walk = { wanted, maxBytes, range: options.range, byPath, opened, state };
  for (const path of paths) {
    if (path === '-') {
      yield* stdinUnits(wanted);
      continue;
    }
    for await (const entry of walk([path])) {
      const source = entry.path;
      // A name that is not UTF-8: its bytes for the file system, its escaped form in the record.
      const encoding = entry.raw ? { sourceEncoding: 'bytes' as const } : {};
      if (entry.error) {
        if (wanted(source, undefined, encoding.sourceEncoding))
          yield { source, ...encoding, filename: source, error: entry.error };
        continue;
      }
      // Filters apply to files found in folders; a file named on the command line is always read.
      if (source !== path && ((include && !include(source)) || exclude?.(source))) continue;
      yield* fileUnits({ source, fsPath: entry.raw ?? source, encoding }, context);
    }
  }
}

/** Standard input: one document, or every message of a mailbox. */
async function* stdinUnits(wanted: Walk['wanted']): AsyncGenerator<Unit> {
  const bytes = await readStdin();
  if ((await detection()).detectKind(bytes) === 'mbox') {
    for await (const m of splitMbox([bytes])) {
      if (wanted('-', m.index))
        yield { source: '-', index: m.index, bytes: m.bytes, kind: 'email', filename: `- › message ${m.index}` };
    }
  } else if (wanted('-')) {
    yield { source: '-', bytes, filename: '-' };
  }
}

/**
 * One file found by the walk: itself, or every message of it when it is a mailbox. Only a regular file
 * is opened (a FIFO would block the open for ever); one that vanished since the walk says so. With a
 * state, a file it knows gives its records from there, and a mailbox that only grew is read on from
 * where it ended.
 */
async function* fileUnits(found: Found, context: Walk): AsyncGenerator<Unit> {
  const { source, fsPath, encoding } = found;
  const failure = (error: unknown): Unit[] =>
    context.wanted(source, undefined, encoding.sourceEncoding)
      ? [{ source, ...encoding, filename: source, error: readFailure(error, source) }]
      : [];
  let info: Stats;
  let planned: Planned | undefined;
  try {
    info = await regularFile(fsPath, source);
    planned = await planFile(found, info, context);
  } catch (error) {
    yield* failure(error);
    return;
  }
  if (!planned) return;
  if ('same' in planned) {
    yield* storedUnits(found, planned.same, planned.same.reuse!, context.state!);
    return;
  }
  const { guess, exact, plan } = planned;
  if (plan?.grown) yield* storedUnits(found, plan, plan.grown, context.state!);
  try {
    if (guess === 'mbox') {
      if (plan) plan.isMailbox = true;
      const was = plan?.grown?.mailbox;
      const range = was ? { start: was.end, end: info.size, firstIndex: was.messages } : context.range;
      const mailbox = { ...context, range };
      if (context.byPath) yield* messageSpans(found, info.size, mailbox, plan);
      else yield* messages(found, mailbox, plan);
    } else if (context.wanted(source, undefined, encoding.sourceEncoding)) {
      yield { ...(await fileUnit(found, info.size, guess, exact, context)), ...(plan ? { plan } : {}) };
    }
  } catch (error) {
    yield* failure(error);
  }
}

/** A file the state holds as it is (`same`), or its kind and what to do with it. */
type Planned = { same: Plan } | { guess: DocumentKind; exact: boolean; plan: Plan | undefined };

/**
 * What a file is and what to do with it: a file whose records the state holds as they are is not even
 * sniffed (its first 64 KiB, which its kind comes from, are part of its identity); undefined: a file
 * of another shard, neither read nor remembered.
 */
async function planFile(found: Found, info: Stats, context: Walk): Promise<Planned | undefined> {
  const { source, fsPath, encoding } = found;
  const known = await context.state?.known(source, encoding.sourceEncoding, fsPath, info);
  if (known?.plan) return { same: known.plan };
  const { kind: guess, exact } = await sniffKind(fsPath, source);
  if (guess !== 'mbox' && !context.wanted(source, undefined, encoding.sourceEncoding)) return undefined;
  const plan = await context.state?.plan(source, encoding.sourceEncoding, fsPath, info, guess, known?.identity);
  return { guess, exact, plan };
}

/** The records the state holds for a file, as units that are already done. */
async function* storedUnits(found: Found, plan: Plan, entry: Entry, state: ScanState): AsyncGenerator<Unit> {
  for await (const stored of state.stored(entry)) {
    yield { source: found.source, ...found.encoding, filename: found.source, stored, plan };
  }
}

/** Where a mailbox ended, once all its messages were found: what the next scan with a state reads on from. */
async function mailboxEnd(fsPath: FsPath, last: { start: number; index: number }, end: number): Promise<MailboxEnd> {
  return {
    end,
    lastStart: last.start,
    lastHash: await lastMessageHash(fsPath, last.start, end),
    messages: last.index + 1,
  };
}

/** `exact`: the sniffed kind is the file's kind (detect.ts, `headDecides`), handed on so it is not detected again. */
async function fileUnit(found: Found, size: number, guess: DocumentKind, exact: boolean, context: Walk): Promise<Unit> {
  const { source, fsPath, encoding } = found;
  if (size > context.maxBytes) {
    const error = new ExtractionError('TOO_LARGE', source, `${size} bytes is over maxBytes (${context.maxBytes})`);
    return { source, ...encoding, filename: source, error: toErrorInfo(error, source) };
  }
  const kind = exact ? { kind: guess } : {};
  if (context.byPath)
    return { source, ...encoding, file: { path: fsPath, size, guess }, guess, ...kind, filename: source };
  return { source, ...encoding, bytes: await readFile(fsPath), ...kind, filename: source };
}

/** The mailbox, or the range of it this scan reads. */
function mailboxStream(fsPath: FsPath, range: MboxRange | undefined, chunk: { highWaterMark?: number } = {}) {
  return range
    ? createReadStream(fsPath, { ...chunk, start: range.start, end: range.end - 1 })
    : createReadStream(fsPath, chunk);
}

/**
 * Where each message of a mailbox lies, for the pool's threads to read and split themselves (only
 * `From ` is looked for here: large reads, few callbacks).
 */
async function* messageSpans(found: Found, size: number, context: Walk, plan?: Plan): AsyncGenerator<Unit> {
  const { source, fsPath, encoding } = found;
  const { range } = context;
  const maxMessageBytes = Math.min(context.maxBytes, MAX_MESSAGE_BYTES);
  const stream = mailboxStream(fsPath, range, { highWaterMark: 1024 * 1024 });
  const mailbox = await OpenMailbox.open(fsPath, source, context.opened);
  let last: { start: number; index: number } | undefined;
  try {
    for await (const m of mboxSpans(stream, range?.end ?? size, range?.start, range?.firstIndex)) {
      last = m;
      if (!context.wanted(source, m.index, encoding.sourceEncoding)) continue;
      const message = { fd: mailbox.handle.fd, start: m.start, end: m.end, maxMessageBytes };
      const file = { path: fsPath, size: m.end - m.start, message };
      const filename = `${source} › message ${m.index}`;
      const release = mailbox.hold();
      yield {
        source,
        ...encoding,
        index: m.index,
        file,
        kind: 'email',
        filename,
        release,
        mailbox,
        ...(plan ? { plan } : {}),
      };
    }
    if (plan && last) plan.mailbox = await mailboxEnd(fsPath, last, range?.end ?? size);
  } finally {
    mailbox.release();
  }
}

/** A mailbox streamed here: every message its own unit, memory one read-ahead window of messages. */
async function* messages(found: Found, context: Walk, plan?: Plan): AsyncGenerator<Unit> {
  const { source, fsPath, encoding } = found;
  const { range } = context;
  const maxMessageBytes = Math.min(context.maxBytes, MAX_MESSAGE_BYTES);
  let last: { start: number; index: number } | undefined;
  for await (const m of splitMbox(mailboxStream(fsPath, range), { maxMessageBytes })) {
    const index = (range?.firstIndex ?? 0) + m.index;
    last = { start: (range?.start ?? 0) + m.offset, index };
    if (!context.wanted(source, index, encoding.sourceEncoding)) continue;
    const filename = `${source} › message ${index}`;
    const warning = m.truncated ? cutMessageWarning(filename) : undefined;
    yield {
      source,
      ...encoding,
      index,
      bytes: m.bytes,
      kind: 'email',
      filename,
      ...(warning ? { warning } : {}),
      ...(plan ? { plan } : {}),
    };
  }
  if (plan && last) plan.mailbox = await mailboxEnd(fsPath, last, range?.end ?? (await stat(fsPath)).size);
}
