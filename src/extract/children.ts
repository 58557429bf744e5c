/**
 * The files inside a container (an archive's entries, a .msg's attachments) go back through detection
 * and the runtime's readers, as files and attachments do, to any depth within the limits: containers
 * opened at most `maxMimeDepth` deep (the limit of messages in messages) and one budget of unpacked
 * bytes for the whole document. Origins say the way in (`Счета/Счёт.pdf › page 1`), and a child that is not read
 * leaves a `PART_SKIPPED` warning naming it and why.
 */
import { ExtractionError, isExtractionError } from '../errors.js';
import type { Settled } from '../options.js';
import { readPart } from './cache.js';
import { detectKind } from './detect.js';
import type { Part, Runtime } from './runtime.js';
import type { DocumentKind, ExtractedBlocks, TextBlock } from './types.js';
import { visited } from './visits.js';

export const SEP = ' › ';

/** Kinds a container's child is never read as, and why. */
const NOT_READ: Partial<Record<DocumentKind, string>> = {
  unknown: 'not a kind this library reads',
  mbox: 'a mailbox inside a container is not read',
};

/**
 * Where a block of a child was: the child itself for a reader that gives the whole file as one block
 * (text, HTML, an image's OCR, an office document), else the reader's place in it (`… › page 2`).
 */
export function childOrigin(label: string, block: TextBlock): TextBlock {
  if (block.origin === 'text') return { ...block, origin: label, plain: true };
  if (block.origin === 'html' || block.origin === 'document' || block.origin === 'workbook')
    return { ...block, origin: label };
  if (block.origin === 'image (OCR)') return { ...block, origin: `${label} (OCR)` };
  return { ...block, origin: `${label}${SEP}${block.origin}` };
}

/**
 * Called by a container's reader before it opens `part`: a container nested `maxMimeDepth` deep is not
 * opened (ARCHIVE_LIMIT, which the reader of its parent turns into a warning naming it).
 */
export function checkDepth(part: Part, options: Settled): void {
  if ((part.depth ?? 0) >= options.maxMimeDepth)
    throw new ExtractionError(
      'ARCHIVE_LIMIT',
      part.name,
      `not opened: nested in ${part.depth} containers already (maxMimeDepth ${options.maxMimeDepth})`,
    );
}

/** Reads one child of `parent` (named `label` in origins) with the reader of its kind. */
export async function readChild(
  runtime: Runtime,
  parent: Part,
  child: { bytes: Uint8Array; label: string },
  options: Settled,
  /** Pictures are read (with OCR) only in files and archives; in mail they are logos as often as not. */
  pictures = true,
): Promise<ExtractedBlocks> {
  const name = `${parent.name}${SEP}${child.label}`;
  const depth = (parent.depth ?? 0) + 1;
  const kind = detectKind(child.bytes, child.label);
  const reader = runtime.readers[kind];
  const why =
    NOT_READ[kind] ??
    (!reader
      ? `${kind} files are not read here`
      : kind === 'image' && !pictures && options.ocr !== 'force'
        ? 'a picture: pictures in mail are read with OCR under --ocr force'
        : undefined);
  if (why !== undefined || !reader) {
    visited(options, { path: name, type: kind, read: false, why: why ?? `${kind} files are not read here` });
    return { blocks: [], warnings: [{ code: 'PART_SKIPPED', message: `${name}: not read (${why})` }] };
  }
  visited(options, { path: name, type: kind, read: true });
  const part: Part = {
    bytes: child.bytes,
    name,
    depth,
    budget: parent.budget ?? { bytes: options.maxBytes },
    ...(parent.within ? { within: parent.within } : {}),
  };
  try {
    const read = await readPart(kind, reader, part, options, runtime);
    return { blocks: read.blocks.map((b) => childOrigin(child.label, b)), warnings: read.warnings };
  } catch (error) {
    if (isExtractionError(error) && error.code === 'ARCHIVE_LIMIT')
      return { blocks: [], warnings: [{ code: 'ARCHIVE_LIMIT', message: error.message }] };
    const message = isExtractionError(error)
      ? `${error.code}: ${error.message}`
      : `${name}: ${(error as Error).message}`;
    return { blocks: [], warnings: [{ code: 'PART_SKIPPED', message: `not read (${message})` }] };
  }
}
