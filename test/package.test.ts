import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  it('passes @arethetypeswrong/cli for every entry point, the browser build included', () => {
    // Exits non-zero on any problem (execFileSync throws with attw's report).
    const out = execFileSync('npx', ['attw', '--pack', '.'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toMatch(/No problems found/);
    for (const entry of ['"rostelecom-account"', '"rostelecom-account/browser"']) expect(out).toContain(entry);
  }, 60_000);

  it('exports the browser build under the browser condition and as rostelecom-account/browser', () => {
    const browser = pkg.exports['./browser'];
    expect(pkg.exports['.'].browser).toEqual(browser);
    expect(Object.keys(pkg.exports['.'])[0]).toBe('browser');
    expect(browser.import.default).toBe('./dist/web/browser.js');
  });

  it('has no Node globals in the browser build (imports of built-ins already fail the build)', () => {
    const files = readdirSync(join(ROOT, 'dist', 'web'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.js'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const code = readFileSync(join(ROOT, 'dist', 'web', file), 'utf8');
      expect(code.match(/\b(?:Buffer|process|require|setImmediate|__dirname)\b/g), file).toBeNull();
    }
  });

  it('loads the browser build (ESM and CommonJS) on a plain JavaScript runtime, with Node-only parts absent', async () => {
    const esm = await import(join(ROOT, 'dist', 'web', 'browser.js'));
    expect(esm.locate('Л/С 36000111222333').accounts[0].number).toBe('36000111222333');
    const result = await esm.extract('Лицевой счёт: 3600 0111 2223 33');
    expect(result.accounts.map((a: { number: string }) => a.number)).toEqual(['36000111222333']);
    for (const nodeOnly of ['scan', 'extractFile', 'splitMbox', 'enqueue', 'ExtractPool'])
      expect(esm[nodeOnly]).toBeUndefined();
    const cjs = createRequire(import.meta.url)(join(ROOT, 'dist', 'browser.cjs'));
    expect(cjs.isValidAccount('3600 0111 2223 33')).toBe(true);
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
  });
});
