import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Stops V8's young generation from growing past its starting size. A batch allocates fast, so V8
 * would otherwise grow it to its limit in every thread: about 45 MiB of a scan's peak resident memory
 * in the bench, for no gain in speed. V8 flags belong to the whole process, and starting a worker
 * thread puts them back the way Node started, so each pool thread sets this again when it starts.
 */
export function fixYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  // A young generation this small is collected every few milliseconds; V8 would share each of those
  // collections with its helper threads, which on a machine whose cores all read documents only take
  // time from the other pool threads: about 5 % of the default scan's time (docs/performance.md).
  setFlagsFromString('--no-parallel-scavenge');
}

/**
 * The size a pool thread's young generation is fixed at: semi-spaces of 2 MiB, twice V8's start. On
 * the 50 MiB bench mailbox the default scan then uses 8–10 % less CPU and time for 2–10 MiB more at its
 * peak; letting V8 grow it instead costs 25–30 MiB for the same speed (docs/performance.md).
 */
export const POOL_SEMI_SPACE_MB = 2;

/**
 * Starts the young generation of every heap made from now on (worker threads: a heap's size is set
 * when the thread starts, and the flag holds for threads started later, a thread restarted after a
 * stop among them) at `POOL_SEMI_SPACE_MB`. Heaps that exist keep theirs. A process-wide V8 flag, as
 * `fixYoungGeneration` is: only for a pool whose owner owns the process.
 */
export function startYoungGenerationOfNewThreads(): void {
  setFlagsFromString(`--min-semi-space-size=${POOL_SEMI_SPACE_MB}`);
}

/**
 * For a process that only hands work to pool threads and merges their records (the CLI's own
 * thread): a full collection whenever its heap has grown past `bytes`. Almost all it allocates is
 * records waiting their turn in the output order; they outlive a young-generation collection, so they
 * pile up in the old generation, which V8 lets grow by tens of MiB before it collects, for a live heap
 * of about 8 MiB. A collection of that heap takes a few milliseconds. V8 flags belong to the process:
 * only a program that owns its process calls this (the CLI).
 */
export function keepHeapSmall(bytes = 40 * 1024 * 1024, everyMs = 500): () => void {
  // The collector is fetched the first time the heap is over (a context of its own costs a few
  // milliseconds, more than a whole scan from its state spends on its heap).
  let gc: (() => void) | undefined;
  const collector = (): (() => void) | undefined => {
    if (gc) return gc;
    setFlagsFromString('--expose-gc');
    const found = runInNewContext('gc') as (() => void) | undefined;
    if (typeof found === 'function') gc = found;
    else clearInterval(timer);
    return gc;
  };
  // A heap that is really that large (a document read on this thread) is left to V8 until it doubles.
  let threshold = bytes;
  const timer = setInterval(() => {
    if (getHeapStatistics().used_heap_size <= threshold) return;
    collector()?.();
    threshold = Math.max(bytes, 2 * getHeapStatistics().used_heap_size);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
