// `npm run bench -- --incremental` (or `--incremental-only`): `scan --state` on the bench mailbox, in
// interleaved rounds. Each round copies the mailbox, scans it once with `--state` (that writes the
// state), then times (a) a scan with the state and nothing changed against a full `scan` of the same
// mailbox, and (b) after 5 % of messages are appended (made as bench/make-mailbox.mjs makes them,
// numbered on), a scan with the state against a full `scan` of the grown mailbox. The two runs of each
// pair go in an order that alternates by round; their outputs are compared byte for byte.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs, digits = 1) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/**
 * `box`: the bench mailbox ({ path, bytes, messages }); `start(cli, args)`: runs a command, resolves
 * with { seconds, cpu, rssMiB, stderr } (bench/run.mjs's `start`).
 */
export async function incrementalBench({ box, rounds, start, data, root, grow = 0.05 }) {
  const cli = join(root, 'dist', 'cli.js');
  const work = join(data, 'incremental.mbox');
  const state = join(data, 'incremental-state');
  const outputs = { full: join(data, 'incremental-full.ndjson'), state: join(data, 'incremental-state.ndjson') };
  const scan = async (which, withState) => {
    const args = ['scan', ...(withState ? ['--state', state] : ['--quiet']), '--out', outputs[which], work];
    const run = await start(cli, args);
    return { ...run, line: run.stderr.split('\n').find((l) => l.includes('state: ')) ?? '' };
  };
  const pair = async (round) => {
    const order = round % 2 ? ['state', 'full'] : ['full', 'state'];
    const got = {};
    for (const which of order) got[which] = await scan(which, which === 'state');
    got.identical = readFileSync(outputs.full).equals(readFileSync(outputs.state));
    return got;
  };
  const results = [];
  console.log(
    `\nincremental (scan --state): ${(box.bytes / MiB).toFixed(1)} MiB mailbox, grown by ${grow * 100} %; ${rounds} interleaved rounds`,
  );
  for (let round = 0; round < rounds; round++) {
    rmSync(state, { recursive: true, force: true });
    copyFileSync(box.path, work);
    const first = await scan('state', true);
    const unchanged = await pair(round);
    const grown = (box.bytes * grow) / MiB;
    execFileSync(process.execPath, [
      join(root, 'bench', 'make-mailbox.mjs'),
      work,
      String(grown),
      '--append',
      String(box.messages),
    ]);
    const after = await pair(round + 1);
    results.push({ first, unchanged, after });
    console.log(
      `round ${round + 1}: first with --state ${first.seconds.toFixed(1)} s; unchanged: full ${unchanged.full.seconds.toFixed(1)} s, ` +
        `--state ${unchanged.state.seconds.toFixed(2)} s (${unchanged.identical ? 'identical' : 'OUTPUT DIFFERS'}); grown: full ` +
        `${after.full.seconds.toFixed(1)} s, --state ${after.state.seconds.toFixed(2)} s (${after.identical ? 'identical' : 'OUTPUT DIFFERS'})`,
    );
    console.log(`  ${unchanged.state.line.trim()}\n  ${after.state.line.trim()}`);
  }
  const row = (label, runs) =>
    `| ${label} | ${median(runs.map((r) => r.seconds)).toFixed(2)} s (${range(
      runs.map((r) => r.seconds),
      2,
    )}) | ` +
    `${median(runs.map((r) => r.cpu)).toFixed(2)} s (${range(
      runs.map((r) => r.cpu),
      2,
    )}) | ${median(runs.map((r) => r.rssMiB)).toFixed(0)} MiB |`;
  console.log('\n| run | wall (median, range) | CPU, user + sys | peak RSS |\n|---|---|---|---|');
  console.log(
    row(
      'full scan',
      results.map((r) => r.unchanged.full),
    ),
  );
  console.log(
    row(
      'first scan with --state (writes it)',
      results.map((r) => r.first),
    ),
  );
  console.log(
    row(
      '--state, nothing changed',
      results.map((r) => r.unchanged.state),
    ),
  );
  console.log(
    row(
      `full scan, grown ${grow * 100} %`,
      results.map((r) => r.after.full),
    ),
  );
  console.log(
    row(
      `--state, grown ${grow * 100} %`,
      results.map((r) => r.after.state),
    ),
  );
  const ratio = (pick, what) => {
    const xs = results.map((r) => pick(r).full[what] / pick(r).state[what]);
    return `${median(xs).toFixed(1)}× (${range(xs, 1)})`;
  };
  console.log(
    `\nnothing changed: ${ratio((r) => r.unchanged, 'seconds')} faster than a full scan (wall), ${ratio((r) => r.unchanged, 'cpu')} less CPU` +
      `\ngrown ${grow * 100} %: ${ratio((r) => r.after, 'seconds')} faster (wall), ${ratio((r) => r.after, 'cpu')} less CPU` +
      `\nfirst scan with --state / full scan (wall): ${median(results.map((r) => r.first.seconds / r.unchanged.full.seconds)).toFixed(2)}` +
      `\noutputs identical to a full scan's: ${results.every((r) => r.unchanged.identical && r.after.identical) ? 'yes, every round' : 'NO'}`,
  );
  for (const path of [work, ...Object.values(outputs)]) rmSync(path, { force: true });
  rmSync(state, { recursive: true, force: true });
}
