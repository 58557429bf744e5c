/**
 * Pictures in mail: a phone photo of a bill attached to a message, and HTML bills that draw the number as
 * an inline image (`<img src="cid:…">`) beside its text label. They are read with OCR under the rules of
 * scanned pages, but only where the rest of the message does not already give the account (most pictures
 * in mail are logos and banners, not worth a second of OCR each), the largest first, a few at most. An
 * inline picture's text goes back into the HTML where the picture stood, so its label still stands
 * beside it; every picture not read is named in a warning with the reason.
 */
import type { Settled } from '../../options.js';
import { childOrigin, SEP } from '../children.js';
import { htmlToText } from '../html.js';
import { locateBlocks } from '../pipeline.js';
import type { Runtime } from '../runtime.js';
import type { TextBlock, Warning } from '../types.js';
import { visited } from '../visits.js';

/** Pictures read with OCR per message at most (each within the document's deadline). */
const MAX_PICTURES = 4;

export interface Picture {
  label: string;
  contentType: string;
  content: Uint8Array;
  cid?: string | undefined;
}

/** Why the message's pictures are not read, or undefined when they are. */
function skipReason(blocks: readonly TextBlock[], options: Settled, runtime: Runtime): string | undefined {
  if (runtime.recognize === undefined || runtime.readers.image === undefined)
    return 'a picture, and this runtime has no OCR';
  if (options.ocr === 'off') return 'a picture, and OCR is off';
  if (options.ocr === 'force') return undefined;
  return locateBlocks(blocks, options).accounts.length > 0
    ? 'a picture, and the message gives its account in text'
    : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads the pictures of a message (its blocks so far decide whether they are needed): OCR text of an
 * inline picture replaces the picture in `html` (the html body block is made again), others become
 * blocks of their own.
 */
export async function readPictures(
  runtime: Runtime,
  pictures: readonly Picture[],
  html: string | undefined,
  blocks: TextBlock[],
  name: string,
  options: Settled,
  depth: number,
): Promise<Warning[]> {
  if (pictures.length === 0) return [];
  const skip = (p: Picture, why: string): Warning => ({
    code: 'PART_SKIPPED',
    message: `${name}${SEP}attachment ${p.label} (${p.contentType.split(';')[0]}): not read (${why})`,
  });
  const reason = skipReason(blocks, options, runtime);
  if (reason !== undefined) return pictures.map((p) => skip(p, reason));
  const ordered = [...pictures].sort((a, b) => b.content.length - a.content.length);
  const warnings = ordered.slice(MAX_PICTURES).map((p) => skip(p, `more than ${MAX_PICTURES} pictures in one message`));
  let page = html;
  for (const picture of ordered.slice(0, MAX_PICTURES)) {
    const part = { bytes: picture.content, name: `${name}${SEP}attachment ${picture.label}`, depth: depth + 1 };
    const type = `${picture.contentType.split(';')[0]}, image`;
    visited(options, { path: part.name, type, read: true, why: 'read with OCR' });
    const read = await runtime.readers.image!(part, options, runtime);
    warnings.push(...read.warnings);
    const text = read.blocks.map((b) => b.text).join('\n');
    const inline =
      picture.cid && page
        ? new RegExp(`<img\\b[^>]*\\bsrc\\s*=\\s*["']?cid:${escapeRegExp(picture.cid)}["'\\s>][^>]*>?`, 'gi')
        : undefined;
    if (inline && page && inline.test(page)) page = page.replace(inline, ` ${text.replace(/[<&]/g, ' ')} `);
    else blocks.push(...read.blocks.map((b) => childOrigin(`attachment ${picture.label}`, b)));
  }
  if (page !== html && page !== undefined) {
    const at = blocks.findIndex((b) => b.origin === 'html body');
    const block = { text: htmlToText(page), origin: 'html body (pictures read with OCR)' };
    if (at >= 0) blocks.splice(at, 1, block);
    else blocks.unshift(block);
  }
  return warnings;
}
