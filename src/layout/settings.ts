/**
 * Every tolerance of the layout stage in one place, with its name and its reason (pdfplumber's habit:
 * `x_tolerance`, `snap_tolerance`, `join_tolerance` are settings, not numbers buried in code). Lengths
 * are in font heights unless the name says points or pitches. A test pins the whole object, so a change
 * to any of them is a decision someone makes on purpose and measures on the generated batch.
 */
export const LAYOUT_SETTINGS = Object.freeze({
  // Words → chunks (chunks.ts).
  /** A gap wider than this separates cells (or blocks side by side) rather than words (a space is about 0.3). */
  cellGap: 0.9,
  /** A gap this wide between two runs of words separates cells (a word space is about 0.3; runs hold theirs). */
  runGap: 0.5,
  /** Words drawn one item each (cairo) stand in two cells when this many times their line's word space apart. */
  wordSpaces: 1.5,
  /** A gap narrower than this joins two items without a space (one word drawn in pieces). */
  glueGap: 0.12,
  /**
   * An item that starts at a column edge further back than this inside the one before it starts a cell
   * the one before ran into (a spreadsheet's clipped cell, drawn whole under its neighbour): kerning
   * overlaps far less.
   */
  clipOverlap: 0.2,
  /** Baselines closer than this are one line (superscripts, mixed fonts, rounding). */
  baseline: 0.4,
  /** A gap at least this wide separates cells where items start at one column edge on two lines. */
  edgeGap: 0.45,
  /** A little more than a word space (DejaVu's is 0.32): the least gap between cells at a column edge. */
  wordGap: 0.38,
  /** Left edges within this many points are one column edge. */
  edgeSnapPoints: 1,
  /** Baselines closer than this are level with each other (cells of one row, centred apiece). */
  level: 0.9,
  /** A digit group of a spaced-out number has at most this many digits («4012 3456», «384 323»). */
  groupDigits: 4,
  /** Digits drawn closer than this are one group (glyphs drawn one by one, letter-spaced). */
  glyphGap: 0.25,
  /**
   * Single digits drawn at one pitch, this many or more in a row, are one number however wide their
   * gaps (up to a cell gap): a form's digits one per box, letter-spaced wider than a glyph gap.
   */
  boxedDigits: 5,
  /** The gaps between boxed digits differ by at most this (digits have one advance in any font). */
  boxedDrift: 0.1,
  /**
   * Single digits at one pitch wider than a cell gap, this many or more in a row, are one number too:
   * boxes stretched over a wide cell. A row of so many lone digits at one pitch is no table's.
   */
  boxedWideDigits: 10,

  // Chunks → blocks (blocks.ts).
  /** Baselines further apart than this are not lines of one block. */
  linePitch: 1.45,
  /**
   * Lines of one height inside one ruled cell (cells.ts) may stand this far apart: dompdf sets a cell's
   * lines 1.52–1.54 heights apart, 1.7 with a span per glyph.
   */
  ruledPitch: 1.8,
  /** A block keeps its line spacing: a line further from its pitch than this starts another block. */
  pitchDrift: 0.2,
  /** A line's ink above its baseline. */
  ascent: 0.9,
  /** A line's ink below its baseline. */
  descent: 0.3,

  // Blocks → split rows (rows.ts).
  /** A cell of the column beside a block has at most this many lines (a paragraph beside it is not a row). */
  maxCellLines: 3,
  /** A block of more lines than this is prose, not a stack of row labels. */
  maxStackLines: 24,
  /** A cell beside a run of lines is aligned with it within this share of the line pitch. */
  alignTolerance: 0.3,
  /** The cost, in pitches, of starting a run at a line that continues the one above (a small letter). */
  continuedCost: 0.5,
  /** The cost, in pitches, of a run of lines beside no cell. */
  unpairedCost: 0.35,
  /** A later alignment (top, bottom) replaces an earlier one only when it fits better by this many pitches. */
  alignPreference: 0.1,
  /** Blocks that overlap in height by less than this (ascent over descent) are not side by side. */
  sideOverlap: 0.35,

  // Blocks → reading order (order.ts).
  /** Baselines of a stacked cell further from their pitch than this are not one cell's. */
  stackDrift: 0.2,

  // Pairing labels with numbers by geometry (pairs.ts).
  /** A label left of its number on one line stands at most this far from it. */
  leftReach: 30,
  /** A label above its number stands at most this many lines above it (a header over a few rows). */
  aboveReach: 6,
  /** A form's caption under its field starts at most this far below it (and a label right over it ends this close). */
  captionReach: 1.5,
  /**
   * Text left of a number further off than this stands in another column: a label right over the
   * number (within captionReach) is the number's rather than that text's.
   */
  ownerReach: 4,
  /** Digit pieces of one number on one line stand at most this far apart (groups drawn with wide gaps). */
  pieceGap: 2.5,
});

export type LayoutSettings = typeof LAYOUT_SETTINGS;
