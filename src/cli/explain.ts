/**
 * `--explain FILE`: every part visited inside the document (read, or skipped and why), the text the
 * locator read, block by block with origins and line numbers, then every candidate with the reason it was
 * kept or rejected. The answer to "why was this account missed?".
 */
import { type ExtractOptions, extractFile } from '../extract/index.js';

export async function explain(path: string, options: ExtractOptions, write: (s: string) => void): Promise<boolean> {
  const r = await extractFile(path, { ...options, explain: true });
  write(`${path}: ${r.kind}${r.subject ? `, subject «${r.subject}»` : ''}\n`);
  if (r.error) write(`error ${r.error.code}: ${r.error.message}\n`);
  for (const w of r.warnings) write(`warning ${w.code}: ${w.message}\n`);
  if (r.parts && r.parts.length > 0) {
    write('\nparts:\n');
    for (const p of r.parts) {
      const what = p.read ? `read${p.why ? ` (${p.why})` : ''}` : `skipped: ${p.why ?? 'not read'}`;
      write(`  ${p.path}${p.type ? ` [${p.type}]` : ''}: ${what}\n`);
    }
  }
  for (const block of r.blocks ?? []) {
    write(`\n── ${block.origin} ──\n`);
    if (block.layout && block.layout.length > 0) {
      write('layout:\n');
      for (const note of block.layout) write(`  ${note}\n`);
      write('text:\n');
    }
    const lines = block.text.split('\n');
    const width = String(lines.length).length;
    lines.forEach((line, i) => {
      write(`${String(i + 1).padStart(width)} │ ${line}\n`);
    });
  }
  write('\nkept:\n');
  if (r.accounts.length === 0) write('  (no account)\n');
  for (const a of r.accounts) {
    write(
      `  account ${a.number}  «${a.raw}» after «${a.label}», ${a.origin} line ${a.line}, confidence ${a.confidence}\n`,
    );
  }
  for (const c of r.contractNumbers) write(`  contract ${c.number}  after «${c.label}», ${c.origin} line ${c.line}\n`);
  write('rejected:\n');
  if (!r.rejected || r.rejected.length === 0) write('  (nothing)\n');
  for (const x of r.rejected ?? []) {
    write(`  «${x.raw}» ${x.origin} line ${x.line}: ${x.code}, ${x.reason}${x.label ? ` (label «${x.label}»)` : ''}\n`);
  }
  return r.error === null;
}
