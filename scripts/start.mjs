// `npm start`: builds the package if the build is missing or older than the sources, then scans the
// bundled fixtures with the CLI, exactly as a user would run it: a table on a terminal, NDJSON into a pipe.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli.js');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

if (!existsSync(cli) || statSync(cli).mtimeMs < newest(join(root, 'src'))) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = process.argv.length > 2 ? process.argv.slice(2) : ['scan', 'fixtures/documents'];
const scan = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
// Exit code 3 means "done, and some documents are error records": the fixtures include broken files on purpose.
process.exit(scan.status === 3 ? 0 : (scan.status ?? 1));
