/**
 * Plain text paired by position: a fixed-width font makes a character's column its x and a line's
 * number its y, so the page a reader sees is geometry as much as a PDF's. Each line's cells (two
 * spaces or a bar apart, text-cells.ts) become items of a page set in a monospace font, and the one
 * pairing stage (pairs.ts) pairs each number with its label: a label over its value in one of two blocks
 * side by side, a row header wrapped over lines beside a value, a column's header however many lines it
 * takes, a number wrapped in its cell, digits letter-spaced in groups. The text itself is not changed.
 */
import type { LayoutOptions, PositionedItem } from './chunks.js';
import { pairPage } from './page.js';
import type { PositionedPair } from './pairs.js';
import { expandTabs, RULER, rowOf, singleRow } from './text-cells.js';

/** A monospace glyph is about 0.6 of its font's height wide (Courier, DejaVu Sans Mono): one column is 1. */
const FONT_HEIGHT = 1 / 0.6;
/** Lines of text are set at 1.2 font heights, a word processor's single spacing. */
const LINE_PITCH = 1.2 * FONT_HEIGHT;
/** Text longer than this is paired in its first lines only (a mailbox's text bodies are short; logs are not). */
const MAX_LINES = 4000;
/** A line longer than this is no line of a page (a base64 blob, a minified script): not set. */
const MAX_LINE = 400;

/** The items of a page that prints `text` in a monospace font, a cell an item. */
export function plainTextItems(text: string): PositionedItem[] {
  const items: PositionedItem[] = [];
  const lines = text.split('\n', MAX_LINES);
  lines.forEach((raw, k) => {
    const line = expandTabs(raw.replace(/\r$/, ''));
    if (line.length > MAX_LINE || RULER.test(line)) return;
    const row = rowOf(line, k) ?? singleRow(line, k);
    for (const c of row.cells) {
      items.push({ text: c.text, x: c.start, y: (k + 1) * LINE_PITCH, width: c.end - c.start, height: FONT_HEIGHT });
    }
  });
  return items;
}

/** Each number in plain text paired with its label by position, and how (with `explain`). */
export function pairPlainText(
  text: string,
  options: LayoutOptions & { explain?: boolean },
): { pairs: PositionedPair[]; notes: string[] } {
  // No digit run that could be a number: nothing to pair (most lines of most mails).
  if (!/\d[\d\s.\-\u2010-\u2013]{8,}\d/u.test(text)) return { pairs: [], notes: [] };
  return pairPage(plainTextItems(text), options);
}
