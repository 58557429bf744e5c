/**
 * Opaque-signed S/MIME (`application/pkcs7-mime; smime-type=signed-data`, `smime.p7m`): the signed
 * message (text, HTML, or multipart with the PDF bill) is carried inside a CMS SignedData structure
 * rather than beside its signature. The content is taken out with pkijs and read as a message of its
 * own; the signature is not verified (a bill is read the same whether or not its signer is trusted),
 * and the record says so in a warning. Encrypted S/MIME (enveloped-data) cannot be read without the
 * recipient's key and is reported, not guessed at.
 */

import { ExtractionError } from '../../errors.js';
import { lazily } from '../../lazy.js';

// Loaded on the first signed message: an app that never meets one never carries pkijs.
const loadCms = lazily(async () => ({ ...(await import('asn1js')), ...(await import('pkijs')) }));

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const ENVELOPED_DATA = '1.2.840.113549.1.7.3';

/** The content a CMS SignedData blob (DER or BER) carries; throws EMAIL_INVALID for anything else. */
export async function signedContent(der: Uint8Array, document: string): Promise<Uint8Array> {
  const { fromBER, OctetString, ContentInfo, SignedData } = await loadCms();
  const invalid = (why: string) => new ExtractionError('EMAIL_INVALID', document, `the S/MIME part ${why}`);
  const parsed = fromBER(der);
  if (parsed.offset === -1) throw invalid('is not a CMS structure');
  let info: InstanceType<typeof ContentInfo>;
  try {
    info = new ContentInfo({ schema: parsed.result });
  } catch {
    throw invalid('is not a CMS structure');
  }
  if (info.contentType === ENVELOPED_DATA)
    throw invalid("is encrypted (enveloped-data): only the recipient's key opens it");
  if (info.contentType !== SIGNED_DATA) throw invalid(`holds ${info.contentType}, not signed data`);
  let signed: InstanceType<typeof SignedData>;
  try {
    signed = new SignedData({ schema: info.content });
  } catch {
    throw invalid('is signed data that cannot be parsed');
  }
  const content = signed.encapContentInfo.eContent;
  if (!(content instanceof OctetString)) throw invalid('is detached: the message is beside it, not inside');
  // BER may split the content into a constructed string of pieces; getValue() joins them.
  return new Uint8Array(content.getValue());
}
