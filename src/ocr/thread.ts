/**
 * The body of a tesseract worker thread: tesseract.js's own, with the thread's output silenced first.
 * Tesseract prints notes such as "Too few characters. Skipping this page" while it judges a page, and a
 * worker thread's output goes to the process's own: onto a batch's stderr, or into its NDJSON on stdout.
 * What matters for a document comes back through tesseract.js's answers, never through the console.
 */
const quiet = () => true;
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[method] = () => undefined;
(process.stdout as { write: unknown }).write = quiet;
(process.stderr as { write: unknown }).write = quiet;

// Named at run time: tesseract.js is an optional dependency, outside the bundle.
const script = 'tesseract.js/src/worker-script/node/index.js';
// Messages that arrive before it has loaded wait on the port.
void import(script);
