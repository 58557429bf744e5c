/**
 * Output formats and files. Records are journalled as NDJSON while the scan runs (`FILE.partial`), so
 * an interrupted scan can resume where it stopped; the finished file appears under its name only at
 * the end, in one rename, in the format asked for.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ScanRecord } from '../scan/scan.js';
import { TableBuilder, type TableOptions } from './table.js';

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

/** Writes records in one format to a stream, with backpressure. */
export class RecordWriter {
  private count = 0;
  /** `--format table`: rows gathered until the end, when the widths are known. */
  private readonly table: TableBuilder | undefined;
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: Format,
    private readonly bom = false,
  ) {
    if (format === 'table') this.table = new TableBuilder();
  }

  private async write(text: string): Promise<void> {
    if (text === '') return;
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async start(): Promise<void> {
    if (this.format === 'csv') await this.write(`${(this.bom ? '\uFEFF' : '') + CSV_COLUMNS.join(',')}\r\n`);
    if (this.format === 'json') await this.write('[');
  }

  async record(record: ScanRecord): Promise<void> {
    const n = this.count++;
    if (this.format === 'ndjson') await this.write(`${JSON.stringify(record)}\n`);
    else if (this.format === 'json') await this.write((n === 0 ? '\n' : ',\n') + JSON.stringify(record));
    else if (this.table) this.table.add(record);
    else await this.write(csvRows(record));
  }

  async end(): Promise<void> {
    if (this.format === 'json') await this.write(this.count === 0 ? ']\n' : '\n]\n');
    if (this.table) await this.write(this.table.render(tableOptions(this.out)));
  }
}

export function recordKey(source: string, index: number | undefined): string {
  return `${source}\0${index ?? ''}`;
}

/** The records an interrupted run already journalled; a torn last line is cut off. */
export async function readJournal(path: string): Promise<{ keys: Set<string>; errors: number }> {
  const keys = new Set<string>();
  let errors = 0;
  let good = 0;
  let offset = 0;
  try {
    await stat(path);
  } catch {
    return { keys, errors };
  }
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const size = (await stat(path)).size;
  for await (const line of lines) {
    offset += Buffer.byteLength(line) + 1;
    try {
      const record = JSON.parse(line) as ScanRecord;
      keys.add(recordKey(record.source, record.index));
      if (record.error) errors++;
      good = Math.min(offset, size);
    } catch {
      break; // the line the interruption tore; everything after it is rewritten
    }
  }
  await truncate(path, good);
  return { keys, errors };
}

/** The journal of a scan into `out`: NDJSON, appended and flushed record by record. */
export class Journal {
  readonly path: string;
  private stream: WriteStream | undefined;
  readonly writer: RecordWriter;

  constructor(readonly out: string) {
    this.path = `${out}.partial`;
    this.stream = createWriteStream(this.path, { flags: 'a' });
    this.writer = new RecordWriter(this.stream, 'ndjson');
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream)
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }

  /** Renders the journal into the final format and moves it into place in one rename. */
  async finish(format: Format, bom: boolean): Promise<void> {
    await this.close();
    if (format === 'ndjson') {
      await rename(this.path, this.out);
      return;
    }
    const tmp = `${this.out}.tmp-${process.pid}`;
    const file = createWriteStream(tmp);
    const writer = new RecordWriter(file, format, bom);
    await writer.start();
    for await (const line of createInterface({ input: createReadStream(this.path), crlfDelay: Infinity })) {
      if (line) await writer.record(JSON.parse(line) as ScanRecord);
    }
    await writer.end();
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const handle = await open(tmp, 'r+');
    await handle.sync();
    await handle.close();
    await rename(tmp, this.out);
    await rm(this.path, { force: true });
  }
}
