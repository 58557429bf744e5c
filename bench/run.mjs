// `npm run bench`: throughput and memory of `rostelecom-account scan` against the baseline a developer
// would write (bench/baseline.mjs), both measured in this run on this machine, on mailboxes generated
// from the fixtures. Options: --size MiB (default 50), --memory-size MiB (default 200), --skip-memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const data = join(root, '.bench-data');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = opt('--size', 50);
const memorySize = opt('--memory-size', 200);
const MiB = 1024 * 1024;

mkdirSync(data, { recursive: true });
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

function mailbox(mib) {
  const path = join(data, `mailbox-${mib}.mbox`);
  if (!existsSync(`${path}.json`)) execFileSync(process.execPath, [join(root, 'bench', 'make-mailbox.mjs'), path, String(mib)], { stdio: 'inherit' });
  return { path, ...JSON.parse(readFileSync(`${path}.json`, 'utf8')) };
}

/** Runs a command, returning wall time, the peak RSS of its process, and its stdout. */
function measure(command, commandArgs) {
  const usage = join(data, `usage-${process.pid}.json`);
  rmSync(usage, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', join(root, 'bench', 'report-usage.cjs'), command, ...commandArgs], {
    env: { ...process.env, BENCH_USAGE_FILE: usage },
    encoding: 'utf8',
    maxBuffer: 1024 * MiB,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 3) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return { seconds, rssMiB: JSON.parse(readFileSync(usage, 'utf8')).maxRssKiB / 1024, stdout: r.stdout, stderr: r.stderr };
}

function ours(box) {
  const out = join(data, 'out.ndjson');
  rmSync(out, { force: true });
  const run = measure(join(root, 'dist', 'cli.js'), ['scan', '--quiet', '--out', out, box.path]);
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

const box = mailbox(size);
console.log(`\nmailbox: ${(box.bytes / MiB).toFixed(1)} MiB, ${box.messages} messages, ${box.pdfs} with a PDF bill; ${availableParallelism()} cores\n`);

const base = measure(join(root, 'bench', 'baseline.mjs'), [box.path]);
const baseCounts = JSON.parse(base.stdout);
console.log(`baseline  ${base.seconds.toFixed(1)} s  ${rates(box, base.seconds)}  peak RSS ${base.rssMiB.toFixed(0)} MiB  accounts ${baseCounts.accounts}`);

const mine = ours(box);
console.log(`scan      ${mine.seconds.toFixed(1)} s  ${rates(box, mine.seconds)}  peak RSS ${mine.rssMiB.toFixed(0)} MiB  accounts ${mine.accounts}  records ${mine.records}`);
console.log(`\nthroughput ratio (scan / baseline): ${(base.seconds / mine.seconds).toFixed(2)}x; accounts found: ${mine.accounts} vs ${baseCounts.accounts}`);
if (mine.records !== box.messages) console.log(`!! ${box.messages} messages but ${mine.records} records`);

if (!args.includes('--skip-memory')) {
  const big = mailbox(memorySize);
  const run = ours(big);
  console.log(`memory: peak RSS ${mine.rssMiB.toFixed(0)} MiB on ${size} MiB, ${run.rssMiB.toFixed(0)} MiB on ${memorySize} MiB (${run.records} records, ${rates(big, run.seconds)})`);
}
