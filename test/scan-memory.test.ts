/**
 * A scan keeps nothing of the records it has yielded: memory stays flat however large the input.
 * (Racing every wait against one promise for the whole scan once kept every record of a mailbox.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('scan memory', () => {
  it('lets every yielded record go, with an AbortSignal and without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-memory-'));
    for (let i = 0; i < 120; i++)
      writeFileSync(
        join(dir, `n${String(i).padStart(3, '0')}.txt`),
        `Л/С 3600 0111 2${String(i).padStart(3, '0')} 33\n`,
      );
    for (const signal of [new AbortController().signal, undefined]) {
      const early: Array<WeakRef<object>> = [];
      let n = 0;
      for await (const record of scan([dir], { concurrency: 0, ...(signal ? { signal } : {}) })) {
        if (n++ < 20) early.push(new WeakRef(record));
        if (n === 100) {
          await new Promise((resolve) => setImmediate(resolve));
          gc();
          expect(early.filter((r) => r.deref() !== undefined).length).toBe(0);
        }
      }
      expect(n).toBe(120);
    }
  });
});
