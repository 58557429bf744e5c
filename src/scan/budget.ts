/**
 * The pool's memory budget: when resident memory calls for the documents in flight to be stopped, and
 * what is left afterwards (the floor). Kept apart from the pool so that the rule is plain to read and
 * can be tested without a bomb.
 *
 * What a stop leaves behind is measured, not assumed: the stopped threads are followed until they have
 * really exited (a task ends at once when it is stopped; its thread tears down its heap after that), and
 * the tesseract workers, whose WebAssembly memory grows with the largest page they read and never
 * shrinks, are ended with them and started again on the next page that needs OCR. What a thread that
 * rendered pages leaves in the process after it exits (90-240 MiB measured, reused by the threads after
 * it) is still counted in the floor (docs/performance.md, «The real-world corpus»).
 */
import type { Worker } from 'node:worker_threads';

/** After the stopped threads are gone, how long their memory is given to go back before the floor is measured. */
export const SETTLE_MS = 250;
/** How long a stopped thread may take to go before the floor is measured anyway. */
export const STOP_WAIT_MS = 3_000;
/**
 * Still over budget after a stop: another is stopped only once memory has grown this much past what was
 * left. A terminated thread's memory does not always go back to the system (it stays with the process,
 * reused by the threads after it), so a stopped bomb may leave the process near its budget: the next
 * documents need room to start a thread and read without being taken for another bomb.
 */
export const GROWTH_BYTES = 160 * 1024 * 1024;

/** A task as the budget sees it. */
export interface Reading {
  /** Read alone, with the pool to itself, after a stop for memory. */
  quarantined: boolean;
  /** Resident memory when it started. */
  rssAtStart: number;
}

/** The last stop for memory. */
export interface Stop<T> {
  /** The tasks stopped. */
  tasks: Set<T>;
  /** What must go before the floor is measured: the stopped threads, the tesseract workers being ended. */
  exiting: Set<unknown>;
  at: number;
  /** When the tasks and threads were all gone. */
  goneAt?: number;
  /** Resident memory once they were gone and it had time to go back: growth is counted from here. */
  floor?: number;
}

/**
 * Whether memory now calls for a stop. Over the budget, or over the floor a stop left by `GROWTH_BYTES`,
 * whichever is higher; but documents read alone are blamed only for memory that grew while they ran
 * (memory a thread stopped before them still hands back, or takes, is not theirs).
 */
export function mustStop(rss: number, maxRss: number, floor: number | undefined, running: Iterable<Reading>): boolean {
  if (rss <= Math.max(maxRss, (floor ?? 0) + GROWTH_BYTES)) return false;
  const tasks = [...running];
  return !(tasks.length > 0 && tasks.every((t) => t.quarantined && rss - t.rssAtStart < GROWTH_BYTES));
}

/**
 * The budget between looks: the last stop, and the floor it left. The pool looks every few tens of
 * milliseconds and does what a look says.
 */
export class MemoryBudget<T extends Reading> {
  private last: Stop<T> | undefined;

  constructor(readonly maxRss: number) {}

  /** A stop's floor is still to be measured: the pool keeps looking (and documents wait) until it is. */
  get measuring(): boolean {
    return this.last !== undefined && this.last.floor === undefined;
  }

  /**
   * One look at resident memory. `resume`: the floor of the last stop was just measured, documents may
   * start again. `stop`: what runs must be stopped now (then tell `stopped`). The floor never moves
   * with a document read alone: one that grows slowly is stopped at its start plus `GROWTH_BYTES`,
   * however often it is looked at.
   */
  look(rss: number, now: number, running: ReadonlySet<T>): { resume: boolean; stop: boolean } {
    const last = this.last;
    let resume = false;
    if (last && last.floor === undefined) {
      const going = last.exiting.size > 0 || [...last.tasks].some((t) => running.has(t));
      if (going && now - last.at < STOP_WAIT_MS) return { resume, stop: false };
      last.goneAt ??= now;
      if (now - last.goneAt < SETTLE_MS) return { resume, stop: false };
      // Nothing has started since the stop, so what is left is what the stopped threads left behind.
      last.floor = rss;
      resume = true;
    }
    if (rss < this.maxRss - GROWTH_BYTES) this.last = undefined;
    return { resume, stop: running.size > 0 && mustStop(rss, this.maxRss, this.last?.floor, running) };
  }

  /** What runs was stopped: `exiting` is what must go before the floor is measured (see `following`). */
  stopped(tasks: Set<T>, exiting: Set<unknown>, now: number): void {
    this.last = { tasks, exiting, at: now };
  }
}

/**
 * Starts following what a stop ends: `before` is the pool's threads just before its tasks were stopped,
 * `after` just after (the pool drops a stopped task's thread at once and terminates it). Each thread that
 * left is followed until it has exited; `closing` (the tesseract workers being ended) until it settles.
 */
export function following(before: Iterable<Worker>, after: Iterable<Worker>, closing: Promise<unknown>): Set<unknown> {
  const exiting = new Set<unknown>();
  const left = new Set(before);
  for (const thread of after) left.delete(thread);
  for (const thread of left) {
    exiting.add(thread);
    thread.once('exit', () => exiting.delete(thread));
  }
  exiting.add(closing);
  const done = () => exiting.delete(closing);
  closing.then(done, done);
  return exiting;
}
