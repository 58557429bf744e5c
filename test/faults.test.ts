/**
 * Faults of the machine around a scan, met the way an operator meets them, with the built CLI and its
 * default flags: a full disk (a 64 KiB tmpfs in a private mount namespace), a read-only, missing or
 * forbidden output folder, a journal torn by SIGKILL, a FIFO in the tree, a mailbox truncated while it is
 * read, names that are not UTF-8, a Redis gone for good, and `ulimit -n 64`. Every wait is time-boxed;
 * mounts live in namespaces that end with their command, and every process is killed in `finally`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { needs, Requirement, requires } from './requires.js';

let dir: string;
const NOTE = join(DOCUMENTS, 'text', 'note.txt');
const ACCOUNT = '37001234560001'; // note.txt's invented account

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rta-faults-'));
  chmodSync(dir, 0o755); // the unprivileged user of the EACCES test reads the inputs
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], options: { input?: string; timeout?: number } = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    killSignal: 'SIGKILL', // a scan that ignores SIGTERM (the fault under test) must not outlive its test
    maxBuffer: 64 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

/** A shell command, time-boxed (a mount namespace or an unprivileged user runs the CLI inside it). */
function sh(script: string, timeout = 60_000) {
  return spawnSync('sh', ['-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const node = `${q(process.execPath)} ${q(CLI)}`;

/** The one line an output failure gives: the path, the cause in words, and never a stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |Error:|node:events/);
}

function inputs(name: string, copies: number): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < copies; i++) copyFileSync(NOTE, join(folder, `note-${String(i).padStart(4, '0')}.txt`));
  return folder;
}

const mountNamespaces = new Requirement(
  'mounts in a private mount namespace (unshare -m as root)',
  'apt-get install util-linux (and run as root, as CI does)',
  () => {
    const probe = mkdtempSync(join(tmpdir(), 'rta-probe-'));
    try {
      const r = sh(`unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs ${q(probe)}'`, 10_000);
      return r.status === 0 ? null : `unshare -m cannot mount (${(r.stderr || r.error?.message || '').trim()})`;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  },
);

const unprivileged = new Requirement(
  'running a command as an unprivileged user (setpriv, as root)',
  'apt-get install util-linux (and run as root, as CI does)',
  () => (sh('setpriv --reuid=65534 --regid=65534 --clear-groups true', 10_000).status === 0 ? null : 'setpriv failed'),
);

describe('the output cannot be written', () => {
  it('a full disk: one line naming the journal and «no space left», exit 4; moved to a roomy disk, --resume completes exactly', (ctx) => {
    mountNamespaces.check(ctx);
    const input = inputs('full', 400);
    const full = cli(['scan', '--out', join(dir, 'all.ndjson'), input]);
    expect(full.status).toBe(0);
    const tiny = join(dir, 'tiny');
    const kept = join(dir, 'kept');
    mkdirSync(tiny);
    mkdirSync(kept);
    // The journal is copied out before the namespace, and its tmpfs, end.
    const r = sh(
      `unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs ${tiny} && ${node} scan --out ${tiny}/out.ndjson ${input}; ` +
        `echo "rc=$?" >&2; cp ${tiny}/out.ndjson.partial ${kept}/out.ndjson.partial'`,
    );
    expect(r.stderr).toMatch(/rc=4\n$/);
    expectOneLine(
      r.stderr.replace(/rc=4\n$/, ''),
      new RegExp(
        `^rostelecom-account: cannot write ${tiny}/out\\.ndjson\\.partial: no space left on the device; .*--resume to finish ${tiny}/out\\.ndjson$`,
      ),
    );
    const resumed = cli(['scan', '--out', join(kept, 'out.ndjson'), '--resume', input]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(join(kept, 'out.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'all.ndjson'), 'utf8'));
  });

  it('a read-only file system: one line before anything is read, exit 4', (ctx) => {
    mountNamespaces.check(ctx);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const r = sh(
      `unshare -m sh -c 'mount -t tmpfs -o size=64k,ro tmpfs ${ro} && ${node} scan --out ${ro}/out.ndjson ${q(NOTE)}'`,
    );
    expect(r.status).toBe(4);
    expectOneLine(r.stderr, new RegExp(`^rostelecom-account: cannot write into ${ro}: read-only file system$`));
  });

  it('a missing folder: one line, exit 4, nothing created', () => {
    const r = cli(['scan', '--out', join(dir, 'nope', 'out.ndjson'), NOTE]);
    expect(r.status).toBe(4);
    expectOneLine(r.stderr, /^rostelecom-account: cannot write into .*\/nope: no such folder$/);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('a folder the user may not write: «permission denied», exit 4', (ctx) => {
    unprivileged.check(ctx);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o755 }); // root's: nobody may read it, not write it
    const r = sh(
      `setpriv --reuid=65534 --regid=65534 --clear-groups ${node} scan --out ${locked}/out.ndjson ${q(NOTE)}`,
    );
    expect(r.status, r.stderr).toBe(4);
    expectOneLine(r.stderr, new RegExp(`^rostelecom-account: cannot write into ${locked}: permission denied$`));
  });
});

/** Resolves when `p` has exited, or after `ms` (then false). */
function exitWithin(p: ChildProcess, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function until(what: () => boolean, ms: number, message: string): Promise<void> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error(message);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a process's event loop waits on its standard input (Linux: fd 0 is in its epoll set). */
function pollsStdin(pid: number): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:[eventpoll]') continue;
      if (/^tfd:\s+0\s/m.test(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))) return true;
    } catch {
      // the descriptor closed meanwhile
    }
  }
  return false;
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

describe('the journal', () => {
  it('a record that lost only its newline to SIGKILL is redone, not glued to the next; the summary counts the journalled errors', async () => {
    const input = inputs('torn', 300);
    spawnSync('mkfifo', [join(input, 'a-pipe')]); // sorted first: its error record is in the journal
    const full = cli(['scan', '--out', join(dir, 'torn-all.ndjson'), input]);
    expect(full.status).toBe(3);
    const out = join(dir, 'torn.ndjson');
    const p = spawn(process.execPath, [CLI, 'scan', '--out', out, input], { stdio: 'ignore' });
    try {
      await until(() => lines(`${out}.partial`) >= 20, 30_000, 'the scan wrote no records');
      p.kill('SIGKILL');
      expect(await exitWithin(p, 5_000)).toBe(true);
    } finally {
      p.kill('SIGKILL');
    }
    // Cut the journal after its last whole record, then its newline only.
    const journal = readFileSync(`${out}.partial`);
    const last = journal.lastIndexOf(0x0a);
    expect(last).toBeGreaterThan(0);
    truncateSync(`${out}.partial`, last);
    expect(lines(`${out}.partial`)).toBeLessThan(300);
    const resumed = cli(['scan', '--out', out, '--resume', input]);
    expect(resumed.status).toBe(3);
    expect(resumed.stderr).toMatch(/1 error \(READ_FAILED 1\)/);
    expect(resumed.stderr).not.toMatch(/no errors/);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'torn-all.ndjson'), 'utf8'));
  }, 90_000);
});

describe('files that are not regular, or change', () => {
  it('a FIFO gets a record that says so, and the scan finishes; so does a dangling link', () => {
    const input = inputs('fifo', 3);
    spawnSync('mkfifo', [join(input, 'pipe')]);
    spawnSync('ln', ['-s', join(input, 'gone'), join(input, 'link')]);
    const r = cli(['scan', input], { timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(3);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(5);
    expect(records.find((x) => x.source.endsWith('/pipe')).error).toEqual({
      code: 'READ_FAILED',
      message: `${input}/pipe: a FIFO (named pipe), not a regular file: not read`,
    });
    expect(records.find((x) => x.source.endsWith('/link')).error.message).toMatch(/a dangling symbolic link/);
    expect(records.filter((x) => x.accounts[0]?.number === ACCOUNT)).toHaveLength(3);
  });

  it('SIGTERM while the scan waits on standard input that never comes ends it within seconds (143)', async () => {
    const p = spawn(process.execPath, [CLI, 'scan', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (d) => {
      stderr += d;
    });
    try {
      // The scan reads standard input (its signal handlers are set before): it waits there for ever.
      await until(() => pollsStdin(p.pid!), 20_000, 'the scan did not start reading standard input');
      const t0 = Date.now();
      p.kill('SIGTERM');
      expect(await exitWithin(p, 8_000)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(8_000);
      expect(p.exitCode, stderr).toBe(143);
      expect(stderr).toMatch(/interrupted after 0 documents/);
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('a mailbox truncated while it is read: every message whose account is gone says why', async () => {
    const input = join(dir, 'shrinking');
    mkdirSync(input);
    const mbox = join(input, 'export.mbox');
    const pad = 'x'.repeat(70);
    const messages = Array.from(
      { length: 3000 },
      (_, i) =>
        `From sender@example.com Mon Jan  1 00:00:00 2024\nMessage-ID: <m${i}@example.com>\nSubject: bill ${i}\n\n` +
        `${`${pad}\n`.repeat(12)}Лицевой счёт: ${ACCOUNT}\n\n`,
    );
    writeFileSync(mbox, messages.join(''));
    const size = statSync(mbox).size;
    const out = join(dir, 'shrinking.ndjson');
    const p = spawn(process.execPath, [CLI, 'scan', '--out', out, input], { stdio: 'ignore' });
    try {
      // The scan is reading (its first records are out): stop it, cut the mailbox mid-message, go on.
      await until(() => lines(`${out}.partial`) >= 1, 30_000, 'the scan wrote no records');
      p.kill('SIGSTOP');
      truncateSync(mbox, Math.floor(size * 0.6) + 37);
      p.kill('SIGCONT');
      expect(await exitWithin(p, 60_000)).toBe(true);
    } finally {
      p.kill('SIGKILL');
    }
    const records = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const silent = records.filter(
      (r) =>
        r.accounts.length === 0 && !r.error && !r.warnings.some((w: { code: string }) => w.code === 'FILE_CHANGED'),
    );
    expect(silent).toEqual([]);
    const noted = records.filter((r) => r.error || r.warnings.length > 0);
    expect(noted.length).toBeGreaterThan(0);
    for (const r of noted) expect(r.error?.message ?? r.warnings[0].message).toContain(`${mbox} › message ${r.index}`);
  }, 90_000);
});

describe('a slow document', () => {
  it('holding back ordered output is named on stderr while it is read (never its numbers)', () => {
    const input = join(dir, 'slow');
    mkdirSync(input);
    const line = `Договор № 123456 от 01.01.2020, Л/С ${ACCOUNT}, оплата 1234,56 руб.\n`;
    writeFileSync(join(input, 'a-big.txt'), line.repeat(40_000));
    copyFileSync(NOTE, join(input, 'b-note.txt'));
    const r = spawnSync(process.execPath, [CLI, 'scan', input], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, RTA_WAIT_NOTICE_MS: '200' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `waiting for ${input}/a-big\\.txt \\(being read for \\d+ s\\); the records after it wait to keep their order`,
      ),
    );
    expect(r.stderr).not.toContain(ACCOUNT);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('names that are not UTF-8', () => {
  it('are read, kept apart in an escaped form with sourceEncoding bytes; a newline in a name stays on its -v line', () => {
    const input = join(dir, 'names');
    mkdirSync(input);
    const bytes = readFileSync(NOTE);
    const base = Buffer.from(`${input}/`);
    writeFileSync(Buffer.concat([base, Buffer.from([0x61, 0xff, 0xfe]), Buffer.from('.txt')]), bytes);
    writeFileSync(Buffer.concat([base, Buffer.from([0x61, 0xfe, 0xff]), Buffer.from('.txt')]), bytes);
    writeFileSync(join(input, 'new\nline.txt'), bytes);
    const r = cli(['scan', '-v', input]);
    expect(r.status, r.stderr).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => [x.source, x.sourceEncoding, x.accounts[0]?.number])).toEqual([
      [`${input}/a\\xfe\\xff.txt`, 'bytes', ACCOUNT],
      [`${input}/a\\xff\\xfe.txt`, 'bytes', ACCOUNT],
      [`${input}/new\nline.txt`, undefined, ACCOUNT],
    ]);
    const verbose = r.stderr.split('\n').filter((l) => l.startsWith('read '));
    expect(verbose).toEqual([
      `read ${input}/a\\xfe\\xff.txt: text, 1 accounts, 0 contract numbers`,
      `read ${input}/a\\xff\\xfe.txt: text, 1 accounts, 0 contract numbers`,
      `read ${input}/new\\nline.txt: text, 1 accounts, 0 contract numbers`,
    ]);
    const table = cli(['scan', '--format', 'table', input]);
    expect(table.stdout).toContain('new\\nline.txt');
    expect(table.stdout).not.toContain('new\nline');
  });
});

describe('few descriptors', () => {
  it('ulimit -n 64 over 2 000 small files and mailboxes: every record, no EMFILE', () => {
    const input = join(dir, 'many');
    mkdirSync(input);
    const note = readFileSync(NOTE);
    // Small mailboxes of two messages each (many mailboxes is what holds descriptors).
    const message = (i: number) =>
      `From a@example.com Mon Jan  1 00:00:00 2024\nMessage-ID: <${i}@example.com>\nSubject: bill\n\nЛ/С ${ACCOUNT}\n\n`;
    const mbox = Buffer.from(message(1) + message(2));
    for (let i = 0; i < 1600; i++) writeFileSync(join(input, `t${String(i).padStart(4, '0')}.txt`), note);
    for (let i = 0; i < 400; i++) writeFileSync(join(input, `m${String(i).padStart(4, '0')}.mbox`), mbox);
    const perMailbox = (mbox.toString('latin1').match(/^From /gm) ?? []).length;
    const r = sh(`ulimit -n 64 && ${node} scan ${q(input)}`, 85_000);
    expect(r.error).toBeUndefined();
    expect(r.stderr).not.toMatch(/EMFILE|\n\s+at /);
    expect(r.status, r.stderr).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(1600 + 400 * perMailbox);
    expect(records.filter((x) => x.error)).toEqual([]);
  }, 90_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the queue worker', () => {
  needs(requires.redis);

  it('stops on SIGTERM within seconds, after its jobs, while it waits for a Redis that never comes back', async () => {
    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    let worker: ChildProcess | undefined;
    try {
      const ping = () =>
        spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', timeout: 5_000 }).stdout.trim();
      await until(() => ping() === 'PONG', 10_000, 'redis-server did not start');
      const url = `redis://127.0.0.1:${port}`;
      const add = cli(['queue', 'add', '--redis', url, '--name', 'gone', inputs('queued', 20)]);
      expect(add.status, add.stderr).toBe(0);
      // Default flags: a pool of threads, as an operator runs it.
      worker = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--name', 'gone'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      worker.stderr!.on('data', (d) => {
        stderr += d;
      });
      // It did its jobs and now waits for more: then Redis goes, for good.
      const done = () => /done 20,/.test(cli(['queue', 'status', '--redis', url, '--name', 'gone']).stdout);
      await until(done, 30_000, 'the worker did not do its jobs');
      redis.kill('SIGKILL');
      await until(() => /lost Redis/.test(stderr), 20_000, 'the worker did not notice Redis was gone');
      const t0 = Date.now();
      worker.kill('SIGTERM');
      expect(await exitWithin(worker, 10_000), stderr).toBe(true);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      worker?.kill('SIGKILL');
      redis.kill('SIGKILL');
    }
  }, 60_000);
});
