/**
 * A page's operator list walked with its current transformation matrix: `save`/`restore`, `cm` and form
 * XObjects followed, every other operator handed on with the matrix in force. The readers of a page's
 * drawing (pictures.ts: how much sharp raster covers it; rules.ts: its ruling lines) share it.
 */
import type { Ops } from './engine.js';

/** A PDF matrix `[a, b, c, d, e, f]`: x' = a x + c y + e, y' = b x + d y + f. */
export type Matrix = number[];

/** `m` then `n` (PDF's order: a `cm` matrix is applied before the one in force). */
export const times = (m: Matrix, n: Matrix): Matrix => [
  m[0]! * n[0]! + m[1]! * n[2]!,
  m[0]! * n[1]! + m[1]! * n[3]!,
  m[2]! * n[0]! + m[3]! * n[2]!,
  m[2]! * n[1]! + m[3]! * n[3]!,
  m[4]! * n[0]! + m[5]! * n[2]! + n[4]!,
  m[4]! * n[1]! + m[5]! * n[3]! + n[5]!,
];

/** Calls `visit` for each operator that is not a change of the matrix; `visit` returning `false` stops the walk. */
export function walkOps(
  ops: Ops,
  list: { fnArray: number[]; argsArray: unknown[][] },
  visit: (fn: number, args: unknown[], ctm: Matrix) => unknown,
): void {
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i]!;
    const args = list.argsArray[i] ?? [];
    if (fn === ops.save) stack.push(ctm);
    else if (fn === ops.restore) ctm = stack.pop() ?? ctm;
    else if (fn === ops.transform) ctm = times(args as number[], ctm);
    else if (fn === ops.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) && args[0].length === 6) ctm = times(args[0] as number[], ctm);
    } else if (fn === ops.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (visit(fn, args, ctm) === false) return;
  }
}
