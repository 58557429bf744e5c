/**
 * A document read once per scan: the same bill forwarded, replied to and saved twice is read by pdf.js
 * once. The cache keeps a reader's *reading* (its text blocks and warnings, or the error it threw) by a
 * hash of the bytes, the kind and every option but the name, so each occurrence still gets its own
 * origins and records: blocks carry places inside the document (`page 2`) and the callers prefix them,
 * and the name in warning and error messages is put back for each occurrence.
 *
 * Only readers whose reading depends on nothing but the bytes, the options and the name are cached:
 * PDFs and pictures, the expensive ones. Containers are not (their children share a depth and a budget of
 * unpacked bytes with the document around them). Bounded by entries and by characters held (LRU); a
 * reading in flight is shared, so documents reading the same attachment at once wait for one read.
 */
import { ExtractionError } from '../errors.js';
import type { Settled } from '../options.js';
import type { Part, Reader, ReadingCache, Runtime } from './runtime.js';
import type { DocumentKind, ExtractedBlocks } from './types.js';

/** Kinds whose reading is a function of the bytes, the options and the name alone. */
const CACHED = new Set<DocumentKind>(['pdf', 'image']);

/** Stands for the document's name in a stored message. */
const NAME = '\u0000name\u0000';

/** What a reader gave, with the name taken out of its messages. */
type Stored =
  | { ok: true; read: ExtractedBlocks; size: number }
  | { ok: false; error: { name: string; code?: string; message: string }; size: number };

export interface ReadCacheLimits {
  /** Readings kept at most. */
  entries: number;
  /** Characters kept at most, counted as JSON (one to two bytes each). */
  chars: number;
}

/** A few hundred bills; at most some 8 MiB a thread, within the scan's memory budget. */
const DEFAULT_LIMITS: ReadCacheLimits = { entries: 128, chars: 4 * 1024 * 1024 };

export class ReadCache implements ReadingCache {
  private readonly entries = new Map<string, Promise<Stored | undefined>>();
  private readonly sizes = new Map<string, number>();
  private chars = 0;
  /** Readings given from the cache, and readings done; for tests and profiles. */
  hits = 0;
  misses = 0;

  constructor(
    /** A content hash of the bytes (hex): sha-1 on Node. */
    private readonly hash: (bytes: Uint8Array) => string,
    private readonly limits: ReadCacheLimits = DEFAULT_LIMITS,
  ) {}

  /** Reads `part` with `reader`, or gives the reading of the same bytes done before. */
  async read(kind: DocumentKind, reader: Reader, part: Part, options: Settled, runtime: Runtime) {
    if (!CACHED.has(kind) || part.name.length === 0) return reader(part, options, runtime);
    const key = `${kind}\0${this.hash(part.bytes)}\0${part.bytes.length}\0${optionsKey(options)}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, entry);
      const stored = await entry;
      if (stored) {
        this.hits++;
        return replay(stored, part.name);
      }
      // The first reading could not be stored: read again, as without a cache.
      return reader(part, options, runtime);
    }
    this.misses++;
    const reading = reader(part, options, runtime);
    entry = reading.then(
      (read) => store({ ok: true, read }, part.name),
      (error: unknown) => store({ ok: false, error: errorShape(error) }, part.name),
    );
    this.entries.set(key, entry);
    void entry.then((stored) => this.admit(key, stored));
    return reading;
  }

  /** Counts a finished reading against the bounds, dropping the least recently used past them. */
  private admit(key: string, stored: Stored | undefined): void {
    if (!this.entries.has(key)) return;
    if (!stored || stored.size > this.limits.chars) {
      this.entries.delete(key);
      return;
    }
    this.sizes.set(key, stored.size);
    this.chars += stored.size;
    for (const old of this.entries.keys()) {
      if (this.entries.size <= this.limits.entries && this.chars <= this.limits.chars) break;
      if (old === key) continue;
      if (!this.sizes.has(old)) continue; // in flight: its readers are waiting on it
      this.entries.delete(old);
      this.chars -= this.sizes.get(old)!;
      this.sizes.delete(old);
    }
  }
}

/**
 * Every option that may change a reading, except the name, which is put back into messages, and the
 * explain view's log of parts visited (the kinds cached here log none: their callers do).
 */
function optionsKey(options: Settled): string {
  const { filename: _name, visits: _visits, ...rest } = options;
  return JSON.stringify(rest);
}

function errorShape(error: unknown): { name: string; code?: string; message: string } {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message,
  };
}

/** The reading with its name made a placeholder; undefined when a message holds the placeholder already. */
function store(
  stored: { ok: true; read: ExtractedBlocks } | { ok: false; error: ReturnType<typeof errorShape> },
  name: string,
): Stored | undefined {
  const out = (message: string) => message.split(name).join(NAME);
  const messages = stored.ok ? stored.read.warnings.map((w) => w.message) : [stored.error.message];
  if (messages.some((m) => m.includes(NAME))) return undefined;
  if (!stored.ok) return { ok: false, error: { ...stored.error, message: out(stored.error.message) }, size: 64 };
  const read = structuredClone(stored.read);
  for (const w of read.warnings) w.message = out(w.message);
  // Its size as JSON: the text, and the layout's pairs and lines with it (counted once per document).
  return { ok: true, read, size: JSON.stringify(read).length };
}

/** One occurrence's copy of a stored reading, with its own name in the messages. */
function replay(stored: Stored, name: string): ExtractedBlocks {
  const back = (message: string) => message.split(NAME).join(name);
  if (!stored.ok) throw rebuild(stored.error, back(stored.error.message), name);
  const read = structuredClone(stored.read);
  for (const w of read.warnings) w.message = back(w.message);
  return read;
}

/** The error a reader threw, made again for one occurrence: a typed error keeps its class and code. */
function rebuild(error: { name: string; code?: string }, message: string, name: string): Error {
  if (error.name === 'ExtractionError' && error.code) {
    const rebuilt = new ExtractionError(error.code as ExtractionError['code'], name, '');
    rebuilt.message = message;
    return rebuilt;
  }
  return Object.assign(new Error(message), error.code ? { code: error.code } : {});
}

/** Reads `part` with the reader of `kind`, through the runtime's cache when it has one. */
export function readPart(kind: DocumentKind, reader: Reader, part: Part, options: Settled, runtime: Runtime) {
  return runtime.cache ? runtime.cache.read(kind, reader, part, options, runtime) : reader(part, options, runtime);
}
