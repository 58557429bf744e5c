/**
 * Packages a scan needs only on some of its paths, loaded the first time one is used (synchronously:
 * `new ExtractPool()` and `matcher()` are synchronous). A scan whose records all come from its state
 * starts no pool and may match no globs: it never pays for piscina (its threads' machinery, about 20 ms
 * of a 0.2 s scan) nor picomatch. Both are CommonJS packages (piscina's ESM entry only wraps its
 * CommonJS one), so a `require` loads the same module an `import` would.
 */
import { createRequire } from 'node:module';
import type picomatch from 'picomatch';
import type { Piscina } from 'piscina';

const load = createRequire(import.meta.url);

export const piscina = (): typeof Piscina => (load('piscina') as { Piscina: typeof Piscina }).Piscina;

export const globs = (): typeof picomatch => load('picomatch') as typeof picomatch;
