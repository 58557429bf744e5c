import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8's young generation from growing past its starting size. A batch allocates fast, so V8
 * would otherwise grow it to its limit in every thread: about 45 MiB of a scan's peak resident memory
 * in the bench, for no gain in speed. V8 flags belong to the whole process, and starting a worker
 * thread puts them back the way Node started, so each pool thread sets this again when it starts.
 */
export function fixYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
