/**
 * A message's raw text, walked once before it is parsed: Latin-1 (one character a byte, so offsets are
 * byte offsets) and its MIME boundaries. The charset guess (charset.ts) and the structure warnings
 * (read.ts) both read it, where each used to decode the whole message and look for boundaries again.
 */
import { latin1 } from '../text/node.js';

export interface RawMessage {
  /** The message's bytes as Latin-1 text. */
  text: string;
  /** Every boundary a Content-Type declares, once each, in order of first appearance. */
  boundaries: string[];
}

export function rawMessage(bytes: Uint8Array): RawMessage {
  const text = latin1(bytes);
  return { text, boundaries: boundariesOf(text) };
}

export function boundariesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/boundary\s*=\s*"?([^"\s;]+)"?/gi)].map((m) => m[1]!))];
}
