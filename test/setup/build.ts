// The end-to-end tests run the built CLI, as users do; build it once per test run.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsup', '--silent'], { stdio: 'inherit' });
}
