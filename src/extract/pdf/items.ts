/**
 * pdf.js's text items as positioned items for the layout stage (src/layout/): each item's text, left
 * edge, baseline, width and font size, on the page's viewport. Glyphs a font has no Unicode for are
 * read as the spaces they stand for.
 */
import type { PositionedItem } from '../../layout/index.js';
import type { PdfTextItem, PdfViewport } from './engine.js';

/**
 * Control characters pdf.js gives for glyphs it has no Unicode for: a producer drew a character its font
 * lacks (pdfkit and pdf-lib draw a narrow no-break space between digit groups as glyph 0, read as
 * U+0000). Such a glyph stands where a character was meant; read as a space, the groups it separates stay
 * groups. cairo (print-to-PDF on Linux, Inkscape, pdftocairo) maps such a glyph to U+FFFD when it embeds
 * the font again.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
const UNMAPPED_GLYPH = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
const UNMAPPED_GLYPHS = new RegExp(UNMAPPED_GLYPH.source, 'g');

/** Baselines closer than this (in font sizes) are one line; as the layout's `baseline` setting. */
const SAME_BASELINE = 0.4;
/** An unmapped glyph drawn apart touches the run before it within this (in font sizes; as `glueGap`). */
const TOUCHING = 0.12;
/**
 * How far (in font sizes) the ink after an unmapped glyph drawn apart may stand and still be the rest of
 * its run: the glyph's advance is the missing character's, which the font re-embedded by cairo no longer
 * knows (pdf-lib's glyph 0 advances a whole em, cairo's replacement box a third of it). A gap between
 * cells (the layout's `cellGap`) is wider.
 */
const UNMAPPED_REACH = 0.9;

export function itemsOf(
  content: { items: Array<PdfTextItem | { type: string }> },
  viewport: PdfViewport,
): PositionedItem[] {
  const items: PositionedItem[] = [];
  // The item a blank unmapped glyph ran on, while the ink after it is still to come.
  let open: PositionedItem | undefined;
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const unmapped = UNMAPPED_GLYPH.test(raw.str);
    const str = unmapped ? raw.str.replace(UNMAPPED_GLYPHS, ' ') : raw.str;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = raw.transform;
    const [x = e, y = f] = viewport.convertToViewportPoint(e, f);
    // The font size is the length of the text matrix's vertical vector; `height` is 0 for some producers.
    const size = Math.hypot(c, d) || Math.hypot(a, b) || raw.height;
    if (str.trim() === '') {
      // An unmapped glyph drawn as an item of its own (cairo draws the glyphs of each font subset apart)
      // is still a character between its neighbours: the run before it goes on over it as a space, or
      // the gap it fills would read as one between cells.
      if (unmapped) open = runOn(items.at(-1), x, y, raw.width, size) ?? open;
      continue;
    }
    if (open && sameLine(open, y, size)) {
      const gap = x - (open.x + open.width);
      if (gap > 0 && gap <= UNMAPPED_REACH * size) open.width = x - open.x;
    }
    open = undefined;
    items.push({ text: str, x, y, width: raw.width, height: size });
  }
  return items;
}

const sameLine = (item: PositionedItem, y: number, size: number) => Math.abs(item.y - y) <= SAME_BASELINE * size;

/** Makes `last` run on over a blank glyph at `x` when the glyph follows it on its line; returns it then. */
function runOn(last: PositionedItem | undefined, x: number, y: number, width: number, size: number) {
  if (!last || !sameLine(last, y, size) || Math.abs(x - (last.x + last.width)) > TOUCHING * size) return undefined;
  if (!last.text.endsWith(' ')) last.text += ' ';
  last.width = x + width - last.x;
  return last;
}
