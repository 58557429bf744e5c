/**
 * A ZIP archive as a document: every file in it read by the reader of its kind (a bill's PDF, a text,
 * another archive), within the archive limits and the document's budget of unpacked bytes; entries
 * not unpacked (encrypted ones) and files not read leave a warning naming them.
 */
import { checkDepth, readChild } from '../children.js';
import type { Reader } from '../runtime.js';
import type { TextBlock, Warning } from '../types.js';
import { DEFAULT_ARCHIVE_LIMITS, readZip } from './zip.js';

export const readArchive: Reader = async (part, options, runtime) => {
  checkDepth(part, options);
  const budget = part.budget ?? { bytes: options.maxBytes };
  const limits = {
    ...DEFAULT_ARCHIVE_LIMITS,
    maxUnpackedBytes: Math.min(DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes, budget.bytes),
  };
  const { entries, skipped } = readZip(part.bytes, part.name, limits);
  budget.bytes -= entries.reduce((sum, e) => sum + e.bytes.length, 0);
  const blocks: TextBlock[] = [];
  const warnings: Warning[] = skipped.map((s) => ({
    code: 'PART_SKIPPED',
    message: `${part.name} › ${s.name}: not read (${s.reason})`,
  }));
  const within = [...(part.within ?? []), part.bytes];
  for (const entry of entries) {
    // An archive that holds itself (a zip quine), or one it is inside (a loop: a.zip › b.zip › a.zip),
    // would be read again at every level down to the depth limit: once is enough.
    const loop = within.findIndex((outer) => sameBytes(outer, entry.bytes));
    if (loop >= 0) {
      const why = loop === within.length - 1 ? 'the archive holds itself' : 'it is an archive this one is inside';
      warnings.push({ code: 'ARCHIVE_LIMIT', message: `${part.name} › ${entry.name}: not read (${why})` });
      continue;
    }
    const parent = { ...part, budget, within };
    const read = await readChild(runtime, parent, { bytes: entry.bytes, label: entry.name }, options);
    blocks.push(...read.blocks);
    warnings.push(...read.warnings);
  }
  return { blocks, warnings };
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
