/**
 * Replies and forwards as their writer saw them. Mail clients quote each line of a reply with `>` (one
 * per level, `>>` or `> >`, with or without a space), so a label and its number end up on lines that
 * begin with quote marks, and a number wrapped at 72 columns continues on the next quoted line; and
 * they put a forwarded message under a marker line of their own («-------- Пересылаемое сообщение
 * --------», «-----Original Message-----», «Begin forwarded message:»). The quote marks are taken off
 * before the locator reads the lines, and each forwarded part becomes a block of its own, so a number
 * found there says it came from the forwarded message.
 */

/** Quote marks at the start of a line: `>`, `> >`, `>>`, after optional indentation. */
const QUOTE = /^[ \t]*>(?:[ \t]?>)*[ \t]?/;

/** Marker lines of the common clients, English and Russian (Gmail, Outlook, Thunderbird, Apple Mail, Yandex, Mail.ru). */
const FORWARD_MARKER = new RegExp(
  [
    String.raw`^\s*-{2,}\s*(?:forwarded message|original message|пересылаемое сообщение|исходное сообщение|перенаправленное сообщение)\s*-{2,}\s*$`,
    String.raw`^\s*(?:begin forwarded message|начало переадресованного сообщения|начало пересылаемого сообщения)\s*:\s*$`,
  ].join('|'),
  'i',
);

/** A line that ends a forwarded part (Yandex and Mail.ru close it). */
const FORWARD_END = /^\s*-{2,}\s*(?:конец пересылаемого сообщения|end of forwarded message)\s*-{2,}\s*$/i;

/** Lines without their quote marks; the text as it was when no line is quoted. */
export function unquote(text: string): string {
  if (!/^[ \t]*>/m.test(text)) return text;
  return text
    .split('\n')
    .map((line) => line.replace(QUOTE, ''))
    .join('\n');
}

export interface TextPart {
  text: string;
  /** True for a part under a client's forward marker. */
  forwarded: boolean;
}

/**
 * The text split at the forward markers of common clients, each part unquoted: the writer's own text
 * first, then each forwarded message (its header lines, От/Кому/Тема, included). Text with no marker
 * is one part.
 */
export function splitForwarded(text: string): TextPart[] {
  const lines = unquote(text).split('\n');
  const parts: TextPart[] = [];
  let current: string[] = [];
  let forwarded = false;
  const close = () => {
    if (current.some((l) => l.trim() !== '')) parts.push({ text: current.join('\n'), forwarded });
    current = [];
  };
  for (const line of lines) {
    if (FORWARD_MARKER.test(line)) {
      close();
      forwarded = true;
    } else if (FORWARD_END.test(line)) {
      close();
      forwarded = false;
    } else current.push(line);
  }
  close();
  return parts.length > 0 ? parts : [{ text: '', forwarded: false }];
}
