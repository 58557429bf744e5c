/**
 * The browser build's modules. One module is swapped: the decoders' `codec.ts` (iconv-lite, node:buffer)
 * becomes `codec.browser.ts` (TextDecoder); everything else the browser entry imports is the code Node runs.
 * Used by tsup (the published browser build) and by the demo page's build.
 */
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';

export const swapBrowserModules: Plugin = {
  name: 'rostelecom-account:browser-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\/codec\.js$/ }, (args) => ({ path: join(args.resolveDir, 'codec.browser.ts') }));
  },
};

/**
 * Every source module `src/browser.ts` reaches, as tsup entries `web/<path>` → source file, with the swap
 * applied (`web/extract/codec` is built from `codec.browser.ts`). The browser build keeps them as separate
 * modules so that an app's bundler drops whole modules it does not use (`"sideEffects": false`): an app
 * that imports only `isValidAccount` gets account.ts and errors.ts, and no pdf.js. Fails if the graph
 * reaches a Node built-in.
 */
export async function browserGraph(root: string): Promise<Record<string, string>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/browser.ts'],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    packages: 'external',
    plugins: [swapBrowserModules],
    logLevel: 'silent',
  });
  const entries: Record<string, string> = {};
  for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
    const builtin = imports.find((i) => i.path.startsWith('node:') || builtinModules.includes(i.path));
    if (builtin) throw new Error(`the browser build reaches a Node built-in: ${input} imports ${builtin.path}`);
    if (!input.startsWith('src/')) continue;
    const name = relative('src', input)
      .replace(/\.browser\.ts$/, '')
      .replace(/\.ts$/, '');
    entries[`web/${name}`] = input;
  }
  return entries;
}
