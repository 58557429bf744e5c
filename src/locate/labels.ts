/**
 * The label vocabularies, matched the way people type them: any case, «ё» for «е», and Latin letters
 * that look like Cyrillic ones («Л/C» with a Latin C is the same label as «Л/С»). Rather than folding
 * the text (a copy of every document, and seconds on a 30 MB one), every letter of a pattern becomes
 * the class of the letters that look like it, and the regular expression runs on the text as it is.
 */

/** Latin capitals that print like Cyrillic capitals; billing systems and people mix them freely. */
const LOOKALIKES: Record<string, string> = {
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
  X: 'Х',
  Y: 'У',
  Ё: 'Е',
};

function foldChar(ch: string): string {
  const upper = ch.toUpperCase();
  if (upper.length !== ch.length) return ch;
  return LOOKALIKES[upper] ?? upper;
}

/** Every letter that folds to the same key: both cases, both scripts, «ё» with «е». */
const EQUIVALENTS = new Map<string, Set<string>>();
for (const ch of [...'ABCEHKMOPTXYЁ', ...Object.values(LOOKALIKES)]) {
  for (const variant of [ch, ch.toLowerCase()]) {
    const key = foldChar(variant);
    if (!EQUIVALENTS.has(key)) EQUIVALENTS.set(key, new Set([key, key.toLowerCase()]));
    EQUIVALENTS.get(key)!.add(variant);
  }
}

function variantsOf(ch: string): string {
  const key = foldChar(ch);
  return [...(EQUIVALENTS.get(key) ?? new Set([ch]))].join('');
}

/**
 * Turns the letters of a regular expression source into look-alike classes (`с` → `[сСcC]`), inside
 * and outside character classes, leaving escapes such as `\s` and `\p{L}` alone.
 */
function expandPattern(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      // \p{…} and \P{…} keep their braces.
      if ((next === 'p' || next === 'P') && source[i + 2] === '{') {
        const close = source.indexOf('}', i);
        out += source.slice(i, close + 1);
        i = close;
      } else {
        out += ch + next;
        i++;
      }
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      inClass = false;
      out += ch;
    } else if (/\p{L}/u.test(ch)) {
      const variants = variantsOf(ch);
      out += inClass || variants.length === 1 ? variants : `[${variants}]`;
    } else {
      out += ch;
    }
  }
  return out;
}

// What may stand between a label and its value on one line: spaces, `№ : - = #`, leader dots and
// underscores, and a parenthesised abbreviation such as «(Л/С)».
export const LABEL_GAP_RE =
  /(?:[ \t\u00A0\u2002-\u200A\u202F:#№=.…_\-\u2010-\u2015]|\b[Nn][oO]?\.?(?=[\s\d])|\([^()\d\n]{1,24}\))*/y;

export type LabelKind = 'account' | 'contract';

interface LabelDef {
  kind: LabelKind;
  /** Natural spelling (lower case is fine); folded before use. */
  pattern: string;
  /** How much a match under this label is trusted (short abbreviations are trusted a little less). */
  weight: number;
  /**
   * A word of running text («по договору 123456789»), not a label by its form: it names a contract only
   * when a number-shaped value follows it on its line (the locator checks).
   */
  bare?: boolean;
}

// Letters and digits in any script: the edges of a label must not be inside a word («ЛС» in «ВЛС»).
const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = '(?![\\p{L}])';
const SP = '\\s+';
// Within one line: a heading «Kontrak layanan» above «Nomor kontrak: …» is not one label.
const HSP = '[ \\t\u00A0]+'; // a real no-break space: the letters of \u00A0 would be folded
/**
 * A payment form's «плательщика» after an account's label, perhaps after «(код)» («номер лицевого счёта
 * (код) плательщика», «Л/С плательщика»), is part of the label; on its line only («Л/С» ending a line
 * over «Плательщика …» is no such label).
 */
const PAYER = `(?:[ \\t\u00A0]*\\(код\\))?${HSP}плательщика`;

/**
 * Ordered so that, at one position, the longer and more specific label wins (invoice2data's rule):
 * «Номер лицевого счёта» before «лицевого счёта», «Единый лицевой счёт» before «лицевой счёт».
 */
const LABELS: LabelDef[] = [
  // Contract labels come first where they share words with account labels («№ договора лицевого…» never occurs,
  // but «Номер договора» must not be read as «Номер …» of anything else).
  {
    kind: 'contract',
    weight: 1,
    pattern: `договор(?:а|у|ом)?${SP}(?:об${SP}оказании|на${SP}оказание)${SP}услуг(?:${SP}связи)?(?:${SP}\\p{L}+){0,3}?\\s*(?:№|n|no\\.?)`,
  },
  { kind: 'contract', weight: 1, pattern: `номер${SP}договора` },
  { kind: 'contract', weight: 1, pattern: `№\\s*договора` },
  // «N» for «№» (KOI8-R has no «№»): before digits, or before a lettered number «N RT-2022/615047».
  {
    kind: 'contract',
    weight: 1,
    pattern: `договор(?:а|у|ом|е)?\\s*(?:№|n\\s*(?=\\d)|n(?=\\s+\\p{L}{1,4}[-/]?\\d)|no\\.?)`,
  },
  // A column headed just «Договор» (a cabinet table): only where a colon follows, as the table reader writes it.
  { kind: 'contract', weight: 1, pattern: `договор(?=\\s*:)` },
  { kind: 'contract', weight: 1, pattern: `nomor${SP}kontrak` },
  { kind: 'contract', weight: 1, pattern: `no\\.?${SP}kontrak` },
  // «KONTRAK LAYANAN KOMUNIKASI No. 1234/56789», «Kontrak No.», «Kontrak nomor».
  { kind: 'contract', weight: 1, pattern: `kontrak(?:${HSP}\\p{L}+){0,3}?${HSP}(?:no\\.?|nomor|#)` },
  { kind: 'contract', weight: 1, pattern: `(?:service${SP})?contract${SP}(?:no\\.?|number|№|#)` },
  // Running text: «договор 123456789», «по договору RT-2024/123456», «contract RT-2024/1».
  { kind: 'contract', weight: 1, bare: true, pattern: `договор(?:а|у|ом|е)?` },
  { kind: 'contract', weight: 1, bare: true, pattern: `kontrak` },
  { kind: 'contract', weight: 1, bare: true, pattern: `(?:service${SP})?contract` },

  {
    kind: 'account',
    weight: 1,
    pattern: `(?:номер${SP}|№\\s*)?(?:единого${SP}|единый${SP}|единым${SP})?лицев(?:ой|ого|ому|ым|ом|ые|ых)${SP}(?:сч[её]т(?:а|у|ом|е|ов)?|сч\\.)(?:${SP}абонента|${SP}клиента|${PAYER})?`,
  },
  // The payment QR field on its own (a payment purpose, a copied QR text); never `PersonalAcc=`.
  { kind: 'account', weight: 0.99, pattern: `persacc\\s*[=:]` },
  { kind: 'account', weight: 0.97, pattern: `лиц\\.?\\s*/?\\s*сч(?:[её]т(?:а|у)?|\\.)(?:${PAYER})?` },
  { kind: 'account', weight: 0.97, pattern: `nomor${SP}akun(?:${SP}pribadi)?(?:${SP}pelanggan)?` },
  { kind: 'account', weight: 0.97, pattern: `akun${SP}pribadi(?:${SP}pelanggan)?` },
  { kind: 'account', weight: 0.97, pattern: `personal${SP}account(?:${SP}(?:number|no\\.?|№|#))?` },
  { kind: 'account', weight: 0.95, pattern: `е?л\\s*/\\s*сч?\\.?(?:${PAYER})?` },
  { kind: 'account', weight: 0.93, pattern: `l\\s*/\\s*s` },
  { kind: 'account', weight: 0.93, pattern: `е?лс(?:${PAYER})?` },
];

/**
 * What OCR makes of «Л/С» and «Лицевой»: «Л» read as «JI»/«Jl»/«J», the slash as a bar or as «I», «i»,
 * «l» («JIC», «JI/C»: «Р/с» comes out «Pic» beside it), «й» as «и». Used only for text that says it came
 * from OCR; in typed text «JI/C» is not a label.
 */
const OCR_LABELS: LabelDef[] = [
  { kind: 'account', weight: 0.9, pattern: `(?:j[il1]|л)\\s*[/|]\\s*сч?\\.?` },
  { kind: 'account', weight: 0.85, pattern: `(?:j[il1]?|л)[il1|]сч?\\.?` },
  { kind: 'account', weight: 0.95, pattern: `(?:номер${SP})?лицевои${SP}сч[её]т(?:а)?(?:${SP}абонента|${SP}клиента)?` },
];

export interface LabelMatch {
  kind: LabelKind;
  /** The label as printed, white space collapsed. */
  text: string;
  start: number;
  end: number;
  weight: number;
  /** A word of running text that names a contract only before a number-shaped value. */
  bare: boolean;
}

function buildLabelRegex(defs: readonly LabelDef[]): RegExp {
  const parts = defs.map((def, i) => `(?<l${i}>${expandPattern(def.pattern)})`);
  // `i` folds case for both scripts; the classes add the look-alikes.
  return new RegExp(`${EDGE_BEFORE}(?:${parts.join('|')})${EDGE_AFTER}`, 'giu');
}

const LABEL_RE = buildLabelRegex(LABELS);
// OCR's readings come after the real labels, so at one position a real label still wins.
const OCR_LABEL_DEFS = [...LABELS, ...OCR_LABELS];
const OCR_LABEL_RE = buildLabelRegex(OCR_LABEL_DEFS);

/** Every label occurrence in `text`, left to right, not overlapping; with `ocr`, OCR's misreadings of labels too. */
export function* findLabels(text: string, options: { ocr?: boolean | undefined } = {}): Generator<LabelMatch> {
  const defs = options.ocr ? OCR_LABEL_DEFS : LABELS;
  const source = options.ocr ? OCR_LABEL_RE : LABEL_RE;
  // One regular expression for every caller (a copy per call cost more than a short text's search):
  // its position is set before each search, so searches that interleave do not disturb each other.
  let from = 0;
  for (;;) {
    source.lastIndex = from;
    const m = source.exec(text);
    if (!m) return;
    from = source.lastIndex;
    const groups = m.groups ?? {};
    const index = defs.findIndex((_, i) => groups[`l${i}`] !== undefined);
    const def = defs[index]!;
    const start = m.index;
    const end = start + m[0].length;
    yield {
      kind: def.kind,
      text: collapse(text.slice(start, end)),
      start,
      end,
      weight: def.weight,
      bare: def.bare === true,
    };
  }
}

export function collapse(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}
