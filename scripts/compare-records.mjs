// Record identity between two builds: runs the built CLI's `scan` (default flags, NDJSON) of a baseline
// build and of this checkout's build over the same inputs, and `extract(…, { explain: true })` of both
// libraries over every fixture document, and compares the output byte for byte. A refactoring that says
// "behaviour unchanged" has to leave these identical.
//
// Usage: node scripts/compare-records.mjs BASELINE_DIR [CURRENT_DIR]
//   BASELINE_DIR: a built checkout of the commit to compare with, e.g.
//     git archive 7dd426d | tar -x -C /tmp/base && cp -al node_modules /tmp/base/ && (cd /tmp/base && npx tsup)
//   CURRENT_DIR: default this checkout (built: `npx tsup`).
// The bench mailbox (bench/make-mailbox.mjs, 10 MiB) is made once under /tmp and reused.
// The records carry no times, no absolute paths and no thread ids, so every field must match, with one
// exception: a hostile document that a resource limit stops (pdf.js's bomb_giant.pdf in the peers) ends
// as TIMEOUT or OUT_OF_MEMORY depending on which limit the machine's load trips first, so in a record
// whose error is one of those the error becomes "RESOURCE_LIMIT" (listed, never hidden). Exit code 1 when
// anything else differs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [baseArg, currentArg] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node scripts/compare-records.mjs BASELINE_DIR [CURRENT_DIR]');
  process.exit(2);
}
const base = resolve(baseArg);
const current = resolve(currentArg ?? here);
for (const dir of [base, current]) {
  if (!existsSync(join(dir, 'dist/cli.js'))) {
    console.error(`${dir}: not built (run npx tsup there)`);
    process.exit(2);
  }
}

const mailbox = '/tmp/compare-records-bench.mbox';
if (!existsSync(mailbox)) execFileSync(process.execPath, [join(here, 'bench/make-mailbox.mjs'), mailbox, '10']);

// Paths are given relative to this checkout so both builds print the same `source`.
const only = process.env.COMPARE_ONLY; // e.g. COMPARE_ONLY=explain for a quick look
const inputs = [
  ['fixtures', 'fixtures'],
  ['peers', '../shared/peers'],
  ['samples', '../shared/samples'],
  ['bench mailbox', mailbox],
];

function scan(dir, path) {
  const run = spawnSync(process.execPath, [join(dir, 'dist/cli.js'), 'scan', '--format', 'ndjson', '--quiet', path], {
    cwd: here,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return { out: run.stdout, err: run.stderr, status: run.status };
}

function documents(root) {
  const found = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...documents(path));
    else if (statSync(path).size < 64 * 1024 * 1024) found.push(path);
  }
  return found.sort();
}

/** Every fixture document through the library's `extract()` with `explain`, one JSON line each. */
function explain(dir) {
  const files = documents(join(here, 'fixtures/documents')).map((f) => relative(here, f));
  const program = `
    const { extract } = await import(${JSON.stringify(pathToFileURL(join(dir, 'dist/index.js')).href)});
    const { readFileSync } = await import('node:fs');
    for (const file of ${JSON.stringify(files)}) {
      const result = await extract(readFileSync(file), { filename: file, explain: true });
      process.stdout.write(JSON.stringify(result) + '\\n');
    }`;
  // A file, not `-e`: OCR's worker thread inherits the flags, and `--input-type` is refused in a worker.
  const script = join(tmpdir(), `compare-records-explain-${process.pid}.mjs`);
  writeFileSync(script, program);
  const run = spawnSync(process.execPath, [script], {
    cwd: here,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  rmSync(script, { force: true });
  return { out: run.stdout, err: run.stderr, status: run.status };
}

/** Which limit stops a hostile document depends on the machine's load; the record says it was stopped. */
const RESOURCE_LIMITS = new Set(['TIMEOUT', 'OUT_OF_MEMORY']);

function normalized(out) {
  const limited = [];
  const lines = out.split('\n').map((line) => {
    if (!line.includes('"error":{"code":"TIMEOUT"') && !line.includes('"error":{"code":"OUT_OF_MEMORY"')) return line;
    const record = JSON.parse(line);
    if (!RESOURCE_LIMITS.has(record.error?.code)) return line;
    limited.push(`${record.source}${record.index !== undefined ? ` #${record.index}` : ''}: ${record.error.code}`);
    return JSON.stringify({ ...record, error: { code: 'RESOURCE_LIMIT' } });
  });
  return { out: lines.join('\n'), limited };
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i])
      return `line ${i + 1}:\n  base:    ${la[i]?.slice(0, 400)}\n  current: ${lb[i]?.slice(0, 400)}`;
  }
  return 'none';
}

let differ = false;
function compare(what, rawA, rawB) {
  const na = normalized(rawA.out);
  const nb = normalized(rawB.out);
  const a = { ...rawA, out: na.out };
  const b = { ...rawB, out: nb.out };
  if (na.limited.length + nb.limited.length > 0)
    console.log(
      `  ${what}: stopped by a resource limit: base [${na.limited.join('; ')}], current [${nb.limited.join('; ')}]`,
    );
  const lines = a.out.split('\n').filter(Boolean).length;
  if (a.out === b.out && a.status === b.status) {
    console.log(`identical  ${what}: ${lines} records, ${a.out.length} bytes, exit ${a.status}`);
    return;
  }
  differ = true;
  console.log(
    `DIFFERENT  ${what}: exit ${a.status} vs ${b.status}; first difference at ${firstDifference(a.out, b.out)}`,
  );
  if (b.err) console.log(`  current stderr: ${b.err.slice(0, 2000)}`);
}

for (const [what, path] of inputs)
  if (!only || what.startsWith(only)) compare(`scan ${what} (${path})`, scan(base, path), scan(current, path));
if (!only || only === 'explain') compare('extract --explain, fixtures/documents', explain(base), explain(current));
process.exit(differ ? 1 : 0);
