/**
 * Opaque-signed S/MIME (src/extract/smime.ts) on what `openssl cms -sign -nodetach` writes
 * (fixtures/make/smime/make-smime.sh): the signed entity comes out byte for byte; a blob that is no
 * CMS is a typed error naming the document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedContent } from '../src/extract/email/smime.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'documents', 'email', 'smime');
/** The base64 body of a one-part message, decoded. */
const blob = (name: string) =>
  Buffer.from(
    readFileSync(join(dir, name), 'latin1')
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n'),
    'base64',
  );

describe('S/MIME signed-data', () => {
  it('gives the signed multipart entity (text and the PDF bill) as it was signed', async () => {
    const inner = Buffer.from(await signedContent(blob('signed-mixed-pdf.eml'), 'smime.p7m')).toString('latin1');
    const original = readFileSync(join(dir, '..', 'mixed-pdf-bill.eml'), 'latin1');
    // What the script signed: the original message from its MIME-Version header on.
    expect(inner.replace(/\r\n/g, '\n')).toBe(original.slice(original.indexOf('MIME-Version:')).replace(/\r\n/g, '\n'));
  });

  it('gives a quoted-printable cp1251 text entity', async () => {
    const inner = Buffer.from(await signedContent(blob('signed-text-cp1251.eml'), 'smime.p7m')).toString('latin1');
    expect(inner).toMatch(/^Content-Type: text\/plain; charset="windows-1251"/);
    expect(inner).toContain('=CB=E8=F6=E5=E2=EE=E9');
  });

  it('a part that is not CMS is EMAIL_INVALID, naming the part', async () => {
    await expect(signedContent(blob('not-cms.eml'), 'attachment smime.p7m')).rejects.toThrow(
      expect.objectContaining({
        code: 'EMAIL_INVALID',
        message: expect.stringMatching(/^attachment smime\.p7m: .*not a CMS/),
      }),
    );
  });
});
