/**
 * Walks the paths a user named: files as they are, folders recursively in a stable (code point) order,
 * symbolic links followed once. A folder reached again through a link is a loop and is reported, not
 * walked; a folder that cannot be read is reported too, so nothing is skipped silently.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type WalkEntry =
  | { path: string; error?: undefined }
  | { path: string; error: { code: 'READ_FAILED'; message: string } };

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function* walk(paths: readonly string[]): AsyncGenerator<WalkEntry> {
  const seen = new Set<string>();
  for (const path of paths) yield* walkOne(path, seen);
}

async function* walkOne(path: string, seen: Set<string>): AsyncGenerator<WalkEntry> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ELOOP' ? 'symbolic link loop' : code === 'ENOENT' ? 'no such file (a dangling link?)' : String(code);
    yield { path, error: { code: 'READ_FAILED', message: `${path}: ${why}` } };
    return;
  }
  if (!info.isDirectory()) {
    yield { path };
    return;
  }
  const real = await realpath(path).catch(() => path);
  if (seen.has(real)) {
    yield { path, error: { code: 'READ_FAILED', message: `${path}: folder already scanned (symbolic link loop?)` } };
    return;
  }
  seen.add(real);
  let names: string[];
  try {
    names = [];
    for await (const entry of await opendir(path)) names.push(entry.name);
  } catch (error) {
    yield {
      path,
      error: {
        code: 'READ_FAILED',
        message: `${path}: cannot list folder (${(error as NodeJS.ErrnoException).code ?? error})`,
      },
    };
    return;
  }
  names.sort(byCodePoint);
  // A Maildir's tmp/ holds messages still being delivered; mail readers ignore it, and so do we.
  const maildir = ['cur', 'new', 'tmp'].every((n) => names.includes(n));
  for (const name of names) {
    if (maildir && name === 'tmp') continue;
    yield* walkOne(join(path, name), seen);
  }
}
