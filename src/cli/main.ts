/**
 * The command line: a thin shell around `scan()`. Exit codes: 0 every document read, 3 finished but
 * some documents have error records, 2 usage error, 1 fatal.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolveLengths } from '../account.js';
import { scan, type ScanOptions } from '../scan/scan.js';
import { walk } from '../scan/walk.js';
import { VERSION } from '../version.js';
import { explain } from './explain.js';
import { FORMATS, Journal, readJournal, RecordWriter, recordKey, type Format } from './output.js';
import { Progress, Summary } from './progress.js';

export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, DOCUMENT_ERRORS: 3 } as const;

class UsageError extends Error {}

interface ScanFlags {
  lengths?: number[];
  redact?: boolean;
  password?: string;
  format: Format;
  bom?: boolean;
  out?: string;
  resume?: boolean;
  concurrency?: number;
  include: string[];
  exclude: string[];
  shard?: [number, number];
  quiet?: boolean;
  verbose?: boolean;
  explain?: string;
  maxBytes?: number;
  maxPages?: number;
  timeout?: number;
}

function parseLengths(value: string): number[] {
  const lengths = value.split(',').map((s) => Number(s.trim()));
  try {
    resolveLengths({ lengths });
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return lengths;
}

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return n;
  };
}

function parseShard(value: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i >= n) throw new InvalidArgumentError('expected I/N with 0 ≤ I < N, e.g. 0/4');
  return [i, n];
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function totalBytes(paths: string[]): Promise<number> {
  let total = 0;
  for await (const entry of walk(paths.filter((p) => p !== '-'))) {
    if (!entry.error) total += (await stat(entry.path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  if (paths.length === 0 && !flags.explain) throw new UsageError('name at least one file or folder to scan (see --help)');
  const missing = [...paths, ...(flags.explain ? [flags.explain] : [])].filter((p) => p !== '-' && !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  if (flags.resume && !flags.out) throw new UsageError('--resume needs --out FILE (it continues that file)');

  const options: ScanOptions = { include: flags.include, exclude: flags.exclude };
  if (flags.lengths) options.lengths = flags.lengths;
  if (flags.redact) options.redact = true;
  if (flags.password !== undefined) options.password = flags.password;
  if (flags.concurrency !== undefined) options.concurrency = flags.concurrency;
  if (flags.shard) options.shard = flags.shard;
  if (flags.maxBytes) options.maxBytes = flags.maxBytes;
  if (flags.maxPages) options.maxPages = flags.maxPages;
  if (flags.timeout) options.timeoutMs = flags.timeout;

  if (flags.explain) {
    const ok = await explain(flags.explain, options, (s) => process.stdout.write(s));
    return ok ? EXIT.OK : EXIT.DOCUMENT_ERRORS;
  }

  let journal: Journal | undefined;
  let resumed = 0;
  let resumedErrors = 0;
  if (flags.out) {
    if (flags.resume) {
      const done = await readJournal(`${flags.out}.partial`);
      resumed = done.keys.size;
      resumedErrors = done.errors;
      options.skip = (source, index) => done.keys.has(recordKey(source, index));
    } else if (existsSync(`${flags.out}.partial`)) {
      throw new UsageError(`${flags.out}.partial exists: an earlier scan into ${flags.out} was interrupted; add --resume to finish it, or delete it`);
    }
    journal = new Journal(flags.out);
  }
  const writer = journal ? journal.writer : new RecordWriter(process.stdout, flags.format, flags.bom);
  if (!journal) await writer.start();

  const summary = new Summary();
  const progress = process.stderr.isTTY && !flags.quiet && !flags.verbose ? new Progress(await totalBytes(paths)) : undefined;
  options.onProgress = (p) => {
    summary.bytes = p.bytes;
    progress?.update(p);
  };
  const abort = new AbortController();
  options.signal = abort.signal;
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for await (const record of scan(paths, options)) {
      summary.add(record);
      await writer.record(record);
      if (flags.verbose) {
        const where = record.index !== undefined ? `${record.source} #${record.index}` : record.source;
        process.stderr.write(
          `read ${where}: ${record.kind}, ${record.accounts.length} accounts, ${record.contractNumbers.length} contract numbers` +
            (record.error ? `, error ${record.error.code}` : '') + (record.warnings.length ? `, warnings ${record.warnings.map((w) => w.code).join(' ')}` : '') + '\n',
        );
      }
    }
  } catch (error) {
    progress?.stop();
    if (abort.signal.aborted) {
      await journal?.close();
      process.stderr.write(`rostelecom-account: interrupted after ${summary.documents} documents${flags.out ? `; run again with --resume to finish ${flags.out}` : ''}\n`);
      return EXIT.FATAL;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress?.stop();
  if (journal) await journal.finish(flags.format, flags.bom ?? false);
  else await writer.end();
  if (!flags.quiet) process.stderr.write(summary.text(resumed));
  return summary.errorCount + resumedErrors > 0 ? EXIT.DOCUMENT_ERRORS : EXIT.OK;
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
    .description('read documents and print one record per document (per message of a mailbox)')
    .argument('[paths...]', 'files and folders to read (folders recursively; mbox, Maildir and .eml folders too); - reads standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('ndjson'))
    .option('-o, --out <file>', 'write to FILE (atomically: it appears complete, at the end) instead of standard output')
    .option('--resume', 'with --out: finish a scan that was interrupted, skipping what FILE.partial holds')
    .option('--bom', 'with --format csv: start with a UTF-8 byte-order mark, for Excel')
    .option('-j, --concurrency <n>', 'worker threads (default: one per core; 0 reads on the main thread)', wholeNumber(0))
    .option('--include <glob>', 'only files matching the glob (a name, or a path with /); repeatable', collect, [])
    .option('--exclude <glob>', 'skip files matching the glob; repeatable', collect, [])
    .option('--shard <i/n>', 'read only share I of N (0-based), split by path and message index', parseShard)
    .addOption(new Option('--lengths <list>', 'accepted account lengths in digits, comma-separated (e.g. 12,14)').argParser(parseLengths))
    .option('--redact', 'print accounts masked (1234 **** **** 34), for logs that others read')
    .option('--password <password>', 'password that opens encrypted PDFs')
    .option('--max-bytes <n>', 'largest document read, in bytes (default 268435456)', wholeNumber(1))
    .option('--max-pages <n>', 'PDF pages read per document (default 200)', wholeNumber(1))
    .option('--timeout <ms>', 'time for one document in milliseconds (default 60000)', wholeNumber(1))
    .option('--explain <file>', 'show how one document was read: its text, every candidate, and why it was kept or rejected')
    .option('-q, --quiet', 'no progress bar and no summary on stderr')
    .option('-v, --verbose', 'one line per document on stderr (never the numbers)')
    .addHelpText(
      'after',
      `
Examples:
  $ rostelecom-account scan contract.pdf bills/
  $ rostelecom-account scan --format csv --bom --out accounts.csv export.mbox
  $ rostelecom-account scan --out all.ndjson --resume archive/          # after an interruption
  $ rostelecom-account scan --shard 0/4 --out part-0.ndjson archive/     # machine 0 of 4
  $ rostelecom-account scan --include '*.eml' --exclude 'spam/**' mail/
  $ rostelecom-account scan --password s3cret encrypted-contract.pdf
  $ rostelecom-account scan --explain contract.pdf                     # why was an account missed?

Exit codes: 0 every document read; 3 finished, but some documents have error records;
            2 usage error; 1 fatal error or interrupted.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runScan(paths, flags);
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
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.OK : EXIT.USAGE;
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
