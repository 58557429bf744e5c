/**
 * Payment QR payloads, GOST R 56042-2014: `ST0001N|Name=…|PersonalAcc=…|…|PersAcc=…`.
 * `N` names the charset of the payload bytes (1 windows-1251, 2 UTF-8, 3 KOI8-R); the character after
 * it is the field separator (almost always `|`). Keys are case-insensitive in practice (`persAcc=`).
 */

export interface QrField {
  key: string;
  value: string;
  /** Offset of the value in the scanned text. */
  valueStart: number;
}

export interface QrPayload {
  start: number;
  end: number;
  fields: QrField[];
}

const HEADER_RE = /ST0001([123])([^\p{L}\p{N}\s=])/gu;

export const QR_CHARSETS: Record<string, string> = { '1': 'windows-1251', '2': 'utf-8', '3': 'koi8-r' };

/** Every QR payload in `text`: from its header to the end of its line. */
export function findQrPayloads(text: string): QrPayload[] {
  const payloads: QrPayload[] = [];
  HEADER_RE.lastIndex = 0;
  for (let m = HEADER_RE.exec(text); m; m = HEADER_RE.exec(text)) {
    const separator = m[2]!;
    const bodyStart = m.index + m[0].length;
    let end = text.indexOf('\n', bodyStart);
    if (end < 0) end = text.length;
    const fields: QrField[] = [];
    let offset = bodyStart;
    for (const part of text.slice(bodyStart, end).split(separator)) {
      const eq = part.indexOf('=');
      if (eq > 0) {
        const rawValue = part.slice(eq + 1);
        const lead = rawValue.length - rawValue.trimStart().length;
        fields.push({ key: part.slice(0, eq).trim(), value: rawValue.trim(), valueStart: offset + eq + 1 + lead });
      }
      offset += part.length + separator.length;
    }
    payloads.push({ start: m.index, end, fields });
    HEADER_RE.lastIndex = end;
  }
  return payloads;
}

/** The charset a payload declares, if `text` starts with a QR header (used when decoding raw bytes). */
export function qrCharset(head: string): string | undefined {
  const m = /^\s*ST0001([123])/.exec(head);
  return m ? QR_CHARSETS[m[1]!] : undefined;
}
