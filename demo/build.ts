/**
 * `npm run demo:build` builds the demo page into demo/dist/; `npm run demo` builds it and serves it on
 * 127.0.0.1 (PORT, or a free port), printing the address. The library is bundled from source with the
 * browser build's module swap (scripts/browser-modules.ts); pdf.js is a chunk loaded on the first PDF.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { swapBrowserModules } from '../scripts/browser-modules.js';
import { serveStatic } from '../scripts/static-server.js';

const root = new URL('..', import.meta.url).pathname;
export const DEMO_DIST = join(root, 'demo', 'dist');

/** The page's policy, sent as a header too (the meta tag in index.html is what a saved copy keeps). */
export const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'none'; " +
  "connect-src 'none'; worker-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";

export async function buildDemo(): Promise<void> {
  rmSync(DEMO_DIST, { recursive: true, force: true });
  mkdirSync(DEMO_DIST, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'demo/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    chunkNames: 'chunks/[name]-[hash]',
    outdir: DEMO_DIST,
    plugins: [swapBrowserModules],
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) copyFileSync(join(root, 'demo', file), join(DEMO_DIST, file));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildDemo();
  process.stdout.write(`demo built in ${DEMO_DIST}\n`);
  if (process.argv.includes('--serve')) {
    const server = await serveStatic(
      { '/': DEMO_DIST },
      { port: Number(process.env.PORT ?? 0), headers: { 'content-security-policy': DEMO_CSP } },
    );
    process.stdout.write(`demo: ${server.url}/  (Ctrl-C stops it)\n`);
  }
}
