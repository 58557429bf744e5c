/** `rostelecom-account queue add|status|results|clear|worker`: one scan spread over machines (queue/queue.ts). */

import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
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
import { collect, parseLengths, wholeNumber } from './args.js';
import { EXIT, onSignals, UsageError } from './exit.js';
import { FORMATS, type Format, Journal, RecordWriter } from './output.js';
import { fixedYoungGeneration } from './scan-command.js';

export interface QueueFlags {
  redis: string;
  name?: string;
}

export function queueOptions(flags: QueueFlags) {
  return { redis: flags.redis, ...(flags.name ? { name: flags.name } : {}) };
}

export async function runResults(flags: QueueFlags & { out?: string; format: Format; bom?: boolean }): Promise<number> {
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
    if (journal) await journal.close();
    else await writer.flush(); // the records before the failure are output
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

export function addQueueCommands(program: Command): void {
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

  addWorkerCommand(program, redisOption, nameOption);
}

/** `worker`: processes queued documents until stopped (SIGTERM finishes the jobs in hand first). */
function addWorkerCommand(program: Command, redisOption: () => Option, nameOption: () => Option): void {
  program
    .command('worker')
    .description('process queued documents until stopped (SIGTERM finishes the current jobs first)')
    .addOption(redisOption())
    .addOption(nameOption())
    .option(
      '-j, --concurrency <n>',
      'worker threads at most (default: one per core, started as work comes)',
      wholeNumber(0),
    )
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
          fixedYoungGeneration: fixedYoungGeneration(flags.concurrency),
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
