import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM and CommonJS side by side, each with its own declarations.
    // worker.js is the body of the scan pool's threads, ocr-thread.js of tesseract's; both builds load
    // them by path next to themselves.
    entry: { index: 'src/index.ts', worker: 'src/scan/worker.ts', 'ocr-thread': 'src/extract/ocr-thread.ts' },
    format: ['esm', 'cjs'],
    shims: true,
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
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
]);
