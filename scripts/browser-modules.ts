/**
 * The browser build's modules. One module is swapped at build time: the text codec's Node adapter
 * `extract/text/node.ts` (iconv-lite, node:buffer) becomes `extract/text/browser.ts` (TextDecoder), because
 * `decodeText()` is a public synchronous function that every decoder calls and no runtime value can reach.
 * Every other runtime difference is a runtime value (`extract/node.ts`, `extract/browser.ts`).
 * Used by tsup (the published browser build) and by the demo page's build.
 */
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The module swapped, and the one put in its place. */
const CODEC = join('extract', 'text', 'node.ts');
const BROWSER_CODEC = join('extract', 'text', 'browser.ts');

export const swapBrowserModules: Plugin = {
  name: 'rostelecom-account:browser-modules',
  setup(build) {
    build.onResolve({ filter: /\/node\.js$/ }, (args) => {
      const path = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return path.endsWith(CODEC) ? { path: path.slice(0, -CODEC.length) + BROWSER_CODEC } : undefined;
    });
  },
};

/**
 * Every source module `src/browser.ts` reaches, as tsup entries `web/<path>` → source file, with the swap
 * applied (`web/extract/text/node` is built from `text/browser.ts`, so the imports of it stay as they are). The browser build keeps them as separate
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
    const name = relative(
      'src',
      input.endsWith(BROWSER_CODEC) ? input.slice(0, -BROWSER_CODEC.length) + CODEC : input,
    ).replace(/\.ts$/, '');
    entries[`web/${name}`] = input;
  }
  return entries;
}
