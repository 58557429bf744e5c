// `npm run bench`: throughput and memory of `rostelecom-account scan` against the baseline a developer
// would write (bench/baseline.mjs), both measured in this run on this machine, on mailboxes generated
// from the fixtures; then OCR pages per second on the scan fixtures.
//
// Throughput runs in interleaved rounds (this machine's speed drifts from minute to minute): each round
// runs, in an order that rotates, the baseline, `scan -j 0` (one thread), `scan` (the default pool) and
// two `scan -j 0` processes at once, each on its own copy of the mailbox (what the machine gives two
// independent processes: the pool's ceiling). Medians and ranges of wall time, CPU time (user + system,
// all threads), MiB/s, messages/s and peak RSS; ratios are medians of the ratios within each round.
//
// Options: --size MiB (default 50), --rounds N (default 5), --variant 'LABEL|NODE FLAGS|SCAN ARGS' (repeatable:
// one more configuration of `scan` in every round, such as a V8 flag to try, compared with `scan` and
// `scan -j 0` round by round), --memory-size MiB[,MiB…] (default 200; peak RSS of the default scan on larger
// mailboxes), --threads (Linux: where the CPU of `scan` and `scan -j 0` goes, thread by thread), --skip-memory,
// --young (also V8's default young generation), --skip-ocr, --ocr-only, --ocr-copies N (default 3), --queue
// (with --split-size MiB, default 4, --queue-rounds N, default 1, and --overhead-rounds N, default 3),
// --skip-repeat (leaves out the mailboxes where every bill comes three times), --against DIR (another checkout
// of this project, built by this run too: its `scan -j 0` and `scan` run in every round beside ours and are
// compared round by round: the way to say a change costs or saves CPU), --incremental (also `scan --state`:
// nothing changed and grown 5 %, see bench/incremental.mjs), --incremental-only.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { incrementalBench } from './incremental.mjs';

const root = new URL('..', import.meta.url).pathname;
const data = join(root, '.bench-data');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = opt('--size', 50);
const memorySize = 200;
const MiB = 1024 * 1024;

mkdirSync(data, { recursive: true });
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

function mailbox(mib, flags = []) {
  const path = join(data, `mailbox-${mib}${flags.join('').replace(/--/g, '-')}.mbox`);
  if (!existsSync(`${path}.json`))
    execFileSync(process.execPath, [join(root, 'bench', 'make-mailbox.mjs'), path, String(mib), ...flags], {
      stdio: 'inherit',
    });
  return { path, ...JSON.parse(readFileSync(`${path}.json`, 'utf8')) };
}

/**
 * CPU seconds of each thread of a running process, read from /proc (Linux) into `seen` by thread id; a
 * thread that has ended keeps its last reading.
 */
function sampleThreads(pid, seen) {
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seen.set(tid, (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // the thread ended between the two reads
    }
  }
}
const threadsWanted = args.includes('--threads') && process.platform === 'linux';
const ticks = threadsWanted ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100 : 100;

/**
 * Starts a command; resolves with its wall time, CPU time (all threads), peak RSS and stdout; with
 * --threads, also the CPU seconds of each of its threads (`threads`, the calling thread first).
 */
function start(command, commandArgs, extraEnv = {}, nodeArgs = []) {
  const usage = join(data, `usage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const t0 = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--require', join(root, 'bench', 'report-usage.cjs'), command, ...commandArgs],
    { env: { ...process.env, ...extraEnv, BENCH_USAGE_FILE: usage }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const seen = new Map();
  const sampler = threadsWanted ? setInterval(() => sampleThreads(child.pid, seen), 100) : undefined;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => clearInterval(sampler));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const main = seen.get(String(child.pid)) ?? 0;
      seen.delete(String(child.pid));
      const threads = [main, ...[...seen.values()].sort((a, b) => b - a)];
      if (code !== 0 && code !== 3) return reject(new Error(`${command} failed (${code}): ${stderr}`));
      const u = JSON.parse(readFileSync(usage, 'utf8'));
      rmSync(usage, { force: true });
      resolve({ seconds, cpu: u.cpuSeconds, rssMiB: u.maxRssKiB / 1024, stdout, stderr, threads });
    });
  });
}

/** Runs a command alone (see `start`). */
const measure = (...a) => start(...a);

/** `scan` on a mailbox with extra arguments; counts the records and accounts it wrote. */
async function ours(box, scanArgs = [], extraEnv, nodeArgs, cli = join(root, 'dist', 'cli.js')) {
  const out = join(data, `out-${Math.random().toString(36).slice(2)}.ndjson`);
  const run = await start(cli, ['scan', '--quiet', ...scanArgs, '--out', out, box.path], extraEnv, nodeArgs);
  let accounts = 0;
  let records = 0;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (!line) continue;
    records++;
    accounts += JSON.parse(line).accounts.length;
  }
  rmSync(out, { force: true });
  return { ...run, accounts, records };
}

function rates(box, seconds) {
  return `${(box.bytes / MiB / seconds).toFixed(2)} MiB/s, ${(box.messages / seconds).toFixed(0)} messages/s, ${(box.pdfPages / seconds).toFixed(1)} PDF pages/s`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs, digits = 1) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

if (args.includes('--ocr-only')) {
  await ocrBench();
  process.exit(0);
}

const box = mailbox(size);
const copy = { ...box, path: box.path.replace(/\.mbox$/, '.copy.mbox') };
if (!existsSync(copy.path)) copyFileSync(box.path, copy.path);
const rounds = opt('--rounds', 5);
// --incremental: `scan --state` (bench/incremental.mjs) after the rest; --incremental-only: only that.
if (args.includes('--incremental-only')) {
  await incrementalBench({ box, rounds, start, data, root });
  process.exit(0);
}
console.log(
  `\nmailbox: ${(box.bytes / MiB).toFixed(1)} MiB, ${box.messages} messages, ${box.pdfs} with a PDF bill; ${availableParallelism()} cores; ${rounds} interleaved rounds\n`,
);

const configs = {
  baseline: async () => {
    const r = await measure(join(root, 'bench', 'baseline.mjs'), [box.path]);
    return { ...r, accounts: JSON.parse(r.stdout).accounts, records: box.messages, work: 1 };
  },
  'scan -j 0': () => ours(box, ['-j', '0']).then((r) => ({ ...r, work: 1 })),
  scan: () => ours(box).then((r) => ({ ...r, work: 1 })),
  // Two processes at once, each on its own copy: wall time for both, CPU and RSS per process.
  '2 × scan -j 0': async () => {
    const t0 = process.hrtime.bigint();
    const [a, b] = await Promise.all([ours(box, ['-j', '0']), ours(copy, ['-j', '0'])]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return {
      seconds,
      cpu: a.cpu + b.cpu,
      rssMiB: Math.max(a.rssMiB, b.rssMiB),
      accounts: a.accounts,
      records: a.records,
      work: 2,
    };
  },
};
// Every bill three times in a row, the same bytes each time, against the same mailbox with every bill's
// bytes its own (issue 24: a repeated document is read once): unless --skip-repeat.
const repeated = !args.includes('--skip-repeat');
const billsSame = repeated ? mailbox(size, ['--bill-runs', '3', '--same-bills']) : undefined;
const billsUnique = repeated ? mailbox(size, ['--bill-runs', '3']) : undefined;
if (repeated) {
  configs['scan, bills ×3 same'] = () => ours(billsSame).then((r) => ({ ...r, work: 1 }));
  configs['scan, bills ×3 unique'] = () => ours(billsUnique).then((r) => ({ ...r, work: 1 }));
}
// This machine's speed moves by ±20 % between runs, so an idea is judged only inside the same rounds.
const variants = args.flatMap((a, i) => (a === '--variant' ? [args[i + 1] ?? ''] : []));
for (const variant of variants) {
  const [label, nodeFlags = '', scanArgs = ''] = variant.split('|');
  const words = (text) => text.split(' ').filter(Boolean);
  configs[label] = () => ours(box, words(scanArgs), {}, words(nodeFlags)).then((r) => ({ ...r, work: 1 }));
}
// Another checkout (before a change, say), measured in the same rounds as this one.
const against = args.includes('--against') ? args[args.indexOf('--against') + 1] : undefined;
if (against) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: against, stdio: 'inherit' });
  const cli = join(against, 'dist', 'cli.js');
  configs['against: scan -j 0'] = () => ours(box, ['-j', '0'], {}, [], cli).then((r) => ({ ...r, work: 1 }));
  configs['against: scan'] = () => ours(box, [], {}, [], cli).then((r) => ({ ...r, work: 1 }));
}
const names = Object.keys(configs);
const results = new Map(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order, so no configuration always runs first (or after the heaviest).
  const order = names.map((_, i) => names[(i + round) % names.length]);
  const line = [];
  for (const name of order) {
    const r = await configs[name]();
    results.get(name).push(r);
    line.push(`${name} ${r.seconds.toFixed(1)} s`);
  }
  console.log(`round ${round + 1}: ${line.join(', ')}`);
}

console.log(
  '\n| run | wall (median, range) | CPU, user + sys | MiB/s | messages/s | CPU s per MiB | peak RSS | accounts |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of names) {
  const rs = results.get(name);
  const work = rs[0].work;
  const wall = rs.map((r) => r.seconds);
  const cpu = rs.map((r) => r.cpu);
  const mibs = (box.bytes * work) / MiB / median(wall);
  console.log(
    `| ${name} | ${median(wall).toFixed(1)} s (${range(wall)}) | ${median(cpu).toFixed(1)} s (${range(cpu)}) | ${mibs.toFixed(2)} | ` +
      `${((box.messages * work) / median(wall)).toFixed(0)} | ${(median(cpu) / ((box.bytes * work) / MiB)).toFixed(3)} | ` +
      `${median(rs.map((r) => r.rssMiB)).toFixed(0)} MiB (max ${Math.max(...rs.map((r) => r.rssMiB)).toFixed(0)}) | ${rs[0].accounts} |`,
  );
  if (!name.startsWith('scan, bills') && rs.some((r) => r.records !== box.messages))
    console.log(`!! ${name}: ${box.messages} messages but ${rs.map((r) => r.records)} records`);
}
/** Per-round ratios of throughput (work per wall second), `a` over `b`: median and range. */
const ratio = (a, b) => {
  const xs = results.get(a).map((r, i) => r.work / r.seconds / (results.get(b)[i].work / results.get(b)[i].seconds));
  return `${median(xs).toFixed(2)}× (${range(xs, 2)})`;
};
const cpuPerMiB = (name) => median(results.get(name).map((r) => r.cpu / r.work));
console.log(`
throughput, scan / baseline:          ${ratio('scan', 'baseline')}
throughput, scan / scan -j 0:         ${ratio('scan', 'scan -j 0')}
throughput, scan -j 0 / baseline:     ${ratio('scan -j 0', 'baseline')}
the machine's ceiling, 2 × scan -j 0 / scan -j 0: ${ratio('2 × scan -j 0', 'scan -j 0')}
CPU per message, scan / scan -j 0:     ${(cpuPerMiB('scan') / cpuPerMiB('scan -j 0')).toFixed(2)}
accounts found: scan ${results.get('scan')[0].accounts}, baseline ${results.get('baseline')[0].accounts}`);
/** Per-round ratios of CPU per unit of work, `a` over `b`: median and range. */
const cpuRatio = (a, b) => {
  const xs = results.get(a).map((r, i) => r.cpu / r.work / (results.get(b)[i].cpu / results.get(b)[i].work));
  return `${median(xs).toFixed(2)} (${range(xs, 2)})`;
};
if (against) {
  console.log(`this checkout against ${against}:
  scan -j 0: throughput ${ratio('scan -j 0', 'against: scan -j 0')}, CPU ${cpuRatio('scan -j 0', 'against: scan -j 0')}
  scan:      throughput ${ratio('scan', 'against: scan')}, CPU ${cpuRatio('scan', 'against: scan')}
  accounts: ${results.get('scan')[0].accounts} here, ${results.get('against: scan')[0].accounts} there`);
}
if (repeated) {
  const same = results.get('scan, bills ×3 same');
  const unique = results.get('scan, bills ×3 unique');
  const wall = same.map((r, i) => r.seconds / unique[i].seconds);
  const cpu = same.map((r, i) => r.cpu / unique[i].cpu);
  console.log(
    `every bill three times (${billsSame.messages} messages, ${billsSame.pdfs} bills): time, same bytes / unique bytes ` +
      `${median(wall).toFixed(2)} (${range(wall, 2)}), CPU ${median(cpu).toFixed(2)} (${range(cpu, 2)}); ` +
      `accounts ${same[0].accounts} and ${unique[0].accounts}`,
  );
}
if (threadsWanted) {
  // The calling thread; the busiest threads after it, as many as the scan has pool threads (they do the
  // reading); and the rest: V8's compilers and collectors, libuv's file threads.
  const split = (name, pool) => {
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const rs = results.get(name);
    const calling = median(rs.map((r) => r.threads[0]));
    const busiest = median(rs.map((r) => sum(r.threads.slice(1, 1 + pool))));
    const rest = median(rs.map((r) => sum(r.threads.slice(1 + pool))));
    return `calling thread ${calling.toFixed(1)} s, ${pool} pool thread${pool === 1 ? '' : 's'} ${busiest.toFixed(1)} s, the other threads ${rest.toFixed(1)} s`;
  };
  console.log(`CPU by thread (medians), scan -j 0: ${split('scan -j 0', 0)}`);
  console.log(`CPU by thread (medians), scan:      ${split('scan', availableParallelism())}`);
}
for (const variant of variants) {
  const label = variant.split('|')[0];
  console.log(
    `variant ${label}: throughput / scan ${ratio(label, 'scan')}, / scan -j 0 ${ratio(label, 'scan -j 0')}; ` +
      `CPU / scan ${cpuRatio(label, 'scan')}, / scan -j 0 ${cpuRatio(label, 'scan -j 0')}`,
  );
}

if (!args.includes('--skip-memory')) {
  const sizes = (args.includes('--memory-size') ? args[args.indexOf('--memory-size') + 1] : String(memorySize))
    .split(',')
    .map(Number);
  const line = [`${median(results.get('scan').map((r) => r.rssMiB)).toFixed(0)} MiB on ${size} MiB`];
  for (const mib of sizes) {
    const big = mailbox(mib);
    const run = await ours(big);
    line.push(`${run.rssMiB.toFixed(0)} MiB on ${mib} MiB (${run.records} records, ${rates(big, run.seconds)})`);
  }
  console.log(`\nmemory, peak RSS of scan: ${line.join('; ')}`);
  if (args.includes('--young')) {
    // The CLI keeps V8's young generations at their starting size; V8's own default (growth factor 2,
    // given explicitly, so the CLI leaves it alone) shows what that saves, in this same run.
    const v8Default = ['--semi-space-growth-factor=2'];
    const small = await ours(box, [], {}, v8Default);
    console.log(
      `memory with V8's default young generation (node --semi-space-growth-factor=2): ${small.rssMiB.toFixed(0)} MiB on ${size} MiB (${small.seconds.toFixed(1)} s, CPU ${small.cpu.toFixed(1)} s)`,
    );
  }
}

// OCR: the scan fixtures' pages as image files (the PDFs' embedded images taken out), a few copies of
// each, read by `scan` and by the script a developer would write with tesseract.js alone.
async function ocrBench() {
  const { PDFParse } = await import('pdf-parse');
  const tessdata = process.env.ROSTELECOM_ACCOUNT_TESSDATA ?? '/usr/share/tesseract-ocr/5/tessdata';
  const folder = join(data, 'ocr');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const source = join(root, 'fixtures', 'documents', 'ocr');
  const copies = opt('--ocr-copies', 3);
  for (const name of readdirSync(source).sort()) {
    let image;
    let ext = name.slice(name.lastIndexOf('.'));
    if (ext === '.pdf') {
      const parser = new PDFParse({ data: readFileSync(join(source, name)) });
      image = (await parser.getImage({ partial: [1], imageBuffer: true, imageDataUrl: false })).pages[0].images[0].data;
      await parser.destroy();
      ext = '.png';
    }
    for (let i = 0; i < copies; i++) {
      const target = join(folder, `${name.slice(0, name.lastIndexOf('.'))}-${i}${ext}`);
      if (image) writeFileSync(target, image);
      else copyFileSync(join(source, name), target);
    }
  }
  const pages = readdirSync(folder).length;
  const naive = await measure(join(root, 'bench', 'ocr-baseline.mjs'), [folder, tessdata]);
  const naiveCounts = JSON.parse(naive.stdout);
  const scanned = await ours({ path: folder });
  const perSecond = (s) => (pages / s).toFixed(2);
  console.log(`
OCR: ${pages} scanned pages and photos (${copies} copies of each fixture page), ${availableParallelism()} cores`);
  console.log(
    `tesseract.js alone  ${naive.seconds.toFixed(1)} s  ${perSecond(naive.seconds)} pages/s  peak RSS ${naive.rssMiB.toFixed(0)} MiB  accounts ${naiveCounts.accounts}`,
  );
  console.log(
    `scan                ${scanned.seconds.toFixed(1)} s  ${perSecond(scanned.seconds)} pages/s  peak RSS ${scanned.rssMiB.toFixed(0)} MiB  accounts ${scanned.accounts}`,
  );
  console.log(`OCR throughput ratio (scan / tesseract.js alone): ${(naive.seconds / scanned.seconds).toFixed(2)}x`);
}
if (!args.includes('--skip-ocr')) await ocrBench();

if (args.includes('--incremental')) await incrementalBench({ box, rounds, start, data, root });

// --queue: the same mailbox through the Redis queue, with 1 and 2 worker processes on this machine,
// against `scan` measured above; and what Redis holds per job and per record.
if (args.includes('--queue')) {
  const { createServer } = await import('node:net');
  const { spawn } = await import('node:child_process');
  const { Redis } = await import('ioredis');
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const p = server.address().port;
      server.close(() => resolve(p));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 500));
  const redis = new Redis(url);
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
  const cli = join(root, 'dist', 'cli.js');
  const run = (a) => spawnSync(process.execPath, [cli, ...a], { encoding: 'utf8', maxBuffer: 1024 * MiB });
  const splitSize = opt('--split-size', 4) * MiB;

  // Cold: the workers start after `queue add`, as on a first run. Warm: they already wait on the queue,
  // as they do in a deployment, so what is left is the queue's own cost per job.
  // This machine's speed drifts by tens of percent from minute to minute, so every queue run sits
  // between two `scan` runs and is compared with their mean; each setting runs `--queue-rounds` times
  // (default 1), in turn with the others.
  const queueRun = async (workers, warm, round, split = splitSize) => {
    const name = `bench-${workers}-${warm ? 'warm' : 'cold'}-${round}-${split}`;
    const startWorkers = () =>
      Array.from({ length: workers }, () =>
        spawn(
          process.execPath,
          [cli, 'worker', '--redis', url, '--name', name, '-j', String(Math.max(1, 2 / workers))],
          { stdio: 'ignore' },
        ),
      );
    let procs = warm ? startWorkers() : [];
    if (warm) await new Promise((r) => setTimeout(r, 3000)); // started, connected, waiting for jobs
    const _before = await used();
    const t0 = process.hrtime.bigint();
    run(['queue', 'add', '--redis', url, '--name', name, '--split-size', String(split), box.path]);
    const enqueued = Number(process.hrtime.bigint() - t0) / 1e9;
    const afterAdd = await used();
    const jobs = await redis.zcard(`rta:${name}:order`);
    if (!warm) procs = startWorkers();
    while ((await redis.hlen(`rta:${name}:results`)) < jobs) await new Promise((r) => setTimeout(r, 20));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const afterRun = await used();
    await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r).kill('SIGTERM'))));
    const out = join(data, 'queue.ndjson');
    run(['queue', 'results', '--redis', url, '--name', name, '--out', out]);
    const same = readFileSync(out, 'utf8').split('\n').filter(Boolean).length === box.messages;
    rmSync(out, { force: true });
    // With workers already waiting, jobs are taken while others are still added: only a cold run's count is clean.
    // (Bytes per queued job are measured on the tiny documents below: the first run here also loads BullMQ's scripts.)
    const redisUse = warm ? '' : `Redis: ${((afterRun - afterAdd) / box.messages).toFixed(0)} bytes per stored record`;
    return { seconds, enqueued, jobs, same, redisUse };
  };
  const settings = [
    [1, false],
    [2, false],
    [1, true],
    [2, true],
  ];
  const results = new Map(settings.map((s) => [s.join(), []]));
  let previousScan = (await ours(box)).seconds;
  for (let round = 0; round < opt('--queue-rounds', 1); round++) {
    for (const [workers, warm] of settings) {
      const q = await queueRun(workers, warm, round);
      const nextScan = (await ours(box)).seconds;
      results.get([workers, warm].join()).push({ ...q, reference: (previousScan + nextScan) / 2 });
      previousScan = nextScan;
    }
  }
  for (const [workers, warm] of settings) {
    const runs = results.get([workers, warm].join());
    const overheads = runs.map((r) => ((r.seconds - r.reference) / r.reference) * 100).sort((a, b) => a - b);
    console.log(
      `queue, ${workers} worker${workers > 1 ? 's' : ''} ${warm ? 'waiting' : 'started after enqueue'}: ` +
        runs
          .map(
            (r) =>
              `${r.seconds.toFixed(1)} s against scan ${r.reference.toFixed(1)} s (enqueue ${r.enqueued.toFixed(1)} s)`,
          )
          .join('; ') +
        `; ${runs[0].jobs} jobs; overhead ${overheads.map((o) => `${o.toFixed(0)} %`).join(', ')}; all ${box.messages} records: ${runs.every((r) => r.same)}`,
    );
    if (!warm) console.log(`  ${runs[0].redisUse}`);
  }

  // The overhead, taken apart: one waiting worker reads the mailbox as a single job and as ~50 jobs of
  // 1 MiB, between `scan` runs. The single job costs once what any run costs (starting `queue add`,
  // BullMQ and the job); the difference between the two, spread over the extra jobs, is the cost of
  // one more job, compared with scan's own time for the same share of the mailbox. Medians of
  // `--overhead-rounds` (default 3) rounds.
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fixed = [];
  const perJob = [];
  let jobsPerRun = 0;
  let scanPrevious = (await ours(box)).seconds;
  for (let round = 0; round < opt('--overhead-rounds', 3); round++) {
    const whole = await queueRun(1, true, round, 1024 * MiB);
    const pieces = await queueRun(1, true, round, MiB);
    const scanNext = (await ours(box)).seconds;
    const reference = (scanPrevious + scanNext) / 2;
    scanPrevious = scanNext;
    jobsPerRun = pieces.jobs;
    fixed.push(whole.seconds - reference);
    perJob.push({
      seconds: (pieces.seconds - whole.seconds) / (pieces.jobs - whole.jobs),
      share: reference / pieces.jobs,
    });
    console.log(
      `  round ${round + 1}: scan ${reference.toFixed(2)} s, queue as 1 job ${whole.seconds.toFixed(2)} s, as ${pieces.jobs} jobs ${pieces.seconds.toFixed(2)} s` +
        `${whole.same && pieces.same ? '' : ' (!! records missing)'}`,
    );
  }
  const oneJob = median(perJob.map((p) => p.seconds));
  const share = median(perJob.map((p) => p.share));
  console.log(
    `queue overhead (1 waiting worker): once per run ${median(fixed).toFixed(2)} s (starting queue add, BullMQ, the first job); ` +
      `per job ${(oneJob * 1000).toFixed(0)} ms, ${((oneJob / share) * 100).toFixed(1)} % of scan's ${(share * 1000).toFixed(0)} ms for a 1 MiB share ` +
      `(${jobsPerRun} jobs; medians of ${perJob.length} rounds: ${perJob.map((p) => `${((p.seconds / p.share) * 100).toFixed(1)} %`).join(', ')})`,
  );

  // Jobs per second the queue sustains: many tiny documents, read on the workers' main threads.
  const tiny = join(data, 'tiny');
  mkdirSync(tiny, { recursive: true });
  const { writeFileSync } = await import('node:fs');
  for (let i = 0; i < 2000; i++)
    writeFileSync(join(tiny, `n${i}.txt`), `Л/С 3600 0111 ${String(i).padStart(4, '0')} 33`);
  const tinyBefore = await used();
  const t1 = process.hrtime.bigint();
  run(['queue', 'add', '--redis', url, '--name', 'tiny', tiny]);
  const addSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const bytesPerJob = ((await used()) - tinyBefore) / 2000;
  const t2 = process.hrtime.bigint();
  const procs = [1, 2].map(() =>
    spawn(process.execPath, [cli, 'worker', '--redis', url, '--name', 'tiny', '-j', '0'], { stdio: 'ignore' }),
  );
  while ((await redis.hlen('rta:tiny:results')) < 2000) await new Promise((r) => setTimeout(r, 100));
  const runSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
  for (const p of procs) p.kill('SIGTERM');
  console.log(
    `queue rate: ${(2000 / addSeconds).toFixed(0)} jobs/s enqueued, ${(2000 / runSeconds).toFixed(0)} jobs/s done by 2 workers (tiny documents)`,
  );
  console.log(`Redis: ${bytesPerJob.toFixed(0)} bytes per queued job (2000 tiny documents, waiting)`);
  redis.disconnect();
  server.kill('SIGKILL');
}
