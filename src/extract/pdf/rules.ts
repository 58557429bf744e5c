/**
 * A PDF page's ruling lines, from pdf.js's list of its drawing operations: stroked horizontal and
 * vertical segments (dompdf and TCPDF draw each cell border as a line, LibreOffice too), the edges of
 * stroked rectangles (TCPDF's `Rect()`), and thin filled rectangles (Chromium fills its borders). The
 * layout stage uses them to tell the lines of a loosely set table cell from rows (src/layout/cells.ts).
 *
 * pdf.js 5 gives each path as one `constructPath` operation: `[paintOp, [path], minMax]`, the path a
 * flat array of drawing codes (moveTo 0, lineTo 1, curveTo 2, closePath 3) each followed by its
 * coordinates, in user space: the transformation matrix (`cm`, `save`/`restore`, form XObjects) maps them
 * to the page, and the viewport to the layout's coordinates (the text items' own). The work is bounded:
 * a page of a hundred thousand paths stops at MAX_PATHS.
 */
import { mergeRules, type Rule, type Rules } from '../../layout/cells.js';
import { walkOps } from './ctm.js';
import type { Ops, PdfViewport } from './engine.js';

/** At most this many paths are looked at, and this many rule pieces kept: a page of a plotted chart is no table. */
const MAX_PATHS = 20_000;
const MAX_PIECES = 5_000;
/** A segment this far from level (points) is not a rule; a rule is at least this long. */
const SKEW = 0.5;
const MIN_LENGTH = 3;
/** A filled rectangle this thin (points) is a rule drawn as a fill. */
const MAX_THICKNESS = 2.5;

// pdf.js's path codes (its `DrawOPS`, not exported).
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const CLOSE_PATH = 3;

/** The operators of a path's painting: which stroke it, which fill it. */
function paints(ops: Ops): { stroke: Set<number>; fill: Set<number> } {
  return {
    stroke: new Set([
      ops.stroke,
      ops.closeStroke,
      ops.fillStroke,
      ops.eoFillStroke,
      ops.closeFillStroke,
      ops.closeEOFillStroke,
    ]),
    fill: new Set([ops.fill, ops.eoFill, ops.fillStroke, ops.eoFillStroke, ops.closeFillStroke, ops.closeEOFillStroke]),
  };
}

/** Collects rule pieces from one path's points, split into subpaths (each a polyline, `closed` or not). */
class Pieces {
  readonly horizontal: Rule[] = [];
  readonly vertical: Rule[] = [];

  get full(): boolean {
    return this.horizontal.length + this.vertical.length >= MAX_PIECES;
  }

  /** A stroked segment, when level or upright and long enough. */
  segment(x0: number, y0: number, x1: number, y1: number): void {
    if (Math.abs(y1 - y0) <= SKEW && Math.abs(x1 - x0) >= MIN_LENGTH)
      this.horizontal.push({ at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
    else if (Math.abs(x1 - x0) <= SKEW && Math.abs(y1 - y0) >= MIN_LENGTH)
      this.vertical.push({ at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
  }

  /** A filled subpath: a thin upright rectangle is a rule along its middle. */
  filled(points: number[]): void {
    if (points.length < 8 || points.length > 10) return;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < points.length; i += 2) {
      x0 = Math.min(x0, points[i]!);
      x1 = Math.max(x1, points[i]!);
      y0 = Math.min(y0, points[i + 1]!);
      y1 = Math.max(y1, points[i + 1]!);
    }
    // Every corner on the box's edges: an upright rectangle, not a rotated one or a triangle.
    for (let i = 0; i < points.length; i += 2) {
      const onX = Math.abs(points[i]! - x0) <= SKEW || Math.abs(points[i]! - x1) <= SKEW;
      const onY = Math.abs(points[i + 1]! - y0) <= SKEW || Math.abs(points[i + 1]! - y1) <= SKEW;
      if (!onX || !onY) return;
    }
    const w = x1 - x0;
    const h = y1 - y0;
    if (h <= MAX_THICKNESS && w >= MIN_LENGTH) this.horizontal.push({ at: (y0 + y1) / 2, from: x0, to: x1 });
    else if (w <= MAX_THICKNESS && h >= MIN_LENGTH) this.vertical.push({ at: (x0 + x1) / 2, from: y0, to: y1 });
  }
}

/** Walks one path's codes, mapping each point to the layout's coordinates, into `pieces`. */
function readPath(
  path: ArrayLike<number>,
  toPage: (x: number, y: number) => number[],
  stroke: boolean,
  fill: boolean,
  pieces: Pieces,
): void {
  let points: number[] = [];
  const endSubpath = () => {
    if (fill) pieces.filled(points);
    points = [];
  };
  for (let i = 0; i < path.length && !pieces.full; ) {
    const code = path[i++];
    if (code === MOVE_TO || code === LINE_TO) {
      const [x = 0, y = 0] = toPage(path[i]!, path[i + 1]!);
      i += 2;
      if (code === MOVE_TO) endSubpath();
      else if (stroke && points.length >= 2) pieces.segment(points.at(-2)!, points.at(-1)!, x, y);
      points.push(x, y);
    } else if (code === CURVE_TO) {
      // A curve is no rule; the subpath it is part of is no rectangle.
      const [x = 0, y = 0] = toPage(path[i + 4]!, path[i + 5]!);
      i += 6;
      endSubpath();
      points.push(x, y);
    } else if (code === CLOSE_PATH) {
      if (stroke && points.length >= 4) pieces.segment(points.at(-2)!, points.at(-1)!, points[0]!, points[1]!);
      endSubpath();
    } else return; // a code this reader does not know: leave the path
  }
  endSubpath();
}

/**
 * The ruling lines of a page: merged horizontal and vertical rules in the viewport's coordinates
 * (the text items' own: points from the page's top left).
 */
export function readRules(ops: Ops, list: { fnArray: number[]; argsArray: unknown[][] }, viewport: PdfViewport): Rules {
  const { stroke, fill } = paints(ops);
  const pieces = new Pieces();
  let paths = 0;
  walkOps(ops, list, (fn, args, ctm) => {
    if (fn !== ops.constructPath) return;
    paths++;
    const toPage = (x: number, y: number) =>
      viewport.convertToViewportPoint(ctm[0]! * x + ctm[2]! * y + ctm[4]!, ctm[1]! * x + ctm[3]! * y + ctm[5]!);
    const op = args[0] as number;
    const path = (args[1] as ArrayLike<number>[] | null | undefined)?.[0];
    const strokes = stroke.has(op);
    const fills = fill.has(op);
    if (path && typeof path.length === 'number' && (strokes || fills)) readPath(path, toPage, strokes, fills, pieces);
    return paths < MAX_PATHS && !pieces.full;
  });
  return { horizontal: mergeRules(pieces.horizontal), vertical: mergeRules(pieces.vertical) };
}
