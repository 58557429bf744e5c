/**
 * The scan's share of file descriptors. Node has no `getrlimit`, so the limit (`ulimit -n`) is read
 * from /proc/self/limits (Linux), else taken as 1024. Mailboxes the scan holds open while their messages
 * are read on the pool's threads take a descriptor each from this budget; at the limit the scan waits
 * for one to be let go instead of failing with EMFILE. The rest of the limit is left for what a process
 * opens besides documents: standard streams, the journal, the threads' event loops, modules loaded on
 * first use, a file each lane of a thread reads.
 */
import { readFileSync } from 'node:fs';
import { Semaphore } from './semaphore.js';

const FALLBACK_LIMIT = 1024;
/** Descriptors kept for everything but held mailboxes (measured: about 30 with two threads). */
const RESERVED = 40;
/** Never more mailboxes open at once than this, whatever the limit (the pipeline needs far fewer). */
const MOST = 256;

/** The soft limit on open files of this process. */
export function openFileLimit(limits = '/proc/self/limits'): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(limits, 'latin1'));
    if (m) return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    // not Linux: the usual default
  }
  return FALLBACK_LIMIT;
}

/** A counting semaphore over descriptors. */
export class FdBudget extends Semaphore {
  /** Mailboxes one batch may hold while it is gathered (it lets go of none before it is sent). */
  readonly perBatch: number;

  constructor(size: number) {
    super(size);
    this.perBatch = Math.max(1, Math.floor(size / 4));
  }

  static forLimit(limit: number): FdBudget {
    return new FdBudget(Math.min(MOST, Math.max(2, Math.floor((limit - RESERVED) / 2))));
  }
}

let shared: FdBudget | undefined;

/** The process's budget: every scan in it draws on the same limit. */
export function fdBudget(): FdBudget {
  shared ??= FdBudget.forLimit(openFileLimit());
  return shared;
}
