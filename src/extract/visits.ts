/**
 * With `explain`: every part a document's readers visited (a MIME body, an attachment, an archive's
 * entry, a file in a .msg), its type, and whether it was read or why not. The answer to "did it even
 * look at my attachment?". Readers add to one log carried in the settled options (present only with
 * `explain`, so a normal scan records nothing); parts left out that only a warning names (an encrypted
 * entry, a picture not read, an archive over its limits) are added from the warnings at the end, so the
 * list holds every part the warnings speak of even where a reader has no call here.
 */
import type { Settled } from '../options.js';
import type { PartVisit, Warning } from './types.js';

export type { PartVisit } from './types.js';

/** Adds a visit to the document's log (nothing without `explain`). */
export function visited(options: Settled, visit: PartVisit): void {
  options.visits?.push(visit);
}

/** Warnings that name one part not read: `<document> › <path>…: not read (<why>)` and the like. */
const PART_WARNINGS = new Set(['PART_SKIPPED', 'ARCHIVE_LIMIT', 'ATTACHMENT_UNREADABLE', 'MIME_TOO_DEEP', 'OCR_OFF']);

/**
 * The log made relative to the document (paths without its name), with a skipped visit for each part a
 * warning names that no reader recorded, and a part a warning says failed marked as not read.
 */
export function partsVisited(name: string, visits: readonly PartVisit[], warnings: readonly Warning[]): PartVisit[] {
  const relative = (path: string) => (path.startsWith(`${name} › `) ? path.slice(name.length + 3) : path);
  const parts = visits.map((v) => ({ ...v, path: relative(v.path) }));
  const known = new Map(parts.map((p) => [p.path, p]));
  for (const w of warnings) {
    if (!PART_WARNINGS.has(w.code)) continue;
    // `<path> (<type>): not read (…)`, `not read (<CODE>: <path>: …)`, `attachment could not be read (…)`.
    const wrapped = /^(?:attachment could not be read|not read) \(([A-Z_]+: )?/.exec(w.message);
    const message = wrapped ? w.message.slice(wrapped[0].length).replace(/\)$/, '') : w.message;
    const [head = '', path = message, type = ''] = /^(.*?)(?: \(([\w.+-]+\/[\w.+-]+)\))?: /.exec(message) ?? [];
    const at = relative(path);
    if (at === name) continue; // the document itself (a picture file with OCR off), no part of it
    const why = `${w.code}: ${wrapped?.[1] ?? ''}${message.slice(head.length) || w.message}`;
    const seen = known.get(at);
    if (seen) {
      // A part a reader began (logged as read) and then failed on: not read after all.
      if (seen.read) Object.assign(seen, { read: false, why });
      continue;
    }
    const visit = { path: at, type, read: false, why };
    known.set(at, visit);
    parts.push(visit);
  }
  return parts;
}
