import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { following, GROWTH_BYTES, MemoryBudget, mustStop, type Reading, SETTLE_MS } from '../src/scan/budget.js';

const MiB = 1024 * 1024;
const BUDGET = 768 * MiB;

describe('the memory budget', () => {
  it('stops what runs once memory passes the budget, or the floor a stop left by the growth allowed', () => {
    const two = [
      { quarantined: false, rssAtStart: 300 * MiB },
      { quarantined: false, rssAtStart: 310 * MiB },
    ];
    expect(mustStop(700 * MiB, BUDGET, undefined, two)).toBe(false);
    expect(mustStop(769 * MiB, BUDGET, undefined, two)).toBe(true);
    // A stop left 700 MiB behind: the next documents have the growth allowed above it, no more.
    expect(mustStop(850 * MiB, BUDGET, 700 * MiB, two)).toBe(false);
    expect(mustStop(700 * MiB + GROWTH_BYTES + MiB, BUDGET, 700 * MiB, two)).toBe(true);
  });

  it('blames a document read alone only for what grew while it ran, and stops it there however slowly it grows', () => {
    // The bomb of ../shared/peers: a stop at 770 MiB left 674 behind, then the bomb, read alone from
    // 714 MiB, grew slowly. Each look once found it short of its own allowance and moved the floor up to
    // it, so it was let grow to 1 034 MiB.
    const budget = new MemoryBudget<Reading>(BUDGET);
    const first = new Set([{ quarantined: false, rssAtStart: 440 * MiB }]);
    let now = 0;
    const tick = (ms = 50) => {
      now += ms;
      return now;
    };
    expect(budget.look(770 * MiB, now, first)).toEqual({ resume: false, stop: true });
    const thread = {};
    const exiting = new Set<unknown>([thread]);
    budget.stopped(first, exiting, now);
    // The floor waits for the stopped thread to exit, then for its memory to go back.
    expect(budget.look(700 * MiB, tick(), new Set())).toEqual({ resume: false, stop: false });
    expect(budget.measuring).toBe(true);
    exiting.delete(thread);
    budget.look(690 * MiB, tick(), new Set());
    expect(budget.look(674 * MiB, tick(SETTLE_MS), new Set())).toEqual({ resume: true, stop: false });
    expect(budget.measuring).toBe(false);
    const alone = new Set([{ quarantined: true, rssAtStart: 714 * MiB }]);
    let stoppedAt: number | undefined;
    for (let rss = 714 * MiB; rss < 1200 * MiB && stoppedAt === undefined; rss += 2 * MiB)
      if (budget.look(rss, tick(), alone).stop) stoppedAt = rss;
    expect(stoppedAt).toBeDefined();
    expect(stoppedAt!).toBeLessThanOrEqual(714 * MiB + GROWTH_BYTES + 2 * MiB);
    // Read beside another document, the same growth is not forgiven.
    expect(mustStop(860 * MiB, BUDGET, 674 * MiB, [...alone, { quarantined: false, rssAtStart: 800 * MiB }])).toBe(
      true,
    );
  });

  it('follows the threads a stop terminated until they have exited, and the OCR workers until they are ended', async () => {
    const stays = new Worker('setInterval(() => {}, 1000)', { eval: true });
    const stopped = new Worker('setInterval(() => {}, 1000)', { eval: true });
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const exiting = following([stays, stopped], [stays], closing);
    expect(exiting.size).toBe(2);
    expect(exiting.has(stopped)).toBe(true);
    const gone = new Promise((resolve) => stopped.once('exit', resolve));
    void stopped.terminate();
    await gone;
    expect(exiting.has(stopped)).toBe(false);
    closed();
    await closing;
    await Promise.resolve();
    expect(exiting.size).toBe(0);
    await stays.terminate();
  });
});
