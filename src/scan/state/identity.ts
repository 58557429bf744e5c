/**
 * What the state remembers of a file to know it again without reading it: its place on the disk
 * (device, inode), size and modification time, and hashes of its first and last 64 KiB, so a file
 * rewritten in place with the same size and time still differs. For a mailbox that grew, whether the
 * bytes it had are still there, unchanged, and whether what was added starts a new message.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isSeparator } from '../../mailbox/mbox.js';
import type { FsPath } from '../open.js';

/** How much of each end of a file its identity hashes. */
export const EDGE = 64 * 1024;

export interface Identity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** sha1 of bytes `[0, min(EDGE, size))`. */
  head: string;
  /** sha1 of the last `EDGE` bytes after the head (empty for a file the head covers). */
  tail: string;
}

/** Where a mailbox's last message lay when it was read: what its next scan checks before it reads on. */
export interface MailboxEnd {
  /** The size of the mailbox (the end of its last message). */
  end: number;
  /** Where its last message starts (its separator line). */
  lastStart: number;
  /** sha1 of bytes `[lastStart, end)`. */
  lastHash: string;
  /** How many messages it held: the first message appended is numbered this. */
  messages: number;
}

type Handle = Awaited<ReturnType<typeof open>>;

/** sha1 of bytes `[start, end)` of an open file, read a MiB at a time; `last` gets the range's last bytes. */
async function hashRange(handle: Handle, start: number, end: number, last?: { bytes: Buffer }): Promise<string> {
  const hash = createHash('sha1');
  const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(1, end - start)));
  let at = start;
  while (at < end) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) break; // cut short since its stat: the hash cannot match
    hash.update(buffer.subarray(0, bytesRead));
    at += bytesRead;
    if (last) {
      const chunk = buffer.subarray(0, bytesRead);
      last.bytes = Buffer.from(bytesRead >= 3 ? chunk.subarray(-3) : Buffer.concat([last.bytes, chunk]).subarray(-3));
    }
  }
  if (at < end) hash.update('\0short');
  return hash.digest('hex');
}

/** The identity of a regular file, from its `stat` and its two ends. */
export async function identify(path: FsPath, info: Stats): Promise<Identity> {
  const handle = await open(path, 'r');
  try {
    const headEnd = Math.min(EDGE, info.size);
    const head = await hashRange(handle, 0, headEnd);
    const tail = info.size > headEnd ? await hashRange(handle, Math.max(headEnd, info.size - EDGE), info.size) : '';
    return { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, head, tail };
  } finally {
    await handle.close();
  }
}

/** Whether two identities are the same file with the same bytes, as far as the state can tell. */
export function sameFile(a: Identity, b: Identity): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.head === b.head &&
    a.tail === b.tail
  );
}

/** The hash of a mailbox's last message, `[lastStart, end)`. */
export async function lastMessageHash(path: FsPath, lastStart: number, end: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    return await hashRange(handle, lastStart, end);
  } finally {
    await handle.close();
  }
}

/**
 * Whether a mailbox only grew since `was` was taken of it: the same file, its first bytes and its last
 * message unchanged, and what follows starts with a separator line after a blank line, so that a full
 * read would find the same messages before `was.end` and new ones from there.
 */
export async function onlyGrew(path: FsPath, info: Stats, old: Identity, was: MailboxEnd): Promise<boolean> {
  if (info.dev !== old.dev || info.ino !== old.ino || info.size <= was.end) return false;
  const handle = await open(path, 'r');
  try {
    if ((await hashRange(handle, 0, Math.min(EDGE, was.end))) !== old.head) return false;
    const last = { bytes: Buffer.alloc(0) };
    if ((await hashRange(handle, was.lastStart, was.end, last)) !== was.lastHash) return false;
    // The message before ends with a blank line ("\n\n" or "\n\r\n"): the separator can follow it.
    const t = last.bytes;
    const n = t.length;
    const blank =
      n >= 2 && t[n - 1] === 0x0a && (t[n - 2] === 0x0a || (n >= 3 && t[n - 2] === 0x0d && t[n - 3] === 0x0a));
    if (!blank) return false;
    const next = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(next, 0, next.length, was.end);
    const nl = next.subarray(0, bytesRead).indexOf(0x0a);
    return nl > 0 && isSeparator(next.subarray(0, nl + 1));
  } finally {
    await handle.close();
  }
}
