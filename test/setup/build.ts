// The tests that run the built package (the "built" project in vitest.config.ts) build it once per run.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsup', '--silent'], { stdio: 'inherit' });
}
