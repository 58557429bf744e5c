/**
 * Packages a scan needs only on some of its paths, loaded the first time one is used (synchronously:
 * `new ExtractPool()` and `matcher()` are synchronous). A scan whose records all come from its state
 * starts no pool and may match no globs: it never pays for piscina (its threads' machinery, about
 * 20 ms of a 0.2 s scan), Node's worker_threads, nor picomatch. Both packages are CommonJS (piscina's
 * ESM entry only wraps its CommonJS one), so a `require` loads the same module an `import` would.
 */
import { createRequire } from 'node:module';
import type { MessageChannel } from 'node:worker_threads';
import type picomatch from 'picomatch';
import type { Piscina } from 'piscina';

/** Made on first use too: it costs about a millisecond. */
let require: NodeJS.Require | undefined;

function load(name: string): unknown {
  require ??= createRequire(import.meta.url);
  return require(name);
}

export const piscina = (): typeof Piscina => (load('piscina') as { Piscina: typeof Piscina }).Piscina;

export const globs = (): typeof picomatch => load('picomatch') as typeof picomatch;

/** A channel to a pool thread; worker_threads (which Node compiles when first loaded) comes with the first. */
export const messageChannel = (): MessageChannel =>
  new (load('node:worker_threads') as { MessageChannel: typeof MessageChannel }).MessageChannel();
