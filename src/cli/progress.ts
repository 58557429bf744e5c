/**
 * The progress bar (cli-progress) on a terminal, and the summary every scan ends with. Neither ever
 * shows an account number: they go to stderr, which ends up in logs.
 */
import type cliProgress from 'cli-progress';
import type { ScanProgress, ScanRecord, StoredRun } from '../scan/scan.js';

const MiB = 1024 * 1024;

export class Progress {
  private readonly bar: cliProgress.SingleBar;
  private started = false;
  private readonly t0 = Date.now();

  /** A bar for a scan of `totalBytes`; cli-progress is loaded only by a scan that shows one (on a terminal). */
  static async create(totalBytes: number): Promise<Progress> {
    return new Progress(totalBytes, (await import('cli-progress')).default);
  }

  private constructor(
    private readonly totalBytes: number,
    bars: typeof cliProgress,
  ) {
    this.bar = new bars.SingleBar(
      {
        format:
          ' {bar} {percentage}% | {documents} documents | {messages} messages | {accounts} accounts | {speed} MiB/s | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 5,
      },
      bars.Presets.shades_classic,
    );
  }

  update(p: ScanProgress): void {
    const speed = (p.bytes / MiB / Math.max(0.001, (Date.now() - this.t0) / 1000)).toFixed(1);
    const payload = { documents: p.documents, messages: p.messages, accounts: p.accounts, speed };
    if (!this.started) {
      this.bar.start(Math.max(1, this.totalBytes), 0, payload);
      this.started = true;
    }
    this.bar.update(Math.min(p.bytes, this.totalBytes), payload);
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}

export class Summary {
  documents = 0;
  messages = 0;
  accounts = 0;
  contracts = 0;
  bytes = 0;
  readonly errors = new Map<string, number>();
  private readonly t0 = Date.now();

  add(record: ScanRecord): void {
    this.documents++;
    if (record.index !== undefined) this.messages++;
    this.accounts += record.accounts.length;
    this.contracts += record.contractNumbers.length;
    if (record.error) this.errors.set(record.error.code, (this.errors.get(record.error.code) ?? 0) + 1);
  }

  /** A run of records from the scan's state: its file's counts come with its last run. */
  addRun(run: StoredRun): void {
    this.documents += run.count;
    if (!run.tally) return;
    this.messages += run.tally.messages;
    this.accounts += run.tally.accounts;
    this.contracts += run.tally.contracts;
    for (const [code, n] of Object.entries(run.tally.errors)) this.errors.set(code, (this.errors.get(code) ?? 0) + n);
  }

  /** The errors of the records an interrupted run already wrote (`--resume`): they count as this run's. */
  addResumed(errors: ReadonlyMap<string, number>): void {
    for (const [code, n] of errors) this.errors.set(code, (this.errors.get(code) ?? 0) + n);
  }

  get errorCount(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }

  text(resumed: number): string {
    const seconds = (Date.now() - this.t0) / 1000;
    const errors =
      this.errorCount === 0
        ? 'no errors'
        : `${this.errorCount} error${this.errorCount > 1 ? 's' : ''} (${[...this.errors].map(([c, n]) => `${c} ${n}`).join(', ')})`;
    const rate = `${(this.bytes / MiB / Math.max(seconds, 0.001)).toFixed(1)} MiB/s, ${(this.documents / Math.max(seconds, 0.001)).toFixed(0)} documents/s`;
    return (
      `rostelecom-account: ${this.documents} documents${this.messages ? ` (${this.messages} mailbox messages)` : ''}, ` +
      `${this.accounts} accounts, ${this.contracts} contract numbers, ${errors}; ${seconds.toFixed(1)} s, ${rate}` +
      (resumed ? `; ${resumed} documents were already done (resumed)` : '') +
      '\n'
    );
  }
}
