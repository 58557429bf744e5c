/** Accounts masked in a record (`--redact`), for logs that others read. */
import { maskAccount } from '../account.js';
import type { ExtractOptions, ExtractResult } from '../extract/index.js';

/** The record with every account's `number` and `raw` masked (`1234 **** **** 34`). */
export function redactRecord<T extends Pick<ExtractResult, 'accounts'>>(record: T, options: ExtractOptions = {}): T {
  return {
    ...record,
    accounts: record.accounts.map((a) => {
      const masked = maskAccount(a.number, options);
      return { ...a, number: masked, raw: masked };
    }),
  };
}
