/** Telling a file's kind from its first bytes, and reading standard input. */
import { open } from 'node:fs/promises';
import { type DocumentKind, detectKind } from '../extract/index.js';

/** The kind of the file at `path`, from its first 64 KiB. */
export async function sniff(path: string): Promise<DocumentKind> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return detectKind(head.subarray(0, bytesRead), path);
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
