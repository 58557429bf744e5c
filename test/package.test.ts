import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';
import { ROOT } from './helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the published package', () => {
  it('has one version', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('loads from the ESM build', async () => {
    const lib = await import(join(ROOT, 'dist', 'index.js'));
    expect(lib.locate('Л/С 36000111222333').accounts[0].number).toBe('36000111222333');
  });

  it('loads from the CommonJS build', () => {
    const require = createRequire(import.meta.url);
    const lib = require(join(ROOT, 'dist', 'index.cjs'));
    expect(lib.isValidAccount('3600 0111 2223 33')).toBe(true);
  });

  it('passes publint', () => {
    const out = execFileSync('npx', ['publint', '--strict'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).not.toMatch(/error/i);
  });
});
