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
  for (const entry of entries) {
    // An archive that holds itself (a zip quine) would be read again at every level: once is enough.
    if (entry.bytes.length === part.bytes.length && entry.bytes.every((b, i) => b === part.bytes[i])) {
      warnings.push({
        code: 'ARCHIVE_LIMIT',
        message: `${part.name} › ${entry.name}: not read (the archive holds itself)`,
      });
      continue;
    }
    const read = await readChild(runtime, { ...part, budget }, { bytes: entry.bytes, label: entry.name }, options);
    blocks.push(...read.blocks);
    warnings.push(...read.warnings);
  }
  return { blocks, warnings };
};
