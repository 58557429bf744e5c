import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.js';
import { collect, parseLengths, parseShard, wholeNumber } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { OutputError } from './io-errors.js';
import { FORMATS } from './output.js';
import { addQueueCommands } from './queue-commands.js';
import { runScan, type ScanFlags } from './scan-command.js';

export function buildProgram(): Command {
  const program = new Command('rostelecom-account')
    .description('Find Rostelecom personal account numbers (лицевой счёт) in contracts, bills, emails and text.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`${str.split('\n')[0]}\n`) });

  program
    .command('scan')
    .description('read documents and print one record per document (per message of a mailbox)')
    .argument(
      '[paths...]',
      'files and folders to read (folders recursively; mbox, Maildir and .eml folders too); - reads standard input',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format (default: table on a terminal, else ndjson)').choices(FORMATS),
    )
    .option(
      '-o, --out <file>',
      'write to FILE (atomically: it appears complete, at the end) instead of standard output',
    )
    .option('--resume', 'with --out: finish a scan that was interrupted, skipping what FILE.partial holds')
    .option('--state <dir>', 'remember in DIR what was read: the next scan reads only new and changed files')
    .option('--bom', 'with --format csv: start with a UTF-8 byte-order mark, for Excel')
    .option(
      '-j, --concurrency <n>',
      'worker threads at most (default: one per core, started as work comes; 0 reads on the main thread)',
      wholeNumber(0),
    )
    .option('--include <glob>', 'only files matching the glob (a name, or a path with /); repeatable', collect, [])
    .option('--exclude <glob>', 'skip files matching the glob; repeatable', collect, [])
    .option('--shard <i/n>', 'read only share I of N (0-based), split by path and message index', parseShard)
    .addOption(
      new Option('--lengths <list>', 'accepted account lengths in digits, comma-separated (e.g. 12,14)').argParser(
        parseLengths,
      ),
    )
    .option('--redact', 'print accounts masked (1234 **** **** 34), for logs that others read')
    .option('--password <password>', 'password that opens encrypted PDFs')
    .option('--max-bytes <n>', 'largest document read, in bytes (default 268435456)', wholeNumber(1))
    .option('--max-pages <n>', 'PDF pages read per document (default 200)', wholeNumber(1))
    .option('--timeout <ms>', 'time for one document in milliseconds (default 60000)', wholeNumber(1))
    .addOption(
      new Option(
        '--ocr <mode>',
        'OCR of scans and photos: auto (pages without text, images), force (every page), off',
      ).choices(['auto', 'off', 'force']),
    )
    .option(
      '--ocr-lang-path <dir>',
      'folder with rus.traineddata and eng.traineddata (default: the system tesseract folders)',
    )
    .option(
      '--explain <file>',
      'show how one document was read: its text, every candidate, and why it was kept or rejected',
    )
    .option('-q, --quiet', 'no progress bar and no summary on stderr')
    .option('-v, --verbose', 'one line per document on stderr (never the numbers)')
    .addHelpText(
      'after',
      `
Examples:
  $ rostelecom-account scan contract.pdf bills/
  $ rostelecom-account scan --format csv --bom --out accounts.csv export.mbox
  $ rostelecom-account scan --out all.ndjson --resume archive/          # after an interruption
  $ rostelecom-account scan --state ~/.cache/ra-state --out all.ndjson export.mbox   # again: only new mail
  $ rostelecom-account scan --shard 0/4 --out part-0.ndjson archive/     # machine 0 of 4
  $ rostelecom-account scan --include '*.eml' --exclude 'spam/**' mail/
  $ rostelecom-account scan --password s3cret encrypted-contract.pdf
  $ rostelecom-account scan --explain contract.pdf                     # why was an account missed?

Exit codes: 0 every document read; 3 finished, but some documents have error records;
            2 usage error; 1 fatal error; 4 the output could not be written (a full disk, a
            read-only, missing or forbidden folder: one line names the file and the cause);
            130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM
            (run again with --out FILE --resume to finish).`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runScan(paths, flags);
    });
  addQueueCommands(program);
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
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? EXIT.OK
        : EXIT.USAGE;
    }
    if (error instanceof OutputError) {
      process.stderr.write(error.line());
      return EXIT.OUTPUT;
    }
    if (error instanceof UsageError || error instanceof TypeError) {
      process.stderr.write(`rostelecom-account: ${error.message}\n`);
      return EXIT.USAGE;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    process.stderr.write(`rostelecom-account: fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FATAL;
  }
}
