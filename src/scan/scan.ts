/**
 * `scan()`: the documents under some paths, one record each, in a stable order.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { maskAccount } from '../account.js';
import { detectKind } from '../extract/detect.js';
import { extract, extractFile, type ExtractOptions, type ExtractResult } from '../extract/index.js';
import { splitMbox } from '../mailbox/mbox.js';
import { walk } from './walk.js';

export interface ScanOptions extends ExtractOptions {
  /** Print accounts masked (`1234 **** **** 34`) in `number` and `raw`. */
  redact?: boolean;
  signal?: AbortSignal;
}

/** One line of the CLI's NDJSON output; `scan()` yields the same objects. */
export interface ScanRecord extends ExtractResult {
  /** The file, as named on the command line or found under a named folder. */
  source: string;
  /** For a message of a mailbox: its 0-based position in the mailbox. */
  index?: number;
}

export function redactRecord<T extends Pick<ExtractResult, 'accounts'>>(record: T, options: ExtractOptions = {}): T {
  return {
    ...record,
    accounts: record.accounts.map((a) => {
      const masked = maskAccount(a.number, options);
      return { ...a, number: masked, raw: masked };
    }),
  };
}

export async function* scan(paths: readonly string[], options: ScanOptions = {}): AsyncGenerator<ScanRecord> {
  const { redact, signal, filename: _ignored, ...extractOptions } = options;
  for await (const entry of walk(paths)) {
    signal?.throwIfAborted();
    if (entry.error) {
      yield { source: entry.path, kind: 'unknown', accounts: [], contractNumbers: [], warnings: [], error: entry.error };
      continue;
    }
    if ((await sniff(entry.path)) === 'mbox') {
      // A mailbox is streamed: every message is its own record, memory stays at one message.
      for await (const message of splitMbox(createReadStream(entry.path))) {
        signal?.throwIfAborted();
        const result = await extract(message.bytes, { ...extractOptions, kind: 'email', filename: `${entry.path} › message ${message.index}` });
        if (message.truncated) {
          result.warnings.push({ code: 'TOO_LARGE', message: `${entry.path} › message ${message.index}: cut at the mailbox message size limit` });
        }
        const record: ScanRecord = { source: entry.path, index: message.index, ...result };
        yield redact ? redactRecord(record, extractOptions) : record;
      }
      continue;
    }
    const result = await extractFile(entry.path, extractOptions);
    const record: ScanRecord = { source: entry.path, ...result };
    yield redact ? redactRecord(record, extractOptions) : record;
  }
}

/** The kind of a file, from its first 64 KiB. */
async function sniff(path: string): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return detectKind(head.subarray(0, bytesRead), path);
    } finally {
      await handle.close();
    }
  } catch {
    return 'unknown'; // extractFile reports the read error in the record
  }
}
