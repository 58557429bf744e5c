/**
 * Output formats and files. Records are journalled as NDJSON while the scan runs (`FILE.partial`), so
 * an interrupted scan can resume where it stopped; the finished file appears under its name only at
 * the end, in one rename, in the format asked for.
 */
import { createReadStream, createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm, truncate } from 'node:fs/promises';
import { type ScanRecord, STORED_LINE, type StoredRun } from '../scan/scan.js';
import { checkOutputFolder, guarded, OutputError } from './io-errors.js';
import type { TableBuilder, TableOptions } from './table.js';

export type Format = 'ndjson' | 'json' | 'csv' | 'table';
export const FORMATS: readonly Format[] = ['ndjson', 'json', 'csv', 'table'];

/** A person at a terminal gets the table; a pipe, a redirect or `--out` gets NDJSON, one record per line. */
export function defaultFormat(out: { isTTY?: boolean }, toFile: boolean): Format {
  return out.isTTY === true && !toFile ? 'table' : 'ndjson';
}

/** What a stream says of itself when it is a terminal (`tty.WriteStream`). */
type Terminal = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; hasColors?: () => boolean };

/**
 * The table's width and colours for a stream: `COLUMNS` if set (as `shutil.get_terminal_size` and many tools
 * do), else the terminal's width, else no limit. Colours follow Node's rules: `FORCE_COLOR` (not `0`/`false`)
 * turns them on even into a pipe; otherwise `NO_COLOR`, `TERM=dumb` or a non-terminal turns them off.
 */
export function tableOptions(out: Terminal, env = process.env): TableOptions {
  const columns = Number(env.COLUMNS);
  const tty = out.isTTY === true;
  const terminal = tty && out.columns ? out.columns : Number.POSITIVE_INFINITY;
  const width = Number.isInteger(columns) && columns > 0 ? columns : terminal;
  const force = env.FORCE_COLOR;
  const colourTerminal = tty && !env.NO_COLOR && (out.hasColors?.() ?? false);
  return { width, color: force !== undefined ? force !== '0' && force !== 'false' : colourTerminal };
}

const CSV_COLUMNS = [
  'source',
  'index',
  'messageId',
  'origin',
  'label',
  'number',
  'raw',
  'confidence',
  'contractNumbers',
] as const;

/** RFC 4180: quote a field when it holds a comma, a quote or a line break; double inner quotes. */
export function csvField(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRows(record: ScanRecord): string {
  const contracts = record.contractNumbers.map((c) => c.number).join('; ');
  return record.accounts
    .map(
      (a) =>
        `${[record.source, record.index, record.messageId, a.origin, a.label, a.number, a.raw, a.confidence, contracts]
          .map(csvField)
          .join(',')}\r\n`,
    )
    .join('');
}

/** Text gathered before one write: a scan from its state gives thousands of records in one go. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes records in one format to a stream, with backpressure. Records are gathered into writes of
 * about `FLUSH_AT` characters (a write of its own per record cost a scan from its state more than
 * everything else it did); what is gathered goes out when the records stop coming for a moment
 * (`setImmediate`), so a reader of the output sees each record as soon as before.
 */
export class RecordWriter {
  private count = 0;
  /** `--format table`: rows gathered until the end, when the widths are known. */
  private table: TableBuilder | undefined;
  private pending = '';
  private scheduled: NodeJS.Immediate | undefined;
  /** A failure of a write made when records paused, for the next call to throw. */
  private deferred: unknown;
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: Format,
    private readonly bom = false,
    /** Throws the output's first failure, if it had one (a stream reports an error only once). */
    private readonly check: () => void = () => undefined,
  ) {}

  private async write(text: string): Promise<void> {
    if (text === '') return;
    this.check();
    this.pending += text;
    if (this.pending.length >= FLUSH_AT || (this.out as { writableNeedDrain?: boolean }).writableNeedDrain)
      await this.flush();
    else
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.flush().catch((error: unknown) => {
          this.deferred ??= error;
        });
      });
  }

  /** Writes out what is gathered; a journal's close and an interrupted scan call it before they end. */
  async flush(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.deferred) throw this.deferred;
    const text = this.pending;
    this.pending = '';
    if (text === '') return;
    this.check();
    if (!this.out.write(text))
      await drained(this.out).catch((error: unknown) => {
        this.check(); // a journal's failure, named (see Journal)
        throw error;
      });
    this.check();
  }

  async start(): Promise<void> {
    // string-width and its tables load only for a table (a scan's start is most of a scan from its state).
    if (this.format === 'table') this.table = new (await import('./table.js')).TableBuilder();
    if (this.format === 'csv') await this.write(`${(this.bom ? '\uFEFF' : '') + CSV_COLUMNS.join(',')}\r\n`);
    if (this.format === 'json') await this.write('[');
  }

  async record(record: ScanRecord): Promise<void> {
    const n = this.count++;
    // A record from the scan's state comes with its JSON (the same bytes `JSON.stringify` would give).
    const json = () => (record as { [STORED_LINE]?: string })[STORED_LINE] ?? JSON.stringify(record);
    if (this.format === 'ndjson') await this.write(`${json()}\n`);
    else if (this.format === 'json') await this.write((n === 0 ? '\n' : ',\n') + json());
    else if (this.format === 'table') {
      if (!this.table) throw new Error('RecordWriter: start() before the first record of a table');
      this.table.add(record);
    } else await this.write(csvRows(record));
  }

  /**
   * A run of records from the scan's state: in NDJSON its bytes are the output as it stands, written
   * without a record being made of them; other formats are given its records.
   */
  async run(run: StoredRun): Promise<void> {
    if (this.format !== 'ndjson') {
      for (const record of run.records()) await this.record(record);
      return;
    }
    await this.flush();
    this.count += run.count;
    this.check();
    // Until the stream has written them: the run's buffer is read into again once it is released.
    await written(this.out, run.bytes).catch((error: unknown) => {
      this.check();
      throw error;
    });
    this.check();
  }

  async end(): Promise<void> {
    if (this.format === 'json') await this.write(this.count === 0 ? ']\n' : '\n]\n');
    if (this.table) await this.write(this.table.render(tableOptions(this.out)));
    await this.flush();
  }
}

/** A document's identity in the journal; a name kept as escaped bytes never equals a UTF-8 name. */
export function recordKey(source: string, index: number | undefined, encoding?: string): string {
  return `${encoding === 'bytes' ? 'b' : 't'}${source}\0${index ?? ''}`;
}

/**
 * The records an interrupted run already journalled. A record counts only when its line feed is there:
 * whatever follows the last line feed (a record a SIGKILL or a full disk tore, even one that lost only
 * its line feed) is cut off before anything is appended, and so is everything from a line that does not
 * parse. `errors` counts the journalled records' errors by code, for the summary.
 */
export async function readJournal(path: string): Promise<{ keys: Set<string>; errors: Map<string, number> }> {
  const keys = new Set<string>();
  const errors = new Map<string, number>();
  if (!existsSync(path)) return { keys, errors };
  let good = 0;
  let offset = 0;
  let pending: Buffer[] = [];
  const take = (line: Buffer): boolean => {
    try {
      const record = JSON.parse(line.toString('utf8')) as ScanRecord;
      keys.add(recordKey(record.source, record.index, record.sourceEncoding));
      if (record.error) errors.set(record.error.code, (errors.get(record.error.code) ?? 0) + 1);
      return true;
    } catch {
      return false;
    }
  };
  reading: for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const line = pending.length ? Buffer.concat([...pending, chunk.subarray(from, nl)]) : chunk.subarray(from, nl);
      pending = [];
      if (!take(line)) break reading; // a line the interruption tore; it and everything after is rewritten
      offset += line.length + 1;
      good = offset;
      from = nl + 1;
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
  }
  if (good < statSync(path).size) await guarded(path, 'repair', () => truncate(path, good), undefined);
  return { keys, errors };
}

/** Resolves on 'drain', rejects on 'error', whichever comes first. */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
      out.off('drain', done);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    out.once('drain', done);
    out.once('error', done);
  });
}

/** Resolves when the stream has written `bytes` (its write callback), rejects with the write's failure. */
function written(out: NodeJS.WritableStream, bytes: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    out.write(bytes, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** Ends a file stream; its last write's or its close's failure rejects. */
function ended(stream: WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => reject(error);
    stream.once('error', fail);
    stream.end((error?: Error | null) => {
      stream.off('error', fail);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Flushes a file to the disk, so that the rename that follows publishes complete bytes. */
async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The journal of a scan into `out`: NDJSON, appended record by record. Every failure to open, write,
 * flush or rename it is an `OutputError` naming the file and the cause (see io-errors.ts).
 */
export class Journal {
  readonly path: string;
  private stream: WriteStream | undefined;
  /** The first write error: the stream reports it once, every later record must see it. */
  private failure: unknown;
  readonly writer: RecordWriter;

  private constructor(
    readonly out: string,
    handle: FileHandle,
  ) {
    this.path = `${out}.partial`;
    const stream = createWriteStream(this.path, { fd: handle, flags: 'a' });
    // Without a listener an 'error' event is an uncaught exception: keep it for the next record.
    stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.stream = stream;
    this.writer = new RecordWriter(stream, 'ndjson', false, () => this.check());
  }

  /** Opens (or continues) the journal of `out`, checking its folder first. */
  /** `fresh`: an interrupted run's journal is started over, not continued. */
  static async open(out: string, fresh = false): Promise<Journal> {
    await checkOutputFolder(out);
    const path = `${out}.partial`;
    const handle = await guarded(path, 'open', () => open(path, fresh ? 'w' : 'a'));
    return new Journal(out, handle);
  }

  private check(): void {
    if (this.failure)
      throw new OutputError(this.path, 'write', this.failure, existsSync(this.path) ? this.out : undefined);
  }

  async close(): Promise<void> {
    await this.writer.flush();
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await guarded(this.path, 'write', () => ended(stream), this.out);
    this.check();
  }

  /** Renders the journal into the final format and moves it into place in one rename. */
  async finish(format: Format, bom: boolean): Promise<void> {
    await this.close();
    if (format === 'ndjson') {
      await guarded(this.path, 'flush', () => fsyncFile(this.path), this.out);
      await guarded(this.out, 'rename the journal to', () => rename(this.path, this.out), this.out);
      return;
    }
    const tmp = `${this.out}.tmp-${process.pid}`;
    try {
      await guarded(
        tmp,
        'write',
        async () => {
          const file = createWriteStream(tmp);
          const writer = new RecordWriter(file, format, bom);
          await writer.start();
          // readline loads only here: NDJSON, the default, is renamed as it is.
          const { createInterface } = await import('node:readline');
          for await (const line of createInterface({ input: createReadStream(this.path), crlfDelay: Infinity })) {
            if (line) await writer.record(JSON.parse(line) as ScanRecord);
          }
          await writer.end();
          await ended(file);
          await fsyncFile(tmp);
        },
        this.out,
      );
      await guarded(this.out, 'rename into', () => rename(tmp, this.out), this.out);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw error;
    }
    await rm(this.path, { force: true });
  }
}
