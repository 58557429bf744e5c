/** Telling a file's kind from its first bytes, and reading standard input. */
import type { DocumentKind } from '../extract/index.js';
import { lazily } from '../lazy.js';
import { type FsPath, openRegular } from './open.js';

/**
 * detect.ts, with the text decoders it needs (iconv-lite): loaded with the first document sniffed or
 * detected, not by a scan whose records all come from its state (it sniffs nothing).
 */
export const detection = lazily(() => import('../extract/detect.js'));

/** The kind of the file at `path` (`shown`: its name in records), from its first 64 KiB; only a regular file is opened. */
export async function sniff(path: FsPath, shown = String(path)): Promise<DocumentKind> {
  return (await sniffKind(path, shown)).kind;
}

/**
 * The same, and whether that is the kind `detectKind` gives from all the bytes (`exact`): then the scan
 * hands it on and the file is not detected a second time where it is read.
 */
export async function sniffKind(path: FsPath, shown = String(path)): Promise<{ kind: DocumentKind; exact: boolean }> {
  const { detectKind, headDecides } = await detection();
  const handle = await openRegular(path, shown);
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const { size } = await handle.stat();
    const bytes = head.subarray(0, bytesRead);
    return { kind: detectKind(bytes, shown), exact: headDecides(bytes, size) };
  } finally {
    await handle.close();
  }
}

/** All of standard input. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
