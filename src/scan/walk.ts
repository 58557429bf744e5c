/**
 * Walks the paths a user named: files as they are, folders recursively in a stable (code point) order,
 * symbolic links followed once. A folder reached again through a link is a loop and is reported, not
 * walked; a folder that cannot be read is reported too, so nothing is skipped silently. Names are read
 * as bytes: one that is not UTF-8 keeps its bytes in `raw` for every file operation, and `path` is its
 * escaped form (see names.ts).
 */
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeBytes, isUtf8 } from './names.js';

export type WalkEntry =
  | { path: string; raw?: Buffer; error?: undefined }
  | { path: string; raw?: Buffer; error: { code: 'READ_FAILED'; message: string } };

export async function* walk(paths: readonly string[]): AsyncGenerator<WalkEntry> {
  const seen = new Set<string>();
  for (const path of paths) yield* walkOne(path, undefined, seen);
}

/** Why `stat` failed, in words: a dangling link and a file deleted since its folder was listed differ. */
async function whyNot(fsPath: string | Buffer, code: string | undefined): Promise<string> {
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code !== 'ENOENT') return String(code);
  const link = await lstat(fsPath).then(
    (info) => info.isSymbolicLink(),
    () => false,
  );
  return link ? 'a dangling symbolic link (its target does not exist)' : 'vanished (deleted or moved during the scan)';
}

async function* walkOne(path: string, raw: Buffer | undefined, seen: Set<string>): AsyncGenerator<WalkEntry> {
  const fsPath = raw ?? path;
  const at = raw ? { raw } : {};
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(fsPath);
  } catch (error) {
    const why = await whyNot(fsPath, (error as NodeJS.ErrnoException).code);
    yield { path, ...at, error: { code: 'READ_FAILED', message: `${path}: ${why}` } };
    return;
  }
  if (!info.isDirectory()) {
    yield { path, ...at };
    return;
  }
  const real = await realpath(fsPath, 'buffer').then(
    (b) => b.toString('latin1'),
    () => path,
  );
  if (seen.has(real)) {
    yield {
      path,
      ...at,
      error: { code: 'READ_FAILED', message: `${path}: folder already scanned (symbolic link loop?)` },
    };
    return;
  }
  seen.add(real);
  let names: Buffer[];
  try {
    names = [];
    for await (const entry of await opendir(fsPath, { encoding: 'buffer' as BufferEncoding }))
      names.push(entry.name as unknown as Buffer);
  } catch (error) {
    yield {
      path,
      ...at,
      error: {
        code: 'READ_FAILED',
        message: `${path}: cannot list folder (${(error as NodeJS.ErrnoException).code ?? error})`,
      },
    };
    return;
  }
  // Byte order is code point order for UTF-8, and stable for names that are not.
  names.sort(Buffer.compare);
  // A Maildir's tmp/ holds messages still being delivered; mail readers ignore it, and so do we.
  const text = names.map((n) => n.toString('latin1'));
  const maildir = ['cur', 'new', 'tmp'].every((n) => text.includes(n));
  for (const name of names) {
    if (maildir && name.toString('latin1') === 'tmp') continue;
    if (!raw && isUtf8(name)) {
      yield* walkOne(join(path, name.toString('utf8')), undefined, seen);
    } else {
      // The folder with its trailing separator, normalised as `join` does for the names that are UTF-8.
      const folder = raw ? Buffer.concat([raw, Buffer.from('/')]) : Buffer.from(join(path, 'x').slice(0, -1));
      const bytes = Buffer.concat([folder, name]);
      yield* walkOne(escapeBytes(bytes), bytes, seen);
    }
  }
}
