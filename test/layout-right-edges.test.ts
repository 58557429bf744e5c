/**
 * Header cells wrapped and set flush right, their neighbour closer than a cell gap (issue #23,
 * header-heights): the lines of a right-aligned column end at one x, and where one of them stands only
 * 0.7 em from the next cell's line, that shared right edge, not the gap, parts the cells. Positions are
 * those pdf.js gives for fixtures/generated/world/header-heights-pdfkit-019.pdf (rounded), and that PDF
 * is read whole; the negative is a word space at such an edge, which joins words as before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract, locate } from '../src/index.js';
import { layoutPageExplained, type PositionedItem } from '../src/layout/index.js';
import { ROOT } from './helpers.js';

const at = (text: string, x: number, width: number, y: number): PositionedItem => ({
  text,
  x,
  y,
  width,
  height: 14,
});

/** The header row: «Единый / лицевой / счёт» flush right, «Сумма / к / оплате, / руб.» centred beside it. */
const header = (third: PositionedItem[]) => [
  at('Договор об оказании услуг связи №', 55, 265.6, 95),
  at('Единый', 425, 56.9, 95),
  at('лицевой', 419.8, 62.1, 113.2),
  ...third,
  at('Сумма', 496.2, 47.8, 95),
  at('к', 515.9, 8.5, 113.2),
  at('оплате,', 491.9, 56.5, 131.4),
  at('руб.', 505, 30.3, 149.6),
  at('Дата заключения', 558.4, 129.5, 95),
];

describe('a right-aligned column’s shared right edge', () => {
  it('parts a header line from the next cell’s line 0.7 em after it, so the header names the account under it', () => {
    const digits = '65681305690749';
    const page = layoutPageExplained(
      [
        ...header([at('счёт', 449.2, 32.7, 131.4)]),
        at('2306/65409', 145.4, 84.9, 173.8),
        ...[...digits].map((d, i) => at(d, 331 + 10.7 * i, 8.9, 173.8)),
        at('800,11', 495.6, 49, 173.8),
        at('15.09.2022', 607.7, 80.2, 173.8),
      ],
      { lengths: [14], explain: true },
    );
    expect(page.notes).toContain('text block, 3 lines, x 420–482, y 82–136: «Единый ⏎ лицевой ⏎ счёт»');
    expect(locate(page.text, { pairs: page.pairs }).accounts.map((a) => a.number)).toEqual([digits]);
  });

  it('keeps words a word space apart together where they end at such an edge', () => {
    const page = layoutPageExplained(
      [
        at('Единый', 425, 56.9, 95),
        at('лицевой', 419.8, 62.1, 113.2),
        at('Сумма', 496.2, 47.8, 95),
        at('к', 515.9, 8.5, 113.2),
        at('счёт', 449.2, 32.7, 131.4),
        at('оплате,', 491.9, 56.5, 131.4),
        at('Лицевой', 425.6, 56.3, 160),
        at('счёт', 486, 32.7, 160),
      ],
      { lengths: [14], explain: true },
    );
    expect(page.text).toContain('Лицевой счёт');
  });

  it('reads the account under «Единый лицевой счёт» in the PDF pdfkit drew', async () => {
    const bytes = readFileSync(join(ROOT, 'fixtures', 'generated', 'world', 'header-heights-pdfkit-019.pdf'));
    expect((await extract(bytes)).accounts.map((a) => a.number)).toEqual(['65681305690749']);
  });
});
