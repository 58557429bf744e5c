/** `rostelecom-account scan`: flags to `scan()` options, records to the chosen output, progress and exit code. */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fixYoungGeneration, keepHeapSmall } from '../scan/heap.js';
import { shownName } from '../scan/names.js';
import { type ScanOptions, type ScanRecord, StoredRun, scanRuns } from '../scan/scan.js';
import { checkStateFolder } from '../scan/select.js';
import { walk } from '../scan/walk.js';
import { EXIT, FORCE_EXIT_MS, onSignals, signalExit, UsageError } from './exit.js';
import { OutputError } from './io-errors.js';
import { defaultFormat, type Format, Journal, RecordWriter, readJournal, recordKey } from './output.js';
import { Progress, Summary } from './progress.js';

/**
 * The CLI owns its process, so it keeps V8's young generation from growing (see
 * `PoolOptions.fixedYoungGeneration`), unless the user tunes it (`--max-semi-space-size` and the like)
 * or the documents are read on this thread (`-j 0`): at its starting size the reading thread collected
 * about 3 000 times on the 50 MiB bench mailbox, and V8's own growth saves 8–18 % of the CPU there for
 * 0–40 MiB more (docs/performance.md, «The young generation»). Pool threads are held at 2 MiB
 * semi-spaces, not left to V8's growth: the same saving for 2–10 MiB instead of 25–30 MiB more at the
 * peak, which is what the 256 MiB target is about.
 */
export function fixedYoungGeneration(concurrency?: number): boolean {
  if (concurrency === 0) return false;
  return !/semi[-_]space/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
}

export interface ScanFlags {
  lengths?: number[];
  redact?: boolean;
  password?: string;
  format?: Format;
  bom?: boolean;
  out?: string;
  resume?: boolean;
  state?: string;
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

async function totalBytes(paths: string[]): Promise<number> {
  let total = 0;
  for await (const entry of walk(paths.filter((p) => p !== '-'))) {
    if (!entry.error) total += (await stat(entry.path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The flags as `scan()` options: only those given, so `scan()`'s defaults stay the defaults. */
function scanOptions(flags: ScanFlags): ScanOptions {
  const options: ScanOptions = {
    include: flags.include,
    exclude: flags.exclude,
    fixedYoungGeneration: fixedYoungGeneration(flags.concurrency),
  };
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
  if (flags.state) {
    options.state = flags.state;
    // Why an old state is not used is always said; what came from it, unless --quiet.
    options.onState = (notice) => {
      if (notice.kind === 'ignored' || !flags.quiet) process.stderr.write(`rostelecom-account: ${notice.message}\n`);
    };
  }
  return options;
}

/**
 * `--out`'s journal, opened (its folder is checked first: nothing is read if it cannot be written);
 * with `--resume`, what the interrupted run wrote: skipped by `options.skip`, its errors by code.
 */
async function openJournal(
  flags: ScanFlags,
  options: ScanOptions,
): Promise<{ journal?: Journal; resumed: number; resumedErrors: ReadonlyMap<string, number> }> {
  if (!flags.out) return { resumed: 0, resumedErrors: new Map() };
  let resumed = 0;
  let resumedErrors: ReadonlyMap<string, number> = new Map();
  if (flags.resume) {
    const done = await readJournal(`${flags.out}.partial`);
    resumed = done.keys.size;
    resumedErrors = done.errors;
    options.skip = (source, index, encoding) => done.keys.has(recordKey(source, index, encoding));
  } else if (existsSync(`${flags.out}.partial`) && !flags.state) {
    throw new UsageError(
      `${flags.out}.partial exists: an earlier scan into ${flags.out} was interrupted; add --resume to finish it, or delete it`,
    );
  }
  // With --state, an interrupted run's output is written anew (--resume does not go with it; the state,
  // which an interrupted run leaves as it was, makes the whole run cheap).
  return { journal: await Journal.open(flags.out, flags.state !== undefined), resumed, resumedErrors };
}

/** The `-v` line of one record: never its numbers; a name's control characters escaped (one line each). */
function verboseLine(record: ScanRecord): string {
  const where = shownName(record.index !== undefined ? `${record.source} #${record.index}` : record.source);
  return (
    `read ${where}: ${record.kind}, ${record.accounts.length} accounts, ${record.contractNumbers.length} contract numbers` +
    (record.error ? `, error ${record.error.code}` : '') +
    (record.warnings.length ? `, warnings ${record.warnings.map((w) => w.code).join(' ')}` : '') +
    '\n'
  );
}

/** Said on stderr while ordered output waits on one slow document (never its numbers). */
function waitingNotice(document: string, ms: number): void {
  process.stderr.write(
    `rostelecom-account: waiting for ${shownName(document)} (being read for ${Math.round(ms / 1000)} s); the records after it wait to keep their order\n`,
  );
}

/** Flags that do not go together, and paths that are not there: a usage error before anything is read. */
function checkFlags(paths: string[], flags: ScanFlags): void {
  if (paths.length === 0 && !flags.explain)
    throw new UsageError('name at least one file or folder to scan (see --help)');
  const missing = [...paths, ...(flags.explain ? [flags.explain] : [])].filter((p) => p !== '-' && !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  if (flags.resume && !flags.out) throw new UsageError('--resume needs --out FILE (it continues that file)');
  if (flags.state && flags.resume)
    throw new UsageError(
      '--state does not go with --resume: the documents --resume skips would be missing from the state; run again without --resume (the state makes the full run cheap)',
    );
  if (flags.state && flags.explain) throw new UsageError('--state does not go with --explain (it reads one document)');
  try {
    if (flags.state) checkStateFolder(flags.state, paths);
  } catch (error) {
    throw new UsageError(`--state: ${(error as Error).message}`);
  }
}

export async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  checkFlags(paths, flags);
  const options = scanOptions(flags);
  // With a pool, this thread only merges records: keep its heap at what it holds.
  if (flags.concurrency !== 0 && !flags.explain) keepHeapSmall();
  // From the start, not once the first pool thread sets it: a scan from its state starts none, and
  // its young generation would grow (2 MiB more to touch, ~8 ms on the bench VM) for nothing.
  if (options.fixedYoungGeneration && !flags.explain) fixYoungGeneration();

  if (flags.explain) {
    // The extract stage loads here, not with the command line: a scan reads on its pool's threads.
    const { explain } = await import('./explain.js');
    const ok = await explain(flags.explain, options, (s) => process.stdout.write(s));
    return ok ? EXIT.OK : EXIT.DOCUMENT_ERRORS;
  }

  const { journal, resumed, resumedErrors } = await openJournal(flags, options);
  const format = flags.format ?? defaultFormat(process.stdout, !!flags.out);
  const writer = journal ? journal.writer : new RecordWriter(process.stdout, format, flags.bom);
  if (!journal) await writer.start();

  const summary = new Summary();
  summary.addResumed(resumedErrors);
  const progress =
    process.stderr.isTTY && !flags.quiet && !flags.verbose ? await Progress.create(await totalBytes(paths)) : undefined;
  options.onProgress = (p) => {
    summary.bytes = p.bytes;
    progress?.update(p);
  };
  if (!flags.quiet) options.onWaiting = waitingNotice;
  const abort = new AbortController();
  options.signal = abort.signal;
  const again = flags.state ? 'run again (its state makes that cheap)' : 'run again with --resume';
  const interrupted = () =>
    `rostelecom-account: interrupted after ${summary.documents} documents${flags.out ? `; ${again} to finish ${flags.out}` : ''}\n`;
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
    for await (const item of scanRuns(paths, options)) {
      // Records from the state go out as the lines they were stored as; --verbose says each one.
      if (item instanceof StoredRun && !flags.verbose) {
        summary.addRun(item);
        await writer.run(item);
        continue;
      }
      for (const record of item instanceof StoredRun ? item.records() : [item]) {
        summary.add(record);
        await writer.record(record);
        if (flags.verbose) process.stderr.write(verboseLine(record));
      }
    }
    // A signal after the last record (the pool closing, the state written) stops the run all the same:
    // the output is left for --resume to finish, as the signal's exit code says.
    if (stopOn.signal) throw abort.signal.reason;
  } catch (error) {
    progress?.stop();
    if (stopOn.signal) {
      if (!journal) await writer.flush().catch(() => undefined);
      await journal
        ?.close()
        .catch((e: unknown) =>
          process.stderr.write(e instanceof OutputError ? e.line() : `rostelecom-account: ${String(e)}\n`),
        );
      process.stderr.write(interrupted());
      // Nothing else may hold the process (standard input, a timer): it ends here.
      process.exit(signalExit(stopOn.signal));
    }
    // The output or the scan failed: keep what the journal holds, give what was gathered.
    await (journal ? journal.close() : writer.flush()).catch(() => undefined);
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
