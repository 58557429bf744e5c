import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, ROOT } from './helpers.js';
import { requires } from './requires.js';

// The pool runs the built worker bundle, as users get it.
const lib = await import(join(ROOT, 'dist', 'index.js'));
const BOMB = join(ROOT, '..', 'shared', 'peers', 'pdfjs', 'bomb_giant.pdf');

interface Rec {
  source: string;
  error: { code: string; message: string } | null;
  accounts: unknown[];
}

async function collect(iterable: AsyncIterable<Rec>): Promise<Rec[]> {
  const out: Rec[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

describe('the worker pool', () => {
  it('stops a document that blocks pdf.js by terminating its thread, and reads the rest', async (ctx) => {
    requires.peers.check(ctx);
    expect(existsSync(BOMB), 'shared/peers must sit beside the clone').toBe(true);
    const t0 = Date.now();
    // The memory budget is lifted: in 3.5 s the bomb may also outgrow the default one (OUT_OF_MEMORY).
    const records = await collect(
      lib.scan([BOMB, join(DOCUMENTS, 'pdf', 'label-beside-pdfkit.pdf')], {
        concurrency: 1,
        timeoutMs: 1500,
        maxRssMb: 4096,
      }),
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(records[0]).toMatchObject({ kind: 'pdf', error: { code: 'TIMEOUT' } });
    expect(records[0]!.error!.message).toContain('bomb_giant.pdf');
    expect(records[1]).toMatchObject({
      error: null,
      accounts: [expect.objectContaining({ number: '77001122334455' })],
    });
  });

  it('blames only the document that still goes over alone, when a stop for memory caught lone documents beside it', async (ctx) => {
    requires.peers.check(ctx);
    // A stop for memory stops every task in flight; a document alone in its task (over 512 KiB, or the
    // first of a batch) was failed at once, whichever document held the memory. Three lone tasks start
    // together under a budget they are all over: the two innocent ones (a file, and bytes as a mailbox
    // gives them) are read again in quarantine; only the bomb, which grows alone too, gets OUT_OF_MEMORY.
    const filler = Array.from({ length: 9000 }, (_, i) => `Строка ${i} выписки без номеров, только слова.`);
    const message = (id: string) =>
      [
        'From: billing@rt.example',
        'To: user@example.org',
        `Subject: =?UTF-8?B?${Buffer.from('Счёт за ноябрь').toString('base64')}?=`,
        `Message-ID: <${id}@rt.example>`,
        'Date: Mon, 2 Nov 2026 10:00:00 +0300',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Лицевой счёт: 77001122334455',
        ...filler,
        '',
      ].join('\r\n');
    const dir = mkdtempSync(join(tmpdir(), 'rta-innocent-'));
    const file = join(dir, 'big.eml');
    writeFileSync(file, message('file'));
    const bytes = new TextEncoder().encode(message('bytes'));
    expect(bytes.length).toBeGreaterThan(512 * 1024);
    const pool = new lib.ExtractPool({ threads: 3, maxRssMb: 1 });
    try {
      const [fromFile, fromBytes, bomb] = await Promise.all([
        pool.extractBatch([{ file: { path: file, size: statSync(file).size }, options: { filename: 'big.eml' } }]),
        pool.extractBatch([{ bytes, options: { filename: 'boxed.eml' } }]),
        pool.extractBatch([{ bytes: new Uint8Array(readFileSync(BOMB)), options: { filename: 'bomb_giant.pdf' } }]),
      ]);
      for (const [result] of [fromFile, fromBytes]) {
        expect(result.error).toBeNull();
        expect(result.accounts.map((a: { number: string }) => a.number)).toEqual(['77001122334455']);
      }
      expect(bomb[0].error).toMatchObject({ code: 'OUT_OF_MEMORY' });
      expect(bomb[0].error.message).toContain('bomb_giant.pdf');
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('starts a thread for each task that finds the others busy, not one per core at once', async () => {
    // Each thread loads and warms up its own readers: a few documents on a machine of many cores need one
    // (two when the first task comes before the first thread is ready). The memory budget is lifted, as in
    // the tests around: the bomb read before may have left this process's resident size above it.
    const pool = new lib.ExtractPool({ threads: 4, maxRssMb: 4096 });
    try {
      const text = (i: number) => ({
        bytes: new TextEncoder().encode(`Лицевой счёт 3600 0111 2223 ${String(i).padStart(2, '0')}`),
        options: { filename: `n${i}.txt`, kind: 'text' },
      });
      const [one] = await pool.extractBatch([text(1)]);
      expect(one.error, JSON.stringify(one.error)).toBeNull();
      expect(one.accounts.map((a: { number: string }) => a.number)).toEqual(['36000111222301']);
      await pool.extractBatch([text(2), text(3)]);
      await pool.extractBatch([text(4)]);
      expect(pool.started).toBeLessThanOrEqual(2);
      // Tasks at once: each that finds every started thread busy starts another, up to `threads`.
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.extractBatch([text(10 + i)])));
      expect(results.flat().every((r: { accounts: unknown[] }) => r.accounts.length === 1)).toBe(true);
      expect(pool.started).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('stops when its AbortSignal fires', async () => {
    const controller = new AbortController();
    const seen: Rec[] = [];
    await expect(async () => {
      for await (const r of lib.scan([join(DOCUMENTS, 'text')], { signal: controller.signal, concurrency: 2 })) {
        seen.push(r);
        if (seen.length === 3) controller.abort();
      }
    }).rejects.toThrow();
    expect(seen).toHaveLength(3);
  });

  it('gives way to its AbortSignal at once, even while a document blocks its thread', async (ctx) => {
    requires.peers.check(ctx);
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 1000);
    await expect(
      collect(lib.scan([BOMB, join(DOCUMENTS, 'text')], { signal: controller.signal, concurrency: 1 })),
    ).rejects.toThrow();
    // The bomb alone would hold its thread for the whole minute of timeoutMs.
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  it('rejects bad options at once', async () => {
    await expect(lib.scan(['.'], { concurrency: -1 }).next()).rejects.toThrow(TypeError);
    await expect(lib.scan(['.'], { shard: [3, 3] }).next()).rejects.toThrow(TypeError);
    await expect(lib.scan(['.'], { maxPages: 0 }).next()).rejects.toThrow(TypeError);
  });

  it('keeps V8’s young generation at a fixed size only when asked (fixedYoungGeneration)', () => {
    // A V8 flag holds for the whole process: after a scan that asked for it, even the calling thread's
    // young generation stays small under a burst of allocation; by default the library leaves it alone.
    // A thread started after the pool (as a pool thread restarted after a stop is) and held at its
    // starting size as pool threads are starts at 2 MiB semi-spaces: twice V8's own start.
    const burst = `let keep = [];
      for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }`;
    const newSpace = `getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576`;
    const newSpaceMiB = (fixed: boolean) => {
      const thread = `const { getHeapSpaceStatistics, setFlagsFromString } = process.getBuiltinModule('node:v8');
        setFlagsFromString('--semi-space-growth-factor=1');
        ${burst}
        process.getBuiltinModule('node:worker_threads').parentPort.postMessage(${newSpace});`;
      const script = `
        import { getHeapSpaceStatistics } from 'node:v8';
        import { Worker } from 'node:worker_threads';
        const { scan } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
        let records = 0;
        for await (const r of scan([${JSON.stringify(join(DOCUMENTS, 'text'))}], { concurrency: 1, fixedYoungGeneration: ${fixed} })) records++;
        ${burst}
        const calling = ${newSpace};
        const later = await new Promise((resolve) => new Worker(${JSON.stringify(thread)}, { eval: true }).once('message', resolve));
        console.log(JSON.stringify({ records, calling, later }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { records: number; calling: number; later: number };
      expect(out.records).toBeGreaterThan(5);
      return out;
    };
    const fixed = newSpaceMiB(true);
    expect(fixed.calling).toBeLessThanOrEqual(8);
    const free = newSpaceMiB(false);
    expect(free.calling).toBeGreaterThanOrEqual(16);
    expect(fixed.later).toBe(2 * free.later);
  });

  it('lets go of every task’s port: a thread that reads in microtasks alone kept one per task', () => {
    // Between tasks piscina holds its thread in Atomics.wait, so nothing but the task turns its event
    // loop; a closed port is let go of only when it turns. 60 tasks of text, each with its port.
    const script = `
      import { MessageChannel } from 'node:worker_threads';
      const { default: run } = await import(${JSON.stringify(join(ROOT, 'dist', 'worker.js'))});
      let accounts = 0;
      for (let i = 0; i < 60; i++) {
        const { port1, port2 } = new MessageChannel();
        const bytes = new TextEncoder().encode('Лицевой счёт 1234 5678 9012 34');
        const task = { items: [{ bytes, options: { filename: 'n' + i + '.txt', kind: 'text' } }], port: port2 };
        const results = await run({ ...task, clock: new SharedArrayBuffer(8), base: Date.now() });
        port1.close();
        accounts += results[0].accounts.length;
      }
      const ports = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
      process.stdout.write(JSON.stringify({ accounts, ports }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { accounts: number; ports: number };
    expect(out.accounts).toBe(60);
    expect(out.ports).toBeLessThanOrEqual(2);
  });

  it('the CLI fixes it for its pool threads, not when the documents are read on its own thread (-j 0)', async () => {
    // At its starting size the thread that reads collected ~3 000 times on the 50 MiB bench mailbox:
    // V8's growth saves 8–18 % of -j 0's CPU. A pool thread gains too little for the memory it costs.
    const { fixedYoungGeneration } = await import('../src/cli/scan-command.js');
    // Node's flags as a user gives them: none, then a young generation of their own choosing.
    const { execArgv } = process;
    const nodeOptions = process.env.NODE_OPTIONS;
    try {
      process.execArgv = [];
      delete process.env.NODE_OPTIONS;
      expect(fixedYoungGeneration(0)).toBe(false);
      expect(fixedYoungGeneration(undefined)).toBe(true);
      expect(fixedYoungGeneration(2)).toBe(true);
      process.env.NODE_OPTIONS = '--max-semi-space-size=8';
      expect(fixedYoungGeneration(2)).toBe(false);
    } finally {
      process.execArgv = execArgv;
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    }
  });
});
