/**
 * The command line: a thin shell around `scan()`. Exit codes: 0 every document read, 3 finished but
 * some documents have error records, 2 usage error, 1 fatal.
 */
import { existsSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { scan, type ScanOptions } from '../scan/scan.js';
import { resolveLengths } from '../account.js';
import { VERSION } from '../version.js';

export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, DOCUMENT_ERRORS: 3 } as const;

class UsageError extends Error {}

function parseLengths(value: string): number[] {
  const lengths = value.split(',').map((s) => Number(s.trim()));
  try {
    resolveLengths({ lengths });
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return lengths;
}

/** Writes a line, waiting when the reader is slower than we are. */
async function writeLine(line: string): Promise<void> {
  if (!process.stdout.write(line + '\n')) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

interface ScanFlags {
  lengths?: number[];
  redact?: boolean;
  password?: string;
}

async function runScan(paths: string[], opts: ScanFlags): Promise<number> {
  const missing = paths.filter((p) => p !== '-' && !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  const options: ScanOptions = {};
  if (opts.lengths) options.lengths = opts.lengths;
  if (opts.redact) options.redact = true;
  if (opts.password !== undefined) options.password = opts.password;
  let errors = 0;
  for await (const record of scan(paths, options)) {
    if (record.error) errors++;
    await writeLine(JSON.stringify(record));
  }
  return errors > 0 ? EXIT.DOCUMENT_ERRORS : EXIT.OK;
}

export function buildProgram(): Command {
  const program = new Command('rostelecom-account')
    .description('Find Rostelecom personal account numbers (лицевой счёт) in contracts, bills, emails and text.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });

  program
    .command('scan')
    .description('read documents and print one JSON record per document (NDJSON) on stdout')
    .argument('<paths...>', 'files and folders to read (folders are walked recursively)')
    .addOption(
      new Option('--lengths <list>', 'accepted account lengths in digits, comma-separated (e.g. 12,14)')
        .argParser(parseLengths),
    )
    .option('--redact', 'print accounts masked (1234 **** **** 34), for logs that others read')
    .option('--password <password>', 'password that opens encrypted PDFs')
    .addHelpText(
      'after',
      `
Examples:
  $ rostelecom-account scan contract.pdf bills/
  $ rostelecom-account scan --lengths 12,14 notes.txt
  $ rostelecom-account scan --password s3cret encrypted-contract.pdf

Exit codes: 0 every document read; 3 finished, but some documents have error records;
            2 usage error; 1 fatal error.`,
    )
    .action(async (paths: string[], opts: ScanFlags) => {
      process.exitCode = await runScan(paths, opts);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.USAGE;
    }
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.OK;
      }
      return EXIT.USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`rostelecom-account: ${error.message}\n`);
      return EXIT.USAGE;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    process.stderr.write(`rostelecom-account: fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FATAL;
  }
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // The reader went away (`| head`): stop quietly, as Unix tools do.
  if (error.code === 'EPIPE') process.exit(EXIT.OK);
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rostelecom-account: fatal: ${String(error)}\n`);
    process.exitCode = EXIT.FATAL;
  },
);
