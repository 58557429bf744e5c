/**
 * A text layer that is not language: what a poor OCR engine (often one that knew only Latin) leaves
 * invisible over a scanned page. Cyrillic read as look-alike Latin letters and digits («PocTeneKOM»,
 * «CaHKT-CTeTep6ypr», «o6ecneчeHии»), letters of two scripts inside one word («nицeвoй cчёT»), digits
 * read as letters («4O18 2B7T»). Such a page "has text", so OCR in `auto` would leave it, and the
 * account on it is lost. A page whose words are mostly of these shapes is read with OCR instead.
 *
 * The check is one pass of one regular expression over the page's text: nothing next to laying the page
 * out. Words of real text have these shapes rarely (a brand in camel case, a hash, a model number), so
 * a page counts as garbage only when many of its words do.
 */

/** A page is garbage when at least this share of its words look misread… */
const GARBAGE_SHARE = 0.3;
/** …or this share, and almost none of its words is a common short word of Russian, English or Indonesian. */
const GARBAGE_SHARE_WITHOUT_WORDS = 0.15;
const MIN_COMMON_SHARE = 0.03;
/**
 * Words every page of running text in the languages read here has («и», «the», «yang»); a misread page
 * spells them rarely (Cyrillic «по» read as Latin «no» is not among them).
 */
const COMMON = new Set(
  (
    'и в во не на с со по к ко о об от до за из у для что это как или а но же при без ' +
    'the of and to in for is on by with at from this that be are as or an it not ' +
    'dan yang di ke dari untuk dengan ini itu atau pada'
  ).split(' '),
);
/** …and it has at least this many words (a label or a stamp alone says nothing). */
const MIN_WORDS = 12;
/** Words looked at: the page's first this many tell as much as all of them. */
const MAX_WORDS = 2000;

const WORD = /[\p{L}\p{N}]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const HEX = /^(?=.*\d)(?:[\da-f]+|[\dA-F]+)$/;

/** Whether a page's text layer reads as a misrecognition rather than language. */
export function isGarbageTextLayer(text: string): boolean {
  return isMisreadText(text) || isMismappedText(text);
}

/**
 * A token of text in a language: a word (hyphenated or with an apostrophe; two scripts in one word are
 * looksMisread's to judge), a number as printed (digits with separators, a sign, a unit), a code of letters and digits («RT-2020/9142»,
 * «A4»), a link or an address; quotes, brackets and end punctuation around it aside.
 */
const CLEAN = new RegExp(
  [
    String.raw`[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*`,
    String.raw`[+\-−]?\p{N}+(?:[.,:/\-–\u00a0\u202f]\p{N}+)*(?:%|‰)?`,
    String.raw`[\p{L}\p{N}]+(?:[-/.#№_][\p{L}\p{N}]+)*`,
    String.raw`\S*(?::\/\/|@)\S*`,
    String.raw`[№#%+−-]+\p{N}*`,
    String.raw`\p{L}[\p{L}\p{N}_]*=\S*`,
    String.raw`\p{Sc}?[\p{N}.,]*\p{Sc}?`,
  ]
    .map((p) => `(?:${p})`)
    .join('|')
    .replace(/^/, '^(?:')
    .replace(/$/, ')$'),
  'u',
);
/** What may stand around a token without making it another: quotes and brackets, end punctuation, bullets. */
const AROUND = /^[«"'“„‘([{•·*—–\-\p{Cf}]+|[»"'”’)\]},.:;!?…•·*—–\-\p{Cf}]+$/gu;
/** A page is mismapped when at least this share of its tokens are no token of a language. */
const MISMAPPED_SHARE = 0.3;

/**
 * Whether a page's characters are mostly not words: a text layer whose glyphs map to the wrong
 * characters (a font's Unicode map rebuilt badly, as Ghostscript's pdfwrite does to some subset fonts
 * it embeds again: «Лицевой счёт» comes out «48<9=>64=89», or as «€•‚ƒ„…»). A reader sees the page
 * as it was; only a rendering and OCR read what they see.
 */
export function isMismappedText(text: string): boolean {
  let tokens = 0;
  let broken = 0;
  for (const raw of text.split(/\s+/, MAX_WORDS)) {
    const token = raw.replace(AROUND, '');
    // A sign alone («=», «±», «<») is a formula's or a list's, whatever the font.
    if (!/[\p{L}\p{N}]/u.test(token)) continue;
    tokens++;
    // A code's parts are judged as words: «45BA9AF» is no code, «RT-2024/520563» is.
    const parts = token.split(/[-/.#№_]/);
    if (!CLEAN.test(token) || parts.some((part) => part.length > 2 && (looksMisread(part) || mostlyAccented(part))))
      broken++;
  }
  return tokens >= MIN_WORDS && broken >= MISMAPPED_SHARE * tokens;
}

/**
 * A Latin word most of whose letters carry marks («ûèäîáçãäëíä»): Cyrillic glyphs a font maps to the
 * accented letters of Latin-1 or Mac Roman. French or German words mark one letter in several.
 */
function mostlyAccented(word: string): boolean {
  if (!/^\p{Script=Latin}+$/u.test(word)) return false;
  const marked = word.normalize('NFD').match(/\p{M}/gu)?.length ?? 0;
  return marked * 2 > word.length;
}

/** Words of the shapes a poor OCR leaves (see looksMisread), with few of the common short words. */
function isMisreadText(text: string): boolean {
  let words = 0;
  let misread = 0;
  let all = 0;
  let common = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match && all < MAX_WORDS; match = WORD.exec(text)) {
    const word = match[0];
    // Identifiers in hexadecimal (a payment's UUID, a hash) alternate digits and letters by nature.
    if (!/\p{L}/u.test(word) || HEX.test(word)) continue;
    all++;
    if (COMMON.has(word.toLowerCase())) common++;
    // Short words («и», «в», «No», «N2») are too few letters to judge by their shape.
    if (word.length < 3) continue;
    words++;
    if (looksMisread(word)) misread++;
  }
  if (words < MIN_WORDS) return false;
  if (misread >= GARBAGE_SHARE * words) return true;
  return misread >= GARBAGE_SHARE_WITHOUT_WORDS * words && common < MIN_COMMON_SHARE * all;
}

/**
 * One word's shape: two scripts in it («cчёT»); letters and digits alternating («4O18», «o6ecn»,
 * «CTeTep6ypr»; a model number «A4» or «mp3» alternates once, not twice); or the case flipping back up
 * inside it twice («PocTeneKOM»; «iPhone» and «JavaScript» flip once).
 */
export function looksMisread(word: string): boolean {
  if (CYRILLIC.test(word) && LATIN.test(word)) return true;
  let runs = 0;
  let lowerToUpper = 0;
  /** A capital after a small letter that is not the head of a camel-case part («HaCTO», «HOMepoM»). */
  let capitalsRun = 0;
  let kind = '';
  let previous = '';
  let flippedAt = -2;
  let at = 0;
  for (const char of word) {
    const next = char >= '0' && char <= '9' ? 'digit' : 'letter';
    if (next !== kind) runs++;
    kind = next;
    const upper = next === 'letter' && char !== char.toLowerCase();
    const wasLower = previous !== '' && previous !== previous.toUpperCase();
    if (upper && wasLower) {
      lowerToUpper++;
      flippedAt = at;
    } else if (flippedAt === at - 1 && upper) capitalsRun++;
    previous = next === 'letter' ? char : '';
    at++;
  }
  // A flip on the last letter («HOMepoM») is a capital nothing follows: no camel case ends so.
  if (flippedAt === at - 1) capitalsRun++;
  return runs >= 3 || lowerToUpper >= 2 || capitalsRun > 0;
}
