import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { browserGraph, swapBrowserModules } from './scripts/browser-modules.js';

export default defineConfig(async () => {
  // dist/ is emptied once here, not by a build's `clean`: tsup's declaration step cleans every .d.ts of
  // the folder when it finishes, which raced with the browser build's declarations.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      // The library: ESM and CommonJS side by side, each with its own declarations.
      // worker.js is the body of the scan pool's threads, ocr-thread.js of tesseract's; both builds load
      // them by path next to themselves.
      entry: { index: 'src/index.ts', worker: 'src/scan/worker.ts', 'ocr-thread': 'src/ocr/thread.ts' },
      format: ['esm', 'cjs'],
      shims: true,
      dts: true,
      target: 'node20',
      platform: 'node',
      sourcemap: true,
      // Optional: loaded at run time only where installed.
      external: ['tesseract.js'],
    },
    {
      // The command line: one ESM file with a shebang; dependencies stay external.
      entry: { cli: 'src/cli/main.ts' },
      format: ['esm'],
      target: 'node20',
      platform: 'node',
      sourcemap: true,
      banner: { js: '#!/usr/bin/env node' },
      shims: true,
      external: ['tesseract.js'],
    },
    {
      // Browsers and edge runtimes, ESM (`rostelecom-account/browser`, and the `browser` export condition):
      // one file per module under dist/web/, so that bundlers drop the modules an app does not use; pdf.js
      // is imported on the first PDF only. Dependencies (htmlparser2, pdfjs-dist) stay imports.
      entry: await browserGraph(process.cwd()),
      format: ['esm'],
      bundle: false,
      target: 'es2022',
      platform: 'browser',
      sourcemap: true,
    },
    {
      // The same for CommonJS (one file: a CommonJS app's bundler does not tree-shake anyway), and the
      // declarations of both.
      entry: { browser: 'src/browser.ts' },
      format: ['esm', 'cjs'],
      dts: { only: true },
      target: 'es2022',
      platform: 'browser',
    },
    {
      entry: { browser: 'src/browser.ts' },
      format: ['cjs'],
      target: 'es2022',
      platform: 'browser',
      sourcemap: true,
      esbuildPlugins: [swapBrowserModules],
    },
  ];
});
