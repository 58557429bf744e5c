/**
 * The command line: a thin shell around `scan()`. Exit codes: 0 every document read, 3 finished but
 * some documents have error records, 2 usage error, 1 fatal, 130/143 interrupted by SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolveLengths } from '../account.js';
import {
  clearQueue,
  collectResults,
  DEFAULT_SPLIT_SIZE,
  enqueue,
  QueueIncompleteError,
  queueStatus,
  runWorker,
} from '../queue/queue.js';
import { keepHeapSmall } from '../scan/heap.js';
import { shownName } from '../scan/names.js';
import { type ScanOptions, scan } from '../scan/scan.js';
import { walk } from '../scan/walk.js';
import { VERSION } from '../version.js';
import { explain } from './explain.js';
import { OutputError } from './io-errors.js';
import { defaultFormat, FORMATS, type Format, Journal, RecordWriter, readJournal, recordKey } from './output.js';
import { Progress, Summary } from './progress.js';

/**
 * The CLI owns its process, so it keeps V8's young generation from growing (see
 * `PoolOptions.fixedYoungGeneration`), unless the user tunes it (`--max-semi-space-size` and the like).
 */
function fixedYoungGeneration(): boolean {
  return !/semi[-_]space/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
}

export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, DOCUMENT_ERRORS: 3, OUTPUT: 4, SIGINT: 130, SIGTERM: 143 } as const;

/** After SIGINT or SIGTERM, the process is gone within this long, whatever is still running. */
const FORCE_EXIT_MS = 4_000;

/** The shell's convention: 128 + the signal's number. */
function signalExit(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
}

/**
 * Answers SIGINT and SIGTERM: the first calls `first` (a clean stop), a second one ends the process at
 * once. `signal` says which came first; `off` stops listening.
 */
function onSignals(first: (signal: NodeJS.Signals) => void): { signal: NodeJS.Signals | undefined; off: () => void } {
  const state: { signal: NodeJS.Signals | undefined; off: () => void } = { signal: undefined, off: () => undefined };
  const handler = (signal: NodeJS.Signals) => {
    if (state.signal) {
      process.stderr.write(`rostelecom-account: ${signal} again: stopped at once\n`);
      process.exit(signalExit(state.signal));
    }
    state.signal = signal;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  state.off = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  return state;
}

class UsageError extends Error {}

interface ScanFlags {
  lengths?: number[];
  redact?: boolean;
  password?: string;
  format?: Format;
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
  ocr?: 'auto' | 'off' | 'force';
  ocrLangPath?: string;
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
  if (paths.length === 0 && !flags.explain)
    throw new UsageError('name at least one file or folder to scan (see --help)');
  const missing = [...paths, ...(flags.explain ? [flags.explain] : [])].filter((p) => p !== '-' && !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  if (flags.resume && !flags.out) throw new UsageError('--resume needs --out FILE (it continues that file)');

  const options: ScanOptions = {
    include: flags.include,
    exclude: flags.exclude,
    fixedYoungGeneration: fixedYoungGeneration(),
  };
  // With a pool, this thread only merges records: keep its heap at what it holds.
  if (flags.concurrency !== 0 && !flags.explain) keepHeapSmall();
  if (flags.lengths) options.lengths = flags.lengths;
  if (flags.redact) options.redact = true;
  if (flags.password !== undefined) options.password = flags.password;
  if (flags.concurrency !== undefined) options.concurrency = flags.concurrency;
  if (flags.shard) options.shard = flags.shard;
  if (flags.maxBytes) options.maxBytes = flags.maxBytes;
  if (flags.maxPages) options.maxPages = flags.maxPages;
  if (flags.timeout) options.timeoutMs = flags.timeout;
  if (flags.ocr) options.ocr = flags.ocr;
  if (flags.ocrLangPath) options.ocrLangPath = flags.ocrLangPath;

  if (flags.explain) {
    const ok = await explain(flags.explain, options, (s) => process.stdout.write(s));
    return ok ? EXIT.OK : EXIT.DOCUMENT_ERRORS;
  }

  let journal: Journal | undefined;
  let resumed = 0;
  let resumedErrors: ReadonlyMap<string, number> = new Map();
  if (flags.out) {
    if (flags.resume) {
      const done = await readJournal(`${flags.out}.partial`);
      resumed = done.keys.size;
      resumedErrors = done.errors;
      options.skip = (source, index, encoding) => done.keys.has(recordKey(source, index, encoding));
    } else if (existsSync(`${flags.out}.partial`)) {
      throw new UsageError(
        `${flags.out}.partial exists: an earlier scan into ${flags.out} was interrupted; add --resume to finish it, or delete it`,
      );
    }
    journal = await Journal.open(flags.out); // checks the folder first: nothing is read if it cannot be written
  }
  const format = flags.format ?? defaultFormat(process.stdout, !!flags.out);
  const writer = journal ? journal.writer : new RecordWriter(process.stdout, format, flags.bom);
  if (!journal) await writer.start();

  const summary = new Summary();
  summary.addResumed(resumedErrors);
  const progress =
    process.stderr.isTTY && !flags.quiet && !flags.verbose ? new Progress(await totalBytes(paths)) : undefined;
  options.onProgress = (p) => {
    summary.bytes = p.bytes;
    progress?.update(p);
  };
  if (!flags.quiet)
    options.onWaiting = (document, ms) =>
      process.stderr.write(
        `rostelecom-account: waiting for ${shownName(document)} (being read for ${Math.round(ms / 1000)} s); the records after it wait to keep their order\n`,
      );
  const abort = new AbortController();
  options.signal = abort.signal;
  const interrupted = () =>
    `rostelecom-account: interrupted after ${summary.documents} documents${flags.out ? `; run again with --resume to finish ${flags.out}` : ''}\n`;
  const stopOn = onSignals((signal) => {
    abort.abort();
    // Whatever the clean stop waits on, the process is gone within FORCE_EXIT_MS of the signal.
    setTimeout(() => {
      progress?.stop();
      process.stderr.write(interrupted());
      process.exit(signalExit(signal));
    }, FORCE_EXIT_MS).unref();
  });
  try {
    for await (const record of scan(paths, options)) {
      summary.add(record);
      await writer.record(record);
      if (flags.verbose) {
        const where = shownName(record.index !== undefined ? `${record.source} #${record.index}` : record.source);
        process.stderr.write(
          `read ${where}: ${record.kind}, ${record.accounts.length} accounts, ${record.contractNumbers.length} contract numbers` +
            (record.error ? `, error ${record.error.code}` : '') +
            (record.warnings.length ? `, warnings ${record.warnings.map((w) => w.code).join(' ')}` : '') +
            '\n',
        );
      }
    }
  } catch (error) {
    progress?.stop();
    if (stopOn.signal) {
      await journal
        ?.close()
        .catch((e: unknown) =>
          process.stderr.write(e instanceof OutputError ? e.line() : `rostelecom-account: ${String(e)}\n`),
        );
      process.stderr.write(interrupted());
      // Nothing else may hold the process (standard input, a timer): it ends here.
      process.exit(signalExit(stopOn.signal));
    }
    await journal?.close().catch(() => undefined); // the output failed: keep what the journal holds
    throw error;
  } finally {
    stopOn.off();
  }
  progress?.stop();
  if (journal) await journal.finish(format, flags.bom ?? false);
  else await writer.end();
  if (!flags.quiet) process.stderr.write(summary.text(resumed));
  return summary.errorCount > 0 ? EXIT.DOCUMENT_ERRORS : EXIT.OK;
}

interface QueueFlags {
  redis: string;
  name?: string;
}

function queueOptions(flags: QueueFlags) {
  return { redis: flags.redis, ...(flags.name ? { name: flags.name } : {}) };
}

async function runResults(flags: QueueFlags & { out?: string; format: Format; bom?: boolean }): Promise<number> {
  let errors = 0;
  const journal = flags.out ? await Journal.open(flags.out) : undefined;
  const writer = journal ? journal.writer : new RecordWriter(process.stdout, flags.format, flags.bom);
  if (!journal) await writer.start();
  try {
    for await (const record of collectResults(queueOptions(flags))) {
      if (record.error) errors++;
      await writer.record(record);
    }
  } catch (error) {
    await journal?.close();
    if (error instanceof QueueIncompleteError) {
      process.stderr.write(`rostelecom-account: ${error.message}\n`);
      return EXIT.FATAL;
    }
    throw error;
  }
  if (journal) await journal.finish(flags.format, flags.bom ?? false);
  else await writer.end();
  return errors > 0 ? EXIT.DOCUMENT_ERRORS : EXIT.OK;
}

function addQueueCommands(program: Command): void {
  const redisOption = () => new Option('--redis <url>', 'Redis URL').default('redis://127.0.0.1:6379');
  const nameOption = () =>
    new Option('--name <name>', 'the job, so that several scans can share one Redis').default('rostelecom-account');
  const queue = program.command('queue').description('spread one scan over many machines: a BullMQ job queue on Redis');
  queue
    .command('add')
    .description('walk the paths and enqueue their documents (large mailboxes as byte ranges)')
    .argument('<paths...>', 'files and folders, as for scan')
    .addOption(redisOption())
    .addOption(nameOption())
    .option(
      '--split-size <bytes>',
      `split mailboxes larger than this into ranges of about this size (default ${DEFAULT_SPLIT_SIZE})`,
      wholeNumber(1),
    )
    .option('--include <glob>', 'only files matching the glob; repeatable', collect, [])
    .option('--exclude <glob>', 'skip files matching the glob; repeatable', collect, [])
    .action(
      async (paths: string[], flags: QueueFlags & { splitSize?: number; include: string[]; exclude: string[] }) => {
        const missing = paths.filter((p) => !existsSync(p));
        if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
        const r = await enqueue(paths, {
          ...queueOptions(flags),
          include: flags.include,
          exclude: flags.exclude,
          ...(flags.splitSize ? { splitSize: flags.splitSize } : {}),
        });
        process.stderr.write(`rostelecom-account: ${r.added} units enqueued, ${r.known} already queued\n`);
      },
    );
  queue
    .command('status')
    .description('units waiting, running, done and failed, and the rate they finish at')
    .addOption(redisOption())
    .addOption(nameOption())
    .action(async (flags: QueueFlags) => {
      const s = await queueStatus(queueOptions(flags));
      process.stdout.write(
        `units ${s.units}: done ${s.withResults}, waiting ${s.waiting}, running ${s.active}, retrying ${s.delayed}, failed ${s.failed}; ${s.perSecond.toFixed(1)} units/s over the last minute\n`,
      );
    });
  queue
    .command('results')
    .description('write every record, in the order a single-machine scan gives')
    .addOption(redisOption())
    .addOption(nameOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('ndjson'))
    .option('-o, --out <file>', 'write to FILE (atomically)')
    .option('--bom', 'with --format csv: a UTF-8 byte-order mark')
    .action(async (flags: QueueFlags & { out?: string; format: Format; bom?: boolean }) => {
      process.exitCode = await runResults(flags);
    });
  queue
    .command('clear')
    .description("remove the job's queue and results from Redis")
    .addOption(redisOption())
    .addOption(nameOption())
    .action(async (flags: QueueFlags) => {
      await clearQueue(queueOptions(flags));
    });

  program
    .command('worker')
    .description('process queued documents until stopped (SIGTERM finishes the current jobs first)')
    .addOption(redisOption())
    .addOption(nameOption())
    .option('-j, --concurrency <n>', 'worker threads (default: one per core)', wholeNumber(0))
    .addOption(new Option('--lengths <list>', 'accepted account lengths').argParser(parseLengths))
    .option('--password <password>', 'password that opens encrypted PDFs')
    .option('--timeout <ms>', 'time for one document in milliseconds', wholeNumber(1))
    .option(
      '--lock-duration <ms>',
      'how long a job may go without a sign of life before it is given to another worker',
      wholeNumber(1000),
    )
    .option('-v, --verbose', 'one line per job on stderr')
    .action(
      async (
        flags: QueueFlags & {
          concurrency?: number;
          lengths?: number[];
          password?: string;
          timeout?: number;
          lockDuration?: number;
          verbose?: boolean;
        },
      ) => {
        const stop = new AbortController();
        // The first signal lets the current jobs finish (within --timeout); a second one ends at once.
        onSignals(() => stop.abort());
        if (flags.concurrency !== 0) keepHeapSmall();
        await runWorker({
          ...queueOptions(flags),
          signal: stop.signal,
          ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
          fixedYoungGeneration: fixedYoungGeneration(),
          ...(flags.lengths ? { lengths: flags.lengths } : {}),
          ...(flags.password !== undefined ? { password: flags.password } : {}),
          ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
          ...(flags.lockDuration
            ? {
                lockDurationMs: flags.lockDuration,
                stalledIntervalMs: Math.max(500, Math.floor(flags.lockDuration / 2)),
              }
            : {}),
          onRedisError: (error) => process.stderr.write(`rostelecom-account: worker: ${error.message}\n`),
          ...(flags.verbose
            ? {
                onJob: (unit, n) =>
                  process.stderr.write(
                    `done ${unit.path}${unit.range ? ` [${unit.range.start}, ${unit.range.end})` : ''}: ${n} records\n`,
                  ),
              }
            : {}),
        });
      },
    );
}

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
    .option('--bom', 'with --format csv: start with a UTF-8 byte-order mark, for Excel')
    .option(
      '-j, --concurrency <n>',
      'worker threads (default: one per core; 0 reads on the main thread)',
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
