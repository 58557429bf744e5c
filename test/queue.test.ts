import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { needs, requires } from './requires.js';

// A real Redis on 127.0.0.1 at a free port, without persistence; .ci/run installs redis-server. Without it,
// the tests that need it are skipped (they fail with CI=true), and nothing is spawned.
let redis: ChildProcess;
let url: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!requires.redis.available) return;
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const t0 = Date.now();
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch {
      client.disconnect();
      if (Date.now() - t0 > 10_000)
        throw new Error('redis-server did not start (is it installed? .ci/run installs it)');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 20_000);

afterAll(() => {
  redis?.kill('SIGKILL');
});

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function startWorker(name: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    [CLI, 'worker', '--redis', url, '--name', name, '-j', '1', '--lock-duration', '2000'],
    {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, ...env },
    },
  );
}

async function waitFor(what: () => boolean, ms: number, message: string): Promise<void> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error(message);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const status = (name: string) => cli(['queue', 'status', '--redis', url, '--name', name]).stdout;
const done = (name: string) => Number(/done (\d+)/.exec(status(name))?.[1] ?? 0);
const units = (name: string) => Number(/units (\d+)/.exec(status(name))?.[1] ?? -1);
const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  );

describe('a scan spread over workers on a Redis queue', () => {
  needs(requires.redis);

  it('gives exactly the records of a single-machine scan, though a worker is killed mid-run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-queue-'));
    const mbox = join(dir, 'export.mbox');
    spawnSync(process.execPath, [join(ROOT, 'bench', 'make-mailbox.mjs'), mbox, '1'], { encoding: 'utf8' });
    const paths = [DOCUMENTS, mbox];
    const name = 'e2e';

    const add = cli(['queue', 'add', '--redis', url, '--name', name, '--split-size', '100000', ...paths]);
    expect(add.status).toBe(0);
    const total = units(name);
    expect(total).toBeGreaterThan(54); // 47 fixture files, and the mailbox cut into about ten ranges
    // Adding the same paths again adds nothing.
    expect(cli(['queue', 'add', '--redis', url, '--name', name, '--split-size', '100000', ...paths]).stderr).toMatch(
      /0 units enqueued, \d+ already queued/,
    );

    const workers = [startWorker(name), startWorker(name), startWorker(name)];
    await waitFor(() => done(name) >= 3, 60_000, 'no job finished');
    workers[0]!.kill('SIGKILL');
    await waitFor(() => done(name) === total, 120_000, `not every unit finished: ${status(name)}`);
    for (const w of workers.slice(1)) w.kill('SIGTERM');
    await Promise.all(workers.map(exited));
    expect(workers[1]!.exitCode).toBe(0); // SIGTERM: the current job finishes, then a clean exit

    const results = cli(['queue', 'results', '--redis', url, '--name', name]);
    const single = cli(['scan', '-q', ...paths]);
    expect(results.stdout.split('\n').length).toBeGreaterThan(100);
    expect(results.stdout).toBe(single.stdout);
    expect(results.status).toBe(single.status);
  }, 240_000);

  it('ends a document that kills its worker as an error record, and reads the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-poison-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'a.txt'), 'Л/С 3600 0111 2223 01');
    writeFileSync(join(dir, 'in', 'poison.txt'), 'Л/С 3600 0111 2223 02');
    writeFileSync(join(dir, 'in', 'z.txt'), 'Л/С 3600 0111 2223 03');
    const name = 'poison';
    expect(cli(['queue', 'add', '--redis', url, '--name', name, join(dir, 'in')]).status).toBe(0);
    const env = { RTA_FAULT_INJECT: 'exit-on:poison.txt' };
    const workers = [startWorker(name, env), startWorker(name, env), startWorker(name, env)];
    await waitFor(
      () => /failed 1/.test(status(name)) && done(name) === 2,
      90_000,
      `the poison job did not fail: ${status(name)}`,
    );
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map(exited));
    const r = cli(['queue', 'results', '--redis', url, '--name', name]);
    expect(r.status).toBe(3);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.source.split('/').pop())).toEqual(['a.txt', 'poison.txt', 'z.txt']);
    expect(records[1].error).toMatchObject({ code: 'WORKER_FAILED' });
    expect(records[1].error.message).toContain('poison.txt');
    expect(records[2].accounts[0].number).toBe('36000111222303');
  }, 120_000);

  it('refuses to hand out results before every unit is done', () => {
    const name = 'unfinished';
    cli(['queue', 'add', '--redis', url, '--name', name, join(DOCUMENTS, 'text')]);
    const r = cli(['queue', 'results', '--redis', url, '--name', name]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/units are not done yet/);
  });
});

describe('when Redis is not there', () => {
  async function startRedis(port: number): Promise<ChildProcess> {
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(
      () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG',
      10_000,
      'redis-server did not start',
    );
    return server;
  }

  it('every queue command says which server it cannot reach, in one line without the password, and exits 1', async () => {
    const port = await freePort();
    const nowhere = `redis://reader:secret@127.0.0.1:${port}`;
    for (const args of [
      ['queue', 'status'],
      ['queue', 'add', join(DOCUMENTS, 'text')],
      ['queue', 'results'],
      ['queue', 'clear'],
      ['worker'],
    ]) {
      const t0 = Date.now();
      const r = cli([...args, '--redis', nowhere]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`cannot reach Redis at redis://reader:***@127.0.0.1:${port}`),
      ]);
      expect(r.stderr).not.toContain('secret');
    }
  }, 60_000);

  it('a worker that loses Redis says so, waits for it, and goes on when it is back', async (ctx) => {
    requires.redis.check(ctx);
    const port = await freePort();
    const here = `redis://127.0.0.1:${port}`;
    let server = await startRedis(port);
    const worker = spawn(process.execPath, [CLI, 'worker', '--redis', here, '--name', 'outage', '-j', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      // Connected and waiting for jobs: its blocking connection sits in BZPOPMIN (a fixed pause was too
      // short for a worker that starts slowly on a busy machine).
      await waitFor(
        () =>
          spawnSync('redis-cli', ['-p', String(port), 'CLIENT', 'LIST'], { encoding: 'utf8' }).stdout.includes(
            'cmd=bzpopmin',
          ),
        30_000,
        `the worker never waited for jobs: ${stderr}`,
      );
      server.kill('SIGKILL');
      await waitFor(
        () => stderr.includes(`lost Redis at ${here}`),
        10_000,
        `the worker did not say it lost Redis: ${stderr}`,
      );
      server = await startRedis(port);
      const add = spawnSync(
        process.execPath,
        [CLI, 'queue', 'add', '--redis', here, '--name', 'outage', join(DOCUMENTS, 'text')],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(add.status).toBe(0);
      const doneHere = () =>
        Number(/done (\d+)/.exec(cli(['queue', 'status', '--redis', here, '--name', 'outage']).stdout)?.[1] ?? 0);
      const total = Number(/(\d+) units enqueued/.exec(add.stderr)?.[1]);
      expect(total).toBeGreaterThan(5);
      await waitFor(() => doneHere() === total, 30_000, 'the worker did not go on after Redis came back');
      worker.kill('SIGTERM');
      await exited(worker);
      expect(worker.exitCode).toBe(0);
      expect(stderr).not.toMatch(/Unhandled error event|at TCPConnectWrap/);
    } finally {
      worker.kill('SIGKILL');
      server.kill('SIGKILL');
    }
  }, 60_000);
});
