/**
 * A form's label with a leader of dots, then its number letter-spaced in groups (digits one per box,
 * the boxes not drawn): items as pdfkit draws them in `fixtures/generated/world/forms-pdfkit-008.pdf`
 * (pdf.js's positions, rounded). The first digit stood a word space after the leader and went with the
 * label's run, the rest of the number became pieces.
 */
import { describe, expect, it } from 'vitest';
import { layoutPageExplained, type PositionedItem } from '../src/layout/index.js';

const item = (text: string, x: number, width: number): PositionedItem => ({ text, x, y: 291.8, width, height: 14 });

describe('digits after a leader', () => {
  it('reads letter-spaced groups after «Лицевой счёт ....» as one number beside its label', () => {
    const digits = [
      ['5', 447.2],
      ['6', 463.6],
      ['9', 494.0],
      ['3', 510.4],
      ['9', 540.8],
      ['7', 557.3],
      ['3', 573.7],
      ['0', 590.1],
      ['2', 620.5],
      ['4', 636.9],
      ['3', 653.3],
      ['4', 669.7],
    ] as const;
    const items = [item('Лицевой счёт .............', 296.5, 146.7), ...digits.map(([d, x]) => item(d, x, 8))];
    const page = layoutPageExplained(items, { lengths: [12, 14] });
    expect(page.text).toBe('Лицевой счёт .............\t56 93 9730 2434');
    expect(page.pairs.map((p) => [p.kind, p.label, p.digits, p.relation])).toEqual([
      ['account', 'Лицевой счёт', '569397302434', 'left'],
    ]);
  });
});
