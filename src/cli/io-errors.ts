/**
 * Failures of the CLI's own output (`--out`, its journal, standard output): a full disk, a read-only or
 * missing folder, a folder the user may not write. They end the scan with one line that names the path
 * and the cause in words, and exit code 4, never a stack trace. The output folder is checked before any
 * document is read, so a typo in `--out` costs nothing.
 */
import { constants, existsSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The cause of an I/O failure, as a person says it. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EIO: 'input/output error (a failing disk?)',
  EFBIG: 'file too large for the file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

export function ioCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && CAUSES[code]) ?? (code || (error instanceof Error ? error.message : String(error)));
}

/** The scan's output could not be written: `path` and the cause in words; `journal` is set when `--resume` can finish it. */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(
    readonly path: string,
    readonly action: string,
    readonly reason: unknown,
    readonly resumeOut?: string,
  ) {
    super(`cannot ${action} ${path}: ${ioCause(reason)}`);
  }

  /** The one line the CLI prints, with the `--resume` hint when the journal is there to resume. */
  line(): string {
    const hint = this.resumeOut
      ? `; the journal is kept: fix this, then run again with --resume to finish ${this.resumeOut}`
      : '';
    return `rostelecom-account: ${this.message}${hint}\n`;
  }
}

/** Wraps any failure of `fn` on `path` into an `OutputError`. */
export async function guarded<T>(path: string, action: string, fn: () => Promise<T>, resumeOut?: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OutputError) throw error;
    throw new OutputError(path, action, error, resumeOut && existsSync(`${resumeOut}.partial`) ? resumeOut : undefined);
  }
}

/**
 * Before any work: the folder `out` goes to exists, is a folder, and can be written (`access` says
 * EROFS on a read-only mount even to root; modes are checked for everyone else).
 */
export async function checkOutputFolder(out: string): Promise<void> {
  const folder = dirname(resolve(out));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    throw new OutputError(folder, 'write into', error);
  }
  if (!isFolder) throw new OutputError(folder, 'write into', Object.assign(new Error(), { code: 'ENOTDIR' }));
  await guarded(folder, 'write into', () => access(folder, constants.W_OK | constants.X_OK));
}
