/**
 * ZIP archives (src/extract/archive/zip.ts) on real bytes: the committed archives made by Python's zipfile
 * and Info-ZIP's zip (fixtures/make/archive/make-archives.py), and hostile ones made here by Python's
 * zipfile: a zip bomb, 10 000 entries, an entry that lies about its size, bytes that are no archive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip } from '../src/extract/archive/zip.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'documents', 'archive');
const docs = join(import.meta.dirname, '..', 'fixtures', 'documents');
const tmp = mkdtempSync(join(tmpdir(), 'archive-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a short Python script that writes a ZIP with zipfile; returns its bytes. */
function python(script: string): Uint8Array {
  const path = join(tmp, `${Math.random().toString(36).slice(2)}.zip`);
  execFileSync('python3', ['-c', `import zipfile, sys\npath = sys.argv[1]\n${script}`, path], { timeout: 60_000 });
  return readFileSync(path);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('readZip', () => {
  it("reads names as Windows' zipper writes them (cp866, no UTF-8 flag), folders included, bytes intact", () => {
    const { entries, skipped } = readZip(readFileSync(join(dir, 'bills-windows-cp866.zip')), 'bills.zip');
    expect(entries.map((e) => e.name)).toEqual(['Счета/Счёт ноябрь.pdf', 'Счета/Квитанция.txt']);
    expect(Buffer.from(entries[0]!.bytes).equals(readFileSync(join(docs, 'pdf/bill-chromium.pdf')))).toBe(true);
    expect(Buffer.from(entries[1]!.bytes).equals(readFileSync(join(docs, 'text/note.txt')))).toBe(true);
    expect(skipped).toEqual([]);
  });

  it('reads UTF-8 names with the flag, and stored (uncompressed) entries', () => {
    const { entries } = readZip(readFileSync(join(dir, 'contract-utf8-stored.zip')), 'c.zip');
    expect(entries.map((e) => e.name)).toEqual(['Договор и счёт/договор.pdf', 'Договор и счёт/личный кабинет.html']);
    expect(entries[1]!.bytes.length).toBe(readFileSync(join(docs, 'html/cabinet-cp1251.html')).length);
  });

  it('skips an encrypted entry with its reason and reads the rest (Info-ZIP zip -P)', () => {
    const { entries, skipped } = readZip(readFileSync(join(dir, 'partly-encrypted.zip')), 'p.zip');
    expect(entries.map((e) => e.name)).toEqual(['open.txt']);
    expect(skipped).toEqual([{ name: 'secret.txt', reason: expect.stringMatching(/encrypted/) }]);
  });

  it('a zip bomb is ARCHIVE_LIMIT before anything is inflated', () => {
    const bomb = python(
      "z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)\nz.writestr('zeros.txt', bytes(64 * 1024 * 1024))\nz.close()",
    );
    expect(bomb.length).toBeLessThan(200_000);
    const before = process.memoryUsage().rss;
    expect(codeOf(() => readZip(bomb, 'bomb.zip'))).toBe('ARCHIVE_LIMIT');
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('more entries than the limit (10 000) is ARCHIVE_LIMIT; so is more than the unpacked-bytes limit', () => {
    const many = python(
      "z = zipfile.ZipFile(path, 'w')\nfor i in range(10000): z.writestr(f'{i}.txt', b'x')\nz.close()",
    );
    expect(codeOf(() => readZip(many, 'many.zip'))).toBe('ARCHIVE_LIMIT');
    const big = python("z = zipfile.ZipFile(path, 'w')\nz.writestr('a.bin', bytes(2048))\nz.close()");
    expect(codeOf(() => readZip(big, 'big.zip', { maxEntries: 10, maxUnpackedBytes: 1024, maxRatio: 200 }))).toBe(
      'ARCHIVE_LIMIT',
    );
  });

  it('an entry that declares fewer bytes than it holds comes out cut to what it declared, never larger', () => {
    const liar = python(
      "z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)\nz.writestr('a.txt', b'0123456789' * 100)\nz.close()\n" +
        "b = bytearray(open(path, 'rb').read())\n" +
        'for sig, off in ((b"PK\\x03\\x04", 22), (b"PK\\x01\\x02", 24)):\n' +
        '    i = b.find(sig)\n    b[i + off:i + off + 4] = (10).to_bytes(4, "little")\n' +
        "open(path, 'wb').write(b)",
    );
    const { entries } = readZip(liar, 'liar.zip');
    expect(entries[0]!.bytes.length).toBeLessThanOrEqual(10);
  });

  it('bytes that are no archive are ARCHIVE_INVALID, naming the document', () => {
    const notZip = new TextEncoder().encode('PK\u0003\u0004 but nothing after it');
    let message = '';
    try {
      readZip(notZip, 'attachment bills.zip');
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code: string }).code).toBe('ARCHIVE_INVALID');
    }
    expect(message).toMatch(/^attachment bills\.zip: /);
  });
});
