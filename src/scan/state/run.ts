/**
 * Records taken from a scan's state travel as the bytes they were written as: a run of whole NDJSON
 * lines of one file. Nothing parses them on the way; the CLI writes them out as they are, and
 * `scan()` turns them into records only for a caller who iterates records. What a run adds to a
 * scan's counts comes with the file's last run, from the `@file` line that ends its records.
 */
import { type ScanRecord, STORED_LINE } from '../types.js';

/** What a file's records add up to: the CLI's summary and `onProgress` need no record for it. */
export interface Tally {
  messages: number;
  accounts: number;
  contracts: number;
  /** Records with an error, by code. */
  errors: Record<string, number>;
}

export const emptyTally = (): Tally => ({ messages: 0, accounts: 0, contracts: 0, errors: {} });

/** Adds one record to a tally. */
export function count(tally: Tally, record: ScanRecord): void {
  if (record.index !== undefined) tally.messages++;
  tally.accounts += record.accounts.length;
  tally.contracts += record.contractNumbers.length;
  if (record.error) tally.errors[record.error.code] = (tally.errors[record.error.code] ?? 0) + 1;
}

/** Adds a tally to another. */
export function addTally(to: Tally, from: Tally): void {
  to.messages += from.messages;
  to.accounts += from.accounts;
  to.contracts += from.contracts;
  for (const [code, n] of Object.entries(from.errors)) to.errors[code] = (to.errors[code] ?? 0) + n;
}

export class StoredRun {
  constructor(
    /** `count` whole lines, each ending with a line feed: exactly what a full scan's NDJSON output holds. */
    readonly bytes: Buffer,
    readonly count: number,
    /** On a file's last run only: what all its records from the state add up to. */
    readonly tally?: Tally,
    /** Gives its buffer back to be read into again (store.ts, `RunBuffers`). */
    private giveBack?: () => void,
  ) {}

  /** Whether `bytes` is read into again once the run is released: whoever keeps them must copy them first. */
  get reused(): boolean {
    return this.giveBack !== undefined;
  }

  /**
   * The scan is done with the run (it was written out, or made records, and the caller asked for what
   * comes next): its bytes may be overwritten from now on.
   */
  release(): void {
    const giveBack = this.giveBack;
    this.giveBack = undefined;
    giveBack?.();
  }

  /** The run as records, each with its line under `STORED_LINE` (what the CLI writes for it). */
  records(): ScanRecord[] {
    if (this.count === 0) return [];
    return this.bytes
      .toString('utf8', 0, this.bytes.length - 1)
      .split('\n')
      .map((line) => {
        const record = JSON.parse(line) as ScanRecord;
        Object.defineProperty(record, STORED_LINE, { value: line });
        return record;
      });
  }
}
