import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM and CommonJS side by side, each with its own declarations.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
  },
  {
    // The command line: one ESM file with a shebang; dependencies stay external.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
