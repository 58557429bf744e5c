// `explain` lists every part visited inside a document (issue 26: "never silent"): each MIME body,
// attachment, archive entry and file in a container, its type, read or skipped and why. A normal
// extraction carries no such list: its records stay as they were.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { explain } from '../src/cli/explain.js';
import { extract, extractFile } from '../src/index.js';
import { DOCUMENTS } from './helpers.js';

const parts = async (file: string) =>
  (await extractFile(join(DOCUMENTS, file), { explain: true, ocr: 'off' })).parts?.map((p) =>
    [p.path, p.type, p.read ? 'read' : `skipped: ${p.why}`].join(' | '),
  );

describe('explain: the parts visited', () => {
  it('lists an archive’s entries to any depth, and the one it could not unpack with why', async () => {
    expect(await parts('archive/nested.zip')).toEqual([
      'inner.zip | zip | read',
      'inner.zip › bill.html | html | read',
      'readme.txt | text | read',
    ]);
    expect(await parts('archive/partly-encrypted.zip')).toEqual([
      'open.txt | text | read',
      'secret.txt |  | skipped: PART_SKIPPED: not read (encrypted (a password-protected archive))',
    ]);
  });

  it('lists a message’s bodies and attachments with their content types, inside a signature too', async () => {
    expect(await parts('email/smime/signed-mixed-pdf.eml')).toEqual([
      'attachment smime.p7m | application/pkcs7-mime, email | read',
      'signed message › text body | text/plain | read',
      'signed message › attachment Счёт_ноябрь.pdf | application/pdf, pdf | read',
    ]);
    expect(await parts('email/pictures/photo-attached.eml')).toEqual([
      'text body | text/plain | read',
      'attachment IMG_2041.jpg | image/jpeg | skipped: PART_SKIPPED: not read (a picture, and OCR is off)',
    ]);
    expect(await parts('email/smime/not-cms.eml')).toEqual([
      'attachment smime.p7m |  | skipped: ATTACHMENT_UNREADABLE: EMAIL_INVALID: the S/MIME part is not a CMS structure',
    ]);
  });

  it('marks an entry that a reader began and failed on as not read', async () => {
    const zip = zipSync({
      'bill.pdf': new TextEncoder().encode('%PDF-1.4 not really'),
      'note.txt': new Uint8Array([0x41]),
    });
    const r = await extract(zip, { explain: true, filename: 'broken.zip' });
    expect(r.parts!.map((p) => [p.path, p.read])).toEqual([
      ['bill.pdf', false],
      ['note.txt', true],
    ]);
    expect(r.parts![0]!.why).toMatch(/^PART_SKIPPED: PDF_INVALID: not a readable PDF/);
  });

  it('marks a picture in an archive as not read when OCR is off', async () => {
    const photo = readFileSync(join(DOCUMENTS, 'ocr', 'photo-bill.jpg'));
    const zip = zipSync({ 'photo.jpg': new Uint8Array(photo), 'note.txt': new Uint8Array([0x41]) });
    const r = await extract(zip, { explain: true, filename: 'photos.zip', ocr: 'off' });
    expect(r.parts!.map((p) => [p.path, p.read, p.why])).toEqual([
      ['photo.jpg', false, 'OCR_OFF: an image, and OCR is off'],
      ['note.txt', true, undefined],
    ]);
  });

  it('is absent from a normal extraction', async () => {
    const r = await extractFile(join(DOCUMENTS, 'archive', 'nested.zip'));
    expect(r).not.toHaveProperty('parts');
    expect(r).not.toHaveProperty('blocks');
  });

  it('--explain prints them before the text', async () => {
    let out = '';
    await explain(join(DOCUMENTS, 'email', 'mixed-pdf-bill.eml'), {}, (s) => {
      out += s;
    });
    expect(out).toContain(
      '\nparts:\n  text body [text/plain]: read\n  attachment Счёт_ноябрь.pdf [application/pdf, pdf]: read\n',
    );
    expect(out.indexOf('parts:')).toBeLessThan(out.indexOf('── '));
  });

  it('reads the same bytes to the same accounts with and without explain', async () => {
    const bytes = readFileSync(join(DOCUMENTS, 'archive', 'bills-windows-cp866.zip'));
    const plain = await extract(bytes);
    const explained = await extract(bytes, { explain: true });
    expect(explained.accounts).toEqual(plain.accounts);
    expect(explained.warnings).toEqual(plain.warnings);
  });
});
