/**
 * An app made the way a web developer makes one: the packed package (`npm pack`) installed into a fresh
 * folder, and a page that imports it, bundled with esbuild for the browser with no externals.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT } from '../helpers.js';

export interface InstalledApp {
  dir: string;
  /** How the package's dependencies were installed: `npm install` or `linked` (see installPacked). */
  install: 'npm install' | 'linked';
}

/**
 * Packs the package (its `files`, as published) and installs the tarball into a new app folder. With
 * `npm install <tarball>` when the registry answers (npm's cache first): that also checks the package's
 * dependency ranges. Without a registry (an offline machine: npm's cache holds the lock file's tarballs but
 * not the registry's metadata, so `--offline` cannot resolve the ranges), the tarball is unpacked into
 * node_modules and its dependencies are this repository's node_modules, linked: the files under test,
 * the package as packed, are the same either way.
 */
export function installPacked(): InstalledApp {
  const dir = mkdtempSync(join(tmpdir(), 'rostelecom-account-app-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const tarball = join(dir, out.trim().split('\n').pop()!);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  try {
    execFileSync(
      'npm',
      [
        'install',
        tarball,
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--fetch-retries=0',
        '--fetch-timeout=15000',
      ],
      { cwd: dir, stdio: 'pipe', timeout: 60_000 },
    );
    return { dir, install: 'npm install' };
  } catch {
    const target = join(dir, 'node_modules', 'rostelecom-account');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
    symlinkSync(join(ROOT, 'node_modules'), join(target, 'node_modules'), 'dir');
    return { dir, install: 'linked' };
  }
}

export interface Bundle {
  /** Output files (relative to the app) and their sizes. */
  files: Array<{ path: string; bytes: number; gzip: number }>;
  bytes: number;
  gzip: number;
  /** The input files that left code in the output (after tree shaking), as paths relative to the app. */
  inputs: string[];
}

/** Bundles `source` (an ES module importing the package) for the browser, minified, into `outdir`. */
export async function bundle(
  app: string,
  name: string,
  source: string,
  options: { splitting?: boolean } = {},
): Promise<Bundle> {
  const entry = join(app, `${name}.js`);
  writeFileSync(entry, source);
  const outdir = join(app, 'public', name);
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: app,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    splitting: options.splitting === true,
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  const files = Object.keys(result.metafile.outputs)
    .filter((path) => path.endsWith('.js'))
    .map((path) => {
      const bytes = readFileSync(join(app, path));
      return { path, bytes: bytes.length, gzip: gzipSync(bytes).length };
    });
  return {
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzip: files.reduce((n, f) => n + f.gzip, 0),
    inputs: [
      ...new Set(
        Object.values(result.metafile.outputs).flatMap((output) =>
          Object.entries(output.inputs)
            .filter(([, input]) => input.bytesInOutput > 0)
            .map(([path]) => path),
        ),
      ),
    ],
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
