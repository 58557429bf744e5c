/**
 * `scan(paths, { state: DIR })`: a scan that remembers. Each file's records are kept with its identity
 * (identity.ts) in DIR; the next scan with the same options takes the records of every file that is
 * still the same from there, reads a mailbox that only grew from where it ended (numbering its new
 * messages on), and reads everything else. The output is the same as a full scan's; only the work is not.
 */
import type { Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { DocumentKind } from '../../extract/index.js';
import type { Settled } from '../../options.js';
import { VERSION } from '../../version.js';
import type { FsPath } from '../open.js';
import type { ScanOptions, ScanRecord, Unit } from '../types.js';
import { type Identity, identify, onlyGrew, sameFile } from './identity.js';
import { entryRuns, loadState, RunBuffers } from './load.js';
import type { Plan, StateNotice, StateStats } from './plan.js';
import { StoredRun } from './run.js';
import {
  type Entry,
  FORMAT,
  type Header,
  newSalt,
  OTHER_FORMAT,
  optionHashes,
  removeStale,
  StateWriter,
} from './store.js';

/** Errors and warnings that another read of the same bytes may not give: such a file is not remembered. */
const PASSING_ERRORS = new Set(['READ_FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'WORKER_FAILED']);
const PASSING_WARNINGS = new Set(['FILE_CHANGED', 'OCR_UNAVAILABLE']);

function passing(record: ScanRecord): boolean {
  return (
    (record.error != null && PASSING_ERRORS.has(record.error.code)) ||
    record.warnings.some((w) => PASSING_WARNINGS.has(w.code))
  );
}

const MiB = 1024 * 1024;
/** A pool thread for each this much to read, in a scan with a state (see `threadsFor`). */
const BYTES_PER_THREAD = 16 * MiB;
const mib = (bytes: number) =>
  bytes < MiB / 10 && bytes > 0 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`;

/** A file's key in the state: its name, and whether that is UTF-8 or escaped bytes. */
const keyOf = (source: string, encoding: 'bytes' | undefined) => `${encoding === 'bytes' ? 'b' : 't'}${source}`;

/** The values a state is valid for: every settled option but the name, and the scan's own that change records. */
function recordOptions(settled: Settled, options: ScanOptions): Record<string, unknown> {
  const { filename: _f, ...rest } = settled;
  return {
    ...rest,
    redact: options.redact === true,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    shard: options.shard ?? null,
  };
}

export type { StateNotice, StateStats } from './plan.js';

export class ScanState {
  readonly stats: StateStats = {
    filesFromState: 0,
    bytesFromState: 0,
    grown: 0,
    grownFromState: 0,
    grownRead: 0,
    filesRead: 0,
    bytesRead: 0,
  };
  /** Which file each record, or run of records from the old state, belongs to. */
  private readonly tags = new WeakMap<ScanRecord | StoredRun, Plan>();
  private current: Plan | undefined;
  private spoiled = false;
  /** The old state's files in its order: while this scan meets them in that order, unchanged, nothing is written. */
  private readonly order: Entry[];
  /** How many of `order` this scan met so far, in order and unchanged. */
  private same = 0;
  /** The current file is `order[same - 1]`, taken as it is: its lines are the old state's. */
  private following = false;
  /** Something differs: the new state is written (what was the same, copied from the old). */
  private diverged = false;
  private readonly kept = new Set<string>();
  /** What runs of records are read into, each buffer again once its run is released. */
  private readonly buffers = new RunBuffers();
  /**
   * Called when a file is to be read (changed, new, or a mailbox that grew): the scan starts its pool
   * then, so the threads load while the records from the state go out, not after them.
   */
  onRead: (() => void) | undefined;

  private constructor(
    private readonly dir: string,
    private readonly entries: Map<string, Entry>,
    private readonly writer: StateWriter,
  ) {
    this.order = [...entries.values()];
  }

  /** Opens DIR's state for a scan with these options; an old state that does not fit is said and not used. */
  static async open(
    dir: string,
    settled: Settled,
    options: ScanOptions,
    notice: (notice: StateNotice) => void,
  ): Promise<ScanState> {
    await mkdir(dir, { recursive: true });
    await removeStale(dir);
    const values = recordOptions(settled, options);
    const loaded = await loadState(dir);
    let entries = new Map<string, Entry>();
    const ignored = (why: string) =>
      notice({ kind: 'ignored', message: `state: ${why}; a full scan, and the state is written anew` });
    if (loaded && 'problem' in loaded)
      ignored(
        loaded.problem === OTHER_FORMAT
          ? `the state file in ${dir} was written by another version, in another form`
          : `the state file in ${dir} is damaged (${loaded.problem})`,
      );
    else if (loaded) {
      const { header } = loaded;
      const now = optionHashes(values, header.salt);
      const changed = Object.keys(now).filter((k) => now[k] !== header.options?.[k]);
      if (header.version !== VERSION) ignored(`it was made by version ${header.version}, this is ${VERSION}`);
      else if (changed.length > 0) ignored(`it was made with other options (${changed.join(', ')})`);
      else entries = loaded.entries;
    }
    const salt = newSalt();
    const header: Header = {
      rostelecomAccountState: FORMAT,
      version: VERSION,
      salt,
      options: optionHashes(values, salt),
    };
    return new ScanState(dir, entries, await StateWriter.create(dir, header));
  }

  /**
   * A file the state knows: its identity now, and its plan when that is unchanged (its records are
   * taken from the state, and the file is not even sniffed). A file the state does not know: nothing.
   */
  async known(
    source: string,
    encoding: 'bytes' | undefined,
    path: FsPath,
    info: Stats,
  ): Promise<{ identity?: Identity; plan?: Plan }> {
    const key = keyOf(source, encoding);
    const entry = this.entries.get(key);
    if (!entry) return {};
    const identity = await identify(path, info);
    if (!sameFile(entry.identity, identity)) return { identity };
    this.stats.filesFromState++;
    this.stats.bytesFromState += info.size;
    const plan = { key, identity, reuse: entry, ...(entry.mailbox ? { isMailbox: true, mailbox: entry.mailbox } : {}) };
    return { identity, plan };
  }

  /**
   * What to do with a file whose records the state does not hold as they are (see `known`, whose
   * `identity` it takes): read a mailbox that only grew on from where it ended, or read it.
   */
  async plan(
    source: string,
    encoding: 'bytes' | undefined,
    path: FsPath,
    info: Stats,
    guess: DocumentKind,
    known?: Identity,
  ): Promise<Plan> {
    const key = keyOf(source, encoding);
    const identity = known ?? (await identify(path, info));
    const entry = this.entries.get(key);
    if (entry?.mailbox && guess === 'mbox' && (await onlyGrew(path, info, entry.identity, entry.mailbox))) {
      this.stats.grown++;
      this.stats.grownFromState += entry.mailbox.end;
      this.stats.grownRead += info.size - entry.mailbox.end;
      this.onRead?.();
      return { key, identity, grown: entry };
    }
    this.stats.filesRead++;
    this.stats.bytesRead += info.size;
    this.onRead?.();
    return { key, identity };
  }

  /** The records the state holds for a file, in runs of their lines as written. */
  stored(entry: Entry): AsyncGenerator<StoredRun> {
    return entryRuns(this.dir, entry, this.buffers);
  }

  /** Tags a batch's records and runs with their units' files: each unit gave one of them. */
  tag(batch: readonly Unit[], items: Array<ScanRecord | StoredRun>): Array<ScanRecord | StoredRun> {
    batch.forEach((unit, i) => {
      if (unit.plan) this.tags.set(items[i]!, unit.plan);
    });
    return items;
  }

  /**
   * A record, or a run of them from the old state, as the scan yields it, in order: kept under its
   * file's plan (records of no plan are not kept).
   */
  async add(item: ScanRecord | StoredRun): Promise<void> {
    const plan = this.tags.get(item);
    if (!plan) return;
    if (plan !== this.current) {
      this.endFile();
      this.current = plan;
      this.spoiled = this.kept.has(plan.key); // a file named twice is kept once
      if (!this.diverged && !this.spoiled && plan.reuse && plan.reuse === this.order[this.same]) {
        this.same++;
        this.following = true;
      } else if (!this.diverged) await this.diverge();
    }
    if (this.spoiled || this.following) return;
    if (item instanceof StoredRun) await this.writer.run(item);
    else if (passing(item)) this.spoiled = true;
    else await this.writer.record(item, JSON.stringify(item));
  }

  /** From here the new state differs from the old: what was the same so far is copied from it. */
  private async diverge(): Promise<void> {
    this.diverged = true;
    const first = this.order[0];
    const last = this.order[this.same - 1];
    if (first && last) await this.writer.copy(this.dir, first.offset, last.end, this.same);
  }

  private endFile(): void {
    const plan = this.current;
    if (!plan) return;
    this.current = undefined;
    if (this.following) {
      this.following = false;
      this.kept.add(plan.key);
      return;
    }
    // A mailbox is kept only when all its messages were found (`mailbox` is set after the last one).
    const keep = !this.spoiled && (!plan.isMailbox || plan.mailbox !== undefined);
    if (keep) this.kept.add(plan.key);
    this.writer.endFile(
      keep ? { key: plan.key, identity: plan.identity, ...(plan.mailbox ? { mailbox: plan.mailbox } : {}) } : undefined,
    );
  }

  /**
   * How many pool threads the work seen so far is worth: a scan that takes most of its records from
   * the state reads little (a month of mail), and each thread costs about a second of loading and
   * warming up before it reads as fast as a long scan does. From a state with nothing in it (the
   * first scan, or options that changed), as many as asked.
   */
  threadsFor(most: number): number {
    if (this.order.length === 0) return most;
    const bytes = this.stats.bytesRead + this.stats.grownRead;
    return Math.max(1, Math.min(most, Math.ceil(bytes / BYTES_PER_THREAD)));
  }

  /** The scan reached its end: the new state replaces the old (unless nothing differs: then it stays). */
  async commit(): Promise<StateStats> {
    this.endFile();
    if (!this.diverged && this.same === this.order.length && this.order.length > 0) await this.writer.abandon();
    else {
      if (!this.diverged) await this.diverge();
      await this.writer.commit();
    }
    return this.stats;
  }

  async abandon(): Promise<void> {
    await this.writer.abandon();
  }

  /** The stderr line of a finished scan: counts and sizes, never a number from a document. */
  static summary(s: StateStats): string {
    const grown =
      s.grown > 0
        ? `, ${s.grown} mailbox${s.grown > 1 ? 'es' : ''} read on from where ${s.grown > 1 ? 'they' : 'it'} ended (${mib(s.grownFromState)} from state, ${mib(s.grownRead)} new)`
        : '';
    return `state: ${s.filesFromState} files from state (${mib(s.bytesFromState)})${grown}, ${s.filesRead} read (${mib(s.bytesRead)})`;
  }
}
