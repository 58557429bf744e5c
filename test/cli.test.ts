import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';
import { requires, SAMPLES } from './requires.js';

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    get records() {
      return r.stdout.trim()
        ? r.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [];
    },
  };
}

describe('rostelecom-account scan', () => {
  it('prints one NDJSON record per document of a folder, in a stable order', () => {
    const first = run(['scan', 'fixtures/documents/text']);
    expect(first.code).toBe(0);
    expect(first.records.map((r) => r.source)).toEqual([...first.records.map((r) => r.source)].sort());
    const note = first.records.find((r) => r.source.endsWith('note.txt'));
    expect(note).toMatchObject({ kind: 'text', error: null, warnings: [] });
    expect(note.accounts[0]).toMatchObject({
      number: '37001234560001',
      raw: '3700 1234 5600 01',
      label: 'Л/С',
      origin: 'text',
      line: 4,
    });
    expect(Object.keys(note)).toEqual(['source', 'kind', 'accounts', 'contractNumbers', 'warnings', 'error']);
    expect(run(['scan', 'fixtures/documents/text']).stdout).toBe(first.stdout);
  });

  it('exits 3 when some documents have error records, and still prints every record', () => {
    const r = run(['scan', 'fixtures/documents/unknown', 'fixtures/documents/text/note.txt']);
    expect(r.code).toBe(3);
    expect(r.records).toHaveLength(2);
    expect(r.records[0].error).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(r.records[0].error.message).toContain('random-bytes.txt');
  });

  it('honours --lengths', () => {
    const file = join(DOCUMENTS, 'text', 'twelve-digit-region.txt');
    expect(run(['scan', file]).records[0].accounts).toEqual([]);
    expect(
      run(['scan', '--lengths', '12,14', file]).records[0].accounts.map((a: { number: string }) => a.number),
    ).toEqual(['110022003300']);
  });

  it('masks accounts with --redact', () => {
    const r = run(['scan', '--redact', join(DOCUMENTS, 'text', 'note.txt')]);
    expect(r.records[0].accounts[0]).toMatchObject({ number: '3700 **** **** 01', raw: '3700 **** **** 01' });
    expect(r.stdout).not.toContain('37001234560001');
  });

  it('reports a symlink loop as a record instead of walking forever', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-loop-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'note.txt'), 'Л/С 36000111222333');
    symlinkSync('..', join(dir, 'a', 'up'));
    const r = run(['scan', dir]);
    expect(r.code).toBe(3);
    expect(r.records.map((x) => x.accounts.length)).toContain(1);
    expect(r.records.some((x) => x.error?.message.includes('loop'))).toBe(true);
  });

  it('treats a wrong option or a missing path as a usage error: exit 2, one line, no stack', () => {
    for (const args of [
      ['scan', '--bogus', 'x'],
      ['scan', 'no/such/path'],
      ['scan', '--lengths', '12,x', '.'],
      ['frobnicate'],
    ]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('explains itself with --help and --version', () => {
    const help = run(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--lengths');
    expect(help.stdout).toContain('Examples:');
    expect(run(['--help']).stdout).toContain('scan');
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('rostelecom-account scan on files nobody here wrote, with the default flags', () => {
  it("reads msgreader's 43 Outlook samples: a record each, no error, and the one part it skips named", (ctx) => {
    requires.samples.check(ctx);
    requires.ocr.check(ctx); // the default OCR is `auto`: without its data, pictures would be OCR_UNAVAILABLE
    const dir = join(SAMPLES, 'msg');
    const r = run(['scan', dir]);
    expect(r.code, r.stderr).toBe(0);
    const records = r.records as Array<{
      source: string;
      error?: unknown;
      warnings: { code: string; message: string }[];
    }>;
    expect(records.length).toBeGreaterThanOrEqual(43);
    expect(records.filter((x) => x.error)).toEqual([]);
    const warnings = records.flatMap((x) => x.warnings.map((w) => ({ source: x.source, ...w })));
    for (const w of warnings) expect(w.message.startsWith(w.source), w.message).toBe(true);
    expect(warnings.map((w) => [w.code, w.message.slice(w.source.length)])).toEqual([
      [
        'PART_SKIPPED',
        ' › attachment Has 64KB.bin.msg › attachment 64KB.bin: not read (not a kind this library reads)',
      ],
    ]);
    expect(r.stderr).toMatch(/43 documents, 0 accounts, 0 contract numbers, no errors/);
  }, 120_000);
});
