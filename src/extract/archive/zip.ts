/**
 * ZIP archives, read in memory with fflate: a bill mailed as `bills.zip`, a folder zipped by Windows'
 * own zipper, and the containers of .docx and .xlsx. Nothing is written to disk and an entry's name is
 * only ever a label, never a path. Limits are checked on the central directory before a byte is
 * inflated, and fflate inflates each entry into a buffer of its declared size, so an entry that lies
 * about its size comes out cut, never larger: a zip bomb costs at most the limits.
 */

import { type UnzipFileInfo, unzipSync } from 'fflate';
import { ExtractionError } from '../../errors.js';

export interface ArchiveLimits {
  /** Entries (files and folders) an archive may list; default 1 000. */
  maxEntries: number;
  /** Bytes all of its files may unpack to; default 256 MiB. */
  maxUnpackedBytes: number;
  /** How many times larger than its packed bytes one file may unpack; default 200 (text packs ~10×). */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 1000,
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxRatio: 200,
};

export interface ArchiveEntry {
  /** The entry's name inside the archive, folders included (`Счета/ноябрь.pdf`). */
  name: string;
  bytes: Uint8Array;
}

export interface ArchiveContents {
  entries: ArchiveEntry[];
  /** Entries listed but not unpacked, and why (encrypted, an unknown compression, a broken stream). */
  skipped: Array<{ name: string; reason: string }>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp866 = new TextDecoder('ibm866');

/**
 * An entry's name as its maker meant it. Without the UTF-8 flag fflate gives the raw bytes as Latin-1;
 * Windows' zipper writes them in the OEM code page (cp866 for Russian) and macOS and 7-Zip write
 * UTF-8 without the flag, so valid UTF-8 is taken as such and anything else as cp866.
 */
export function entryName(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the same in every code page
  if (/^[\x00-\x7f]*$/.test(raw) || /[^\x00-\xff]/.test(raw)) return raw;
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  try {
    return utf8.decode(bytes);
  } catch {
    return cp866.decode(bytes);
  }
}

/** The general-purpose flags of each central-directory record, in order (bit 0: encrypted). */
function entryFlags(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return [];
  const count = view.getUint16(end + 10, true);
  const flags: number[] = [];
  for (let at = view.getUint32(end + 16, true), n = 0; n < count && at + 46 <= bytes.length; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    flags.push(view.getUint16(at + 8, true));
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return flags;
}

/** Lists an archive's entries (nothing inflated yet); a stream that is no ZIP throws ARCHIVE_INVALID. */
function list(bytes: Uint8Array, document: string): UnzipFileInfo[] {
  const infos: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (info) => {
        infos.push(info);
        return false;
      },
    });
  } catch (error) {
    throw new ExtractionError('ARCHIVE_INVALID', document, `not a readable ZIP archive (${(error as Error).message})`);
  }
  return infos;
}

/**
 * The files of a ZIP archive (folders left out), in the archive's order. Throws ARCHIVE_INVALID for
 * bytes that are no archive and ARCHIVE_LIMIT before inflating anything when the central directory
 * lists more entries, more bytes or a higher compression ratio than the limits allow. An entry that
 * cannot be unpacked is skipped with its reason; the others are still read.
 */
export function readZip(
  bytes: Uint8Array,
  document: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): ArchiveContents {
  const infos = list(bytes, document);
  if (infos.length > limits.maxEntries)
    throw new ExtractionError(
      'ARCHIVE_LIMIT',
      document,
      `the archive lists ${infos.length} entries, more than ${limits.maxEntries}`,
    );
  const files = infos.filter((info) => !info.name.endsWith('/'));
  const total = files.reduce((sum, info) => sum + info.originalSize, 0);
  if (total > limits.maxUnpackedBytes)
    throw new ExtractionError(
      'ARCHIVE_LIMIT',
      document,
      `the archive would unpack to ${total} bytes, more than ${limits.maxUnpackedBytes}`,
    );
  for (const info of files) {
    if (info.originalSize > Math.max(info.size, 1) * limits.maxRatio)
      throw new ExtractionError(
        'ARCHIVE_LIMIT',
        document,
        `${entryName(info.name)} would unpack ${Math.round(info.originalSize / Math.max(info.size, 1))} times larger than it is packed (a zip bomb?); the limit is ${limits.maxRatio}`,
      );
  }
  const flags = entryFlags(bytes);
  const contents: ArchiveContents = { entries: [], skipped: [] };
  infos.forEach((info, index) => {
    if (info.name.endsWith('/')) return;
    const name = entryName(info.name);
    if (((flags[index] ?? 0) & 1) === 1) {
      contents.skipped.push({ name, reason: 'encrypted (a password-protected archive)' });
      return;
    }
    if (info.compression !== 0 && info.compression !== 8) {
      contents.skipped.push({ name, reason: `packed with compression method ${info.compression}, which is not read` });
      return;
    }
    // One entry at a time, so a broken stream costs only its own entry.
    let seen = -1;
    try {
      const one = unzipSync(bytes, { filter: () => ++seen === index });
      const data = one[info.name];
      if (data) contents.entries.push({ name, bytes: data });
    } catch (error) {
      contents.skipped.push({ name, reason: `could not be unpacked (${(error as Error).message})` });
    }
  });
  return contents;
}
