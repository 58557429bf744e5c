import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, DOCUMENTS, ROOT } from './helpers.js';

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lines = (s: string) => s.trim().split('\n').filter(Boolean);
const sources = (ndjson: string) =>
  lines(ndjson).map((l) => {
    const r = JSON.parse(l);
    return `${r.source}#${r.index ?? ''}`;
  });

/** A folder of many small documents, so a scan takes long enough to be interrupted. */
function bigFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rta-batch-'));
  for (let i = 0; i < 60; i++) {
    copyFileSync(join(DOCUMENTS, 'pdf', 'contract-libreoffice.pdf'), join(dir, `c${String(i).padStart(3, '0')}.pdf`));
    writeFileSync(join(dir, `n${String(i).padStart(3, '0')}.txt`), `Л/С 3600 0111 2${String(i).padStart(3, '0')} 33\n`);
  }
  return dir;
}

// A scan of every fixture reads the OCR ones too (scans, photos, the scans under a garbage text layer, a photo
// in a .msg): 40–60 s on a 2-core machine shared with other work, so the tests that make one or more have
// time budgets of minutes.
const SCANS = (n: number) => n * 80_000;

describe('scan output', () => {
  const full = run(['scan', '-q', 'fixtures/documents']);

  it('gives the same records in the same order whatever the concurrency', () => {
    expect(run(['scan', '-q', '-j', '1', 'fixtures/documents']).stdout).toBe(full.stdout);
    expect(run(['scan', '-q', '-j', '0', 'fixtures/documents']).stdout).toBe(full.stdout);
    expect(run(['scan', '-q', '-j', '3', 'fixtures/documents']).stdout).toBe(full.stdout);
  }, 240_000); // three scans of every fixture, the OCR ones included (a sideways page is read three times)

  it(
    'writes one JSON array with --format json',
    () => {
      const r = run(['scan', '-q', '--format', 'json', 'fixtures/documents']);
      const records = JSON.parse(r.stdout);
      expect(records.map((x: { source: string; index?: number }) => `${x.source}#${x.index ?? ''}`)).toEqual(
        sources(full.stdout),
      );
    },
    SCANS(1),
  );

  it('writes one CSV row per account, RFC 4180 quoted, with an optional BOM', () => {
    const r = run([
      'scan',
      '-q',
      '--format',
      'csv',
      '--bom',
      'fixtures/documents/html/cabinet-cp1251.html',
      'fixtures/documents/email/mailbox.mbox',
    ]);
    expect(
      r.stdout.startsWith('\uFEFFsource,index,messageId,origin,label,number,raw,confidence,contractNumbers\r\n'),
    ).toBe(true);
    const rows = r.stdout.slice(1).trim().split('\r\n');
    expect(rows[1]).toBe(
      'fixtures/documents/html/cabinet-cp1251.html,,,html,Лицевой счет,63001112223301,6300 1112 2233 01,0.98,63-2018/7001; 63-2018/7002',
    );
    const mboxRow = rows.find((row) => row.includes('41001111222209'))!;
    expect(mboxRow.startsWith('fixtures/documents/email/mailbox.mbox,2,<fixture-12.mbox-from-line@rt.example>,')).toBe(
      true,
    );
    expect(rows.filter((row) => row.includes('"'))).toEqual(rows.filter((row) => /"[^"]*(,|"")/.test(row)));
  });

  it('prints a summary on stderr, and nothing with --quiet', () => {
    const r = run(['scan', 'fixtures/documents/text']);
    expect(r.stderr).toMatch(/^rostelecom-account: 16 documents, 13 accounts, \d+ contract numbers, no errors; /);
    expect(r.stderr).not.toMatch(/\d{14}/);
    expect(run(['scan', '-q', 'fixtures/documents/text']).stderr).toBe('');
  });

  it('says one line per document with --verbose, without numbers', () => {
    const r = run(['scan', '-v', 'fixtures/documents/text']);
    expect(lines(r.stderr).filter((l) => l.startsWith('read '))).toHaveLength(16);
    expect(r.stderr).not.toMatch(/\d{12}/);
  });

  it(
    'filters with --include and --exclude globs',
    () => {
      const only = run(['scan', '-q', '--include', '*.eml', 'fixtures/documents']);
      expect(sources(only.stdout).every((s) => s.includes('.eml#'))).toBe(true);
      // Every .eml fixture, in any folder (the damaged-encoding ones live in email/damaged/).
      const emls = (dir: string): number =>
        readdirSync(dir, { withFileTypes: true }).reduce(
          (n, e) => n + (e.isDirectory() ? emls(join(dir, e.name)) : e.name.endsWith('.eml') ? 1 : 0),
          0,
        );
      expect(sources(only.stdout)).toHaveLength(emls(DOCUMENTS));
      expect(emls(DOCUMENTS)).toBe(28);
      const without = run(['scan', '-q', '--exclude', '**/pdf/**', '--exclude', '*.mbox', 'fixtures/documents']);
      expect(sources(without.stdout).some((s) => s.includes('/pdf/') || s.includes('.mbox'))).toBe(false);
    },
    SCANS(2),
  );

  it('reads standard input with -', () => {
    const r = run(['scan', '-q', '-'], readFileSync(join(DOCUMENTS, 'email', 'mailbox.mbox')));
    expect(lines(r.stdout).map((l) => JSON.parse(l).index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const t = run(['scan', '-q', '-'], 'ЕЛС 3600 0111 2223 33');
    expect(JSON.parse(t.stdout)).toMatchObject({ source: '-', kind: 'text', accounts: [{ number: '36000111222333' }] });
  });

  it(
    'splits the work into shards whose union is one full run',
    () => {
      const parts = [0, 1, 2].map((i) =>
        sources(run(['scan', '-q', '--shard', `${i}/3`, 'fixtures/documents']).stdout),
      );
      expect(parts.every((p) => p.length > 0)).toBe(true);
      expect(parts.flat().sort()).toEqual(sources(full.stdout).sort());
      expect(new Set(parts.flat()).size).toBe(parts.flat().length);
    },
    SCANS(1),
  );

  it('masks accounts everywhere with --redact', () => {
    const r = run(['scan', '-q', '--redact', '--format', 'csv', 'fixtures/documents/text']);
    expect(r.stdout).not.toMatch(/\d{14}/);
    expect(r.stdout).toContain('3700 **** **** 01');
  });
});

describe('--out and --resume', () => {
  it('writes the file atomically: only the finished file appears', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-out-'));
    const out = join(dir, 'result.json');
    const r = run(['scan', '-q', '--format', 'json', '--out', out, 'fixtures/documents/text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(16);
    expect(readdirSync(dir)).toEqual(['result.json']);
  });

  it('finishes an interrupted scan without losing or repeating a record', async () => {
    const folder = bigFolder();
    const expected = run(['scan', '-q', folder]).stdout;
    const out = join(mkdtempSync(join(tmpdir(), 'rta-resume-')), 'all.ndjson');
    const child = spawn(process.execPath, [CLI, 'scan', '-q', '-j', '1', '--out', out, folder], { stdio: 'ignore' });
    // Kill it hard once some records are journalled: no chance to clean up.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const partial = `${out}.partial`;
        if (existsSync(partial) && lines(readFileSync(partial, 'utf8')).length >= 10) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the scan finished before it could be interrupted'));
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(out)).toBe(false);
    // Without --resume, an interrupted journal is never silently overwritten.
    expect(run(['scan', '-q', '--out', out, folder]).code).toBe(2);
    const resumed = run(['scan', '--resume', '--out', out, folder]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/already done \(resumed\)/);
    expect(readFileSync(out, 'utf8')).toBe(expected);
  });

  it('cuts a torn last line of the journal and redoes that document', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rta-torn-')), 'all.ndjson');
    const expected = run(['scan', '-q', 'fixtures/documents/text']).stdout;
    const kept = `${lines(expected).slice(0, 5).join('\n')}\n${lines(expected)[5]!.slice(0, 40)}`;
    writeFileSync(`${out}.partial`, kept);
    expect(run(['scan', '-q', '--resume', '--out', out, 'fixtures/documents/text']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(expected);
  });

  it('refuses --resume without --out', () => {
    expect(run(['scan', '--resume', 'fixtures/documents/text']).code).toBe(2);
  });
});

describe('--explain', () => {
  it('shows the text read and why each candidate was kept or rejected', () => {
    const r = run(['scan', '--explain', join(DOCUMENTS, 'text', 'bank-statement.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('── text ──');
    expect(r.stdout).toContain('(no account)');
    expect(r.stdout).toMatch(
      /«4081 7810 0999 1000 4312» text line 5: TOO_MANY_DIGITS, too many digits: 20 \(expected 14\) \(label «л\/с»\)/,
    );
  });
});

describe('a folder nobody tidied', () => {
  it('reads names with spaces and non-Latin letters, and an empty folder gives no records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rta-names-'));
    mkdirSync(join(dir, 'пустая папка'));
    writeFileSync(join(dir, 'Счёт за ноябрь (копия).txt'), 'Л/С 3600 0111 2223 33');
    const r = run(['scan', '-q', dir]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((l) => JSON.parse(l).source)).toEqual([join(dir, 'Счёт за ноябрь (копия).txt')]);
  });
});
