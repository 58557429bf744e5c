/**
 * `scan()`: the documents under some paths, one record each, in a stable order.
 */
import { maskAccount } from '../account.js';
import { extractFile, type ExtractOptions, type ExtractResult } from '../extract/index.js';
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
    const result = await extractFile(entry.path, extractOptions);
    const record: ScanRecord = { source: entry.path, ...result };
    yield redact ? redactRecord(record, extractOptions) : record;
  }
}
