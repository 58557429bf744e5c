/**
 * Which documents a scan reads: its shard of them (a hash every machine agrees on), the globs of
 * `include`/`exclude`, and the check of those options.
 */
import { createHash } from 'node:crypto';
import { basename, resolve, sep } from 'node:path';
import { globs as picomatch } from './deps.js';
import type { ScanOptions } from './types.js';

/** The shard a document belongs to: a hash of its path and message index, so every machine agrees. */
export function shardOf(source: string, index: number | undefined, shards: number): number {
  const digest = createHash('sha1')
    .update(`${source}\0${index ?? ''}`)
    .digest();
  return digest.readUInt32BE(0) % shards;
}

/** Bad scan options fail at once, like bad extract options (`settle`). */
export function checkScanOptions(options: ScanOptions): void {
  const { concurrency, shard } = options;
  if (options.state !== undefined) {
    if (typeof options.state !== 'string' || options.state === '') throw new TypeError('state must be a folder path');
    // `skip` leaves documents out of a file's records and `range` reads part of a mailbox: neither
    // gives a file's whole records to remember.
    if (options.skip)
      throw new TypeError('state does not go with skip: a skipped document is not in its file’s records');
    if (options.range) throw new TypeError('state does not go with range: a range is not a whole mailbox');
  }
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 0)) {
    throw new TypeError('concurrency must be a whole number ≥ 0');
  }
  if (shard !== undefined) {
    const [i, n] = shard;
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
      throw new TypeError('shard must be [i, n] with 0 ≤ i < n');
    }
  }
}

/** The state folder inside a scanned folder would be read as documents (and change while it is): refused. */
export function checkStateFolder(state: string, paths: readonly string[]): void {
  const folder = resolve(state);
  for (const path of paths) {
    if (path === '-') continue;
    const root = resolve(path);
    if (folder === root || folder.startsWith(root.endsWith(sep) ? root : root + sep))
      throw new TypeError(`the state folder ${state} is inside ${path}, which is scanned: put it elsewhere`);
  }
}

/**
 * A glob with a `/` matches the whole path, one without matches the file name (as `.gitignore` does).
 * picomatch's own `basename` option also applies it to globs with slashes, so the two are kept apart.
 */
export function matcher(globs: readonly string[] | undefined): ((path: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const withSlash = globs.filter((g) => g.includes('/'));
  const names = globs.filter((g) => !g.includes('/'));
  const glob = picomatch(); // loaded with the first glob (see deps.ts)
  const byPath = withSlash.length ? glob(withSlash, { dot: true }) : () => false;
  const byName = names.length ? glob(names, { dot: true }) : () => false;
  return (path) => byPath(path) || byName(basename(path));
}
