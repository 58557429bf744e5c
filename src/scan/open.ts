/**
 * How the scan opens documents: only regular files, and never in a way that can block. The kind is
 * checked with `stat` first, so a FIFO, a socket or a device gets an error record instead of an open
 * (opening a FIFO waits for a writer, for ever). Between that check and the open the path can become
 * something else, so files are opened with `O_NONBLOCK` (an open FIFO returns at once) and checked
 * again with `fstat` on the descriptor. A file that changes while it is read (its size or time differ
 * at the end) gets a `FILE_CHANGED` warning; a file deleted since the folder was listed says so.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { ExtractionError } from '../errors.js';
import type { ErrorInfo, Warning } from '../extract/index.js';
import { toErrorInfo } from '../extract/result.js';

/** A path as the file system takes it: a string, or the raw bytes of a name that is not UTF-8. */
export type FsPath = string | Buffer;

const READ_NONBLOCK = constants.O_RDONLY | constants.O_NONBLOCK;

/** What a file that is not regular is, in words; null for a regular file. */
export function notRegular(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function notRegularError(what: string, shown: string): ExtractionError {
  return new ExtractionError('READ_FAILED', shown, `${what}, not a regular file: not read`);
}

/** The file's `stat`, when it is a regular file; otherwise a `READ_FAILED` naming its kind. */
export async function regularFile(path: FsPath, shown: string): Promise<Stats> {
  const info = await stat(path);
  const what = notRegular(info);
  if (what) throw notRegularError(what, shown);
  return info;
}

/** Opens a regular file for reading without ever blocking on the open (see the module comment). */
export async function openRegular(path: FsPath, shown: string): Promise<FileHandle> {
  const handle = await open(path, READ_NONBLOCK);
  const what = notRegular(await handle.stat());
  if (what) {
    await handle.close();
    throw notRegularError(what, shown);
  }
  return handle;
}

/** A whole regular file, read on a pool thread; `warning` when it changed while it was read. */
export function readRegularSync(path: FsPath, shown: string): { bytes: Buffer; warning?: Warning } {
  const fd = openSync(path, READ_NONBLOCK);
  try {
    const before = fstatSync(fd);
    const what = notRegular(before);
    if (what) throw notRegularError(what, shown);
    const parts: Buffer[] = [];
    let total = 0;
    // Up to the size seen at the start, and a little past it to notice growth; never an unbounded read.
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(before.size - total + 1, 8 * 1024 * 1024)));
      const n = readSync(fd, buffer, 0, buffer.length, total);
      if (n === 0) break;
      parts.push(n === buffer.length ? buffer : buffer.subarray(0, n));
      total += n;
      if (total > before.size) break;
    }
    const after = fstatSync(fd);
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (total !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs)
      return { bytes, warning: changedWarning(shown, before.size, after.size) };
    return { bytes };
  } finally {
    closeSync(fd);
  }
}

export function changedWarning(shown: string, before: number, after: number): Warning {
  const how =
    after < before
      ? `shrank from ${before} to ${after} bytes`
      : after > before
        ? `grew from ${before} to ${after} bytes`
        : 'was modified';
  return {
    code: 'FILE_CHANGED',
    message: `${shown}: the file ${how} while it was read; what was read may be cut or mixed`,
  };
}

/** A mailbox message that ends at the end of the file before its own end: the mailbox shrank while it was read. */
export function cutByShrinkWarning(shown: string, read: number, expected: number): Warning {
  return {
    code: 'FILE_CHANGED',
    message: `${shown}: the mailbox shrank while it was read; this message is cut (${read} of ${expected} bytes)`,
  };
}

/** Why a document could not be opened or read, in words (`READ_FAILED`), as the error to throw. */
export function readFailedError(error: unknown, shown: string): ExtractionError {
  if (error instanceof ExtractionError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  const why =
    code === 'ENOENT'
      ? 'vanished (deleted or moved after the folder was listed)'
      : code === 'ENXIO'
        ? 'a socket or a device without a reader (ENXIO): not read'
        : `cannot read (${code})`;
  return new ExtractionError('READ_FAILED', shown, why);
}

/** Why a document could not be opened or read, as its record's error. */
export function readFailure(error: unknown, shown: string): ErrorInfo {
  return toErrorInfo(readFailedError(error, shown), shown);
}
