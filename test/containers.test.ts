/**
 * Containers end to end through extract(), as users meet them: archives standalone and attached to mail,
 * and hostile ones made here with Python's zipfile (a zip bomb, 10 000 entries, nesting 20 deep) or found
 * (two real ZIP quines): each gets a typed error or a warning naming it, memory stays bounded, and the rest
 * of the document is read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract, extractFile } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'containers-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const docs = join(import.meta.dirname, '..', 'fixtures', 'documents');

/** Runs Python with zipfile imported and `path` set; returns the bytes it wrote there. */
function python(script: string): Buffer {
  const path = join(tmp, `${Math.random().toString(36).slice(2)}.bin`);
  execFileSync('python3', ['-c', `import zipfile, io, sys\npath = sys.argv[1]\n${script}`, path], { timeout: 60_000 });
  return readFileSync(path);
}

/** A message with one attachment, as a mail client writes it (base64, a content type of its choosing). */
function mailWith(filename: string, type: string, bytes: Buffer, text = 'Счёт во вложении.'): Buffer {
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    'From: bill@rt.example\r\nTo: ivan@mail.example\r\nSubject: bills\r\nMessage-ID: <c@rt.example>\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
      `${text}\r\n--b\r\nContent-Type: ${type}; name="${filename}"\r\nContent-Transfer-Encoding: base64\r\n` +
      `Content-Disposition: attachment; filename="${filename}"\r\n\r\n${b64}\r\n--b--\r\n`,
  );
}

describe('archives through extract()', () => {
  it('a ZIP attached as application/x-zip-compressed: both bills inside, origins through the archive', async () => {
    const zip = readFileSync(join(docs, 'archive', 'bills-windows-cp866.zip'));
    const r = await extract(mailWith('bills.zip', 'application/x-zip-compressed', zip), { filename: 'm.eml' });
    expect(r.error).toBeNull();
    expect(r.accounts.map((a) => [a.number, a.origin])).toEqual([
      ['36000111222333', 'attachment bills.zip › Счета/Счёт ноябрь.pdf › page 1'],
      ['37001234560001', 'attachment bills.zip › Счета/Квитанция.txt'],
    ]);
  });

  it('a zip bomb is ARCHIVE_LIMIT as a file, and a warning in a message whose text is still read', async () => {
    const bomb = python(
      "z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)\nz.writestr('a.txt', bytes(200 * 1024 * 1024))\nz.close()",
    );
    const before = process.memoryUsage().rss;
    const alone = await extract(bomb, { filename: 'bomb.zip' });
    expect(alone.error).toMatchObject({ code: 'ARCHIVE_LIMIT', message: expect.stringMatching(/^bomb\.zip: /) });
    const mail = await extract(mailWith('bomb.zip', 'application/zip', bomb, 'Л/С 3700 1234 5600 01'), {
      filename: 'm.eml',
    });
    expect(mail.accounts.map((a) => a.number)).toEqual(['37001234560001']);
    expect(mail.warnings.map((w) => w.code)).toContain('ARCHIVE_LIMIT');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('10 000 entries is ARCHIVE_LIMIT, read in bounded time', async () => {
    const many = python(
      "z = zipfile.ZipFile(path, 'w')\nfor i in range(10000): z.writestr(f'{i}.txt', b'x')\nz.close()",
    );
    const t0 = Date.now();
    const r = await extract(many, { filename: 'many.zip' });
    expect(r.error?.code).toBe('ARCHIVE_LIMIT');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('nested 20 deep: read down to the depth limit, the level below named in a warning', async () => {
    const nested = python(
      'data = None\nfor level in range(20, 0, -1):\n' +
        "    b = io.BytesIO(); z = zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED)\n" +
        "    z.writestr(f'level{level}.txt', f'Л/С 3700 1234 5600 {level:02d}'.encode())\n" +
        "    if data: z.writestr(f'level{level + 1}.zip', data)\n" +
        "    z.close(); data = b.getvalue()\nopen(path, 'wb').write(data)",
    );
    const r = await extract(nested, { filename: 'deep.zip' });
    expect(r.error).toBeNull();
    // Levels 1–8: the archive itself and the 7 inside it are opened (maxMimeDepth 8); the 9th is not.
    const levels = r.accounts.map((a) => a.number.slice(-2)).sort();
    expect(levels).toEqual(['01', '02', '03', '04', '05', '06', '07', '08']);
    expect(r.warnings.filter((w) => w.code === 'ARCHIVE_LIMIT').map((w) => w.message)).toEqual([
      expect.stringMatching(/› level9\.zip: not opened: nested in 8 containers already \(maxMimeDepth 8\)$/),
    ]);
  });

  it('a ZIP that holds itself, and a loop of two that hold each other, are read once round (real quines)', async () => {
    const t0 = Date.now();
    const quine = await extractFile(join(docs, '..', 'hostile', 'zipquine.zip'), { explain: true, ocr: 'off' });
    const loop = await extractFile(join(docs, '..', 'hostile', 'Ouroboros.zip'), { explain: true, ocr: 'off' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(quine.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/zipquine\.zip › zipquine\.zip: not read \(the archive holds itself\)$/),
    ]);
    expect(loop.warnings.filter((w) => w.code === 'ARCHIVE_LIMIT').map((w) => w.message)).toEqual([
      expect.stringMatching(
        /Ouroboros\.zip › loopy_zipquine\.zip › Ouroboros\.zip: not read \(it is an archive this one is inside\)$/,
      ),
    ]);
    // Once round the loop: its text once, its picture once (the loop is not walked down to the depth limit).
    expect(loop.blocks!.map((b) => b.origin)).toEqual(['loopy_zipquine.txt']);
    expect(loop.parts!.filter((p) => p.path.endsWith('Ouroboros.jpg')).map((p) => p.path)).toEqual([
      'loopy_zipquine.zip › Ouroboros.jpg',
    ]);
  });

  it('an entry of no kind this library reads is named in a PART_SKIPPED warning', async () => {
    const zip = python(
      "z = zipfile.ZipFile(path, 'w')\nz.writestr('setup.exe', bytes(range(256)) * 4)\nz.writestr('bill.txt', 'Л/С 3700 1234 5600 01'.encode())\nz.close()",
    );
    const r = await extract(zip, { filename: 'x.zip' });
    expect(r.accounts.map((a) => a.number)).toEqual(['37001234560001']);
    expect(r.warnings).toEqual([
      { code: 'PART_SKIPPED', message: 'x.zip › setup.exe: not read (not a kind this library reads)' },
    ]);
  });
});

describe('mail clients and signed mail through extractFile()', () => {
  it('an Outlook .msg and an opaque-signed message are read as messages', async () => {
    const signed = await extractFile(join(docs, 'email', 'smime', 'signed-text-cp1251.eml'));
    expect(signed.accounts.map((a) => a.origin)).toEqual(['signed message › text body']);
  });
});
