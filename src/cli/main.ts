/**
 * The command line: a thin shell around `scan()`. Exit codes: 0 every document read, 3 finished but
 * some documents have error records, 2 usage error, 1 fatal, 4 the output could not be written,
 * 130/143 interrupted by SIGINT/SIGTERM.
 */
import { EXIT } from './exit.js';
import { OutputError } from './io-errors.js';
import { main } from './program.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // The reader went away (`| head`): stop quietly, as Unix tools do.
  if (error.code === 'EPIPE') process.exit(EXIT.OK);
  // A redirect to a full disk, and the like: one line, exit 4 (see io-errors.ts).
  process.stderr.write(new OutputError('standard output', 'write', error).line());
  process.exit(EXIT.OUTPUT);
});

let settled = false;
// If the event loop runs dry while a command is still waiting (a library promise that will never
// settle), Node would exit 0 with output missing. Say so and fail instead: nothing is lost silently.
// ('beforeExit' comes only when the loop drains, never on an explicit process.exit such as EPIPE's.)
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write(
    'rostelecom-account: fatal: stopped before the end (an internal wait never finished); the output is incomplete\n',
  );
  process.exitCode = EXIT.FATAL;
});
main(process.argv).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    process.stderr.write(`rostelecom-account: fatal: ${String(error)}\n`);
    process.exitCode = EXIT.FATAL;
  },
);
