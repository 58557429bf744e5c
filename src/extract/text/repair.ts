/**
 * Text repair, after charset decoding and before the locator: text that some program decoded with the
 * wrong table and wrote out again (mojibake), no-break spaces between digit groups that became letters,
 * and «№» that a conversion to KOI8-R turned into «?».
 *
 * After ftfy (Python): a mojibake family is recognised by the characters its wrong table leaves (UTF-8's
 * lead bytes D0/D1 read as Windows-1251 print «Р»/«С» before a symbol, read as Latin-1 «Ð»/«Ñ», read as
 * KOI8-R «п»/«я» before a box-drawing character), the text is encoded back with that table ("sloppy":
 * bytes the table leaves undefined pass through as C1 controls, as Windows and browsers decode them), and
 * decoded as UTF-8 sequence by sequence. A repair is kept only where it is clearly better: every decoded
 * character is an ordinary one (Russian letters, their punctuation), the line had characters no Russian
 * text uses there, and the repaired line reads more like Russian (letter frequencies, as the decoder
 * judges single-byte tables). Correct text leaves no such characters, so it is never touched, and clean
 * text pays for one regular-expression test per family.
 */
import { type Charset, decodeBytes, utf8 } from './node.js';
import { russianScore } from './read.js';
import { repairSwapped } from './swapped.js';

export type RepairFamily =
  | 'utf8-as-windows-1252'
  | 'utf8-as-windows-1251'
  | 'utf8-as-koi8-r'
  | 'windows-1251-as-koi8-r'
  | 'koi8-r-as-windows-1251'
  | 'nbsp-between-digits'
  | 'numero-as-question-mark';

export interface TextRepair {
  family: RepairFamily;
  /** How many sequences, lines or characters were repaired. */
  count: number;
}

export interface RepairedText {
  text: string;
  /** Empty when the text was left as it was. */
  repairs: TextRepair[];
}

/** Human words for each family, for the `TEXT_REPAIRED` warning. */
export const REPAIR_DESCRIPTIONS: Record<RepairFamily, string> = {
  'utf8-as-windows-1252': 'UTF-8 text that was read as Latin-1 / Windows-1252',
  'utf8-as-windows-1251': 'UTF-8 text that was read as Windows-1251',
  'utf8-as-koi8-r': 'UTF-8 text that was read as KOI8-R',
  'windows-1251-as-koi8-r': 'Windows-1251 text that was read as KOI8-R',
  'koi8-r-as-windows-1251': 'KOI8-R text that was read as Windows-1251',
  'nbsp-between-digits': 'no-break spaces between digit groups read in the wrong charset',
  'numero-as-question-mark': '«№» lost as «?» by a charset conversion',
};

/** Characters bytes 0x80–0xFF decode to in a single-byte table, and back. */
interface Table {
  toByte: Map<string, number>;
}

function table(encoding: Charset, sloppy: boolean): Table {
  const bytes = new Uint8Array(128);
  for (let i = 0; i < 128; i++) bytes[i] = 0x80 + i;
  const chars = [...decodeBytes(bytes, encoding)];
  const toByte = new Map<string, number>();
  chars.forEach((ch, i) => {
    if (ch !== '\uFFFD') toByte.set(ch, 0x80 + i);
    // A byte the table leaves undefined comes out of Windows and browsers as the C1 control of the same value.
    else if (sloppy) toByte.set(String.fromCharCode(0x80 + i), 0x80 + i);
  });
  if (sloppy) {
    // Latin-1 and Windows-1252 differ only in 0x80–0x9F: accept both readings.
    for (let b = 0x80; b < 0xa0; b++) if (!toByte.has(String.fromCharCode(b))) toByte.set(String.fromCharCode(b), b);
  }
  return { toByte };
}

const CP1252 = table('windows-1252', true);
const CP1251 = table('windows-1251', true);
const KOI8R = table('koi8-r', false);

/** What a repaired sequence may decode to: Russian letters and the punctuation Russian text uses. */
const PLAUSIBLE =
  /^[\u0410-\u044F\u0401\u0451\u00A0\u00AB\u00BB\u00A7\u00B0\u00B7\u2116\u2013\u2014\u2018-\u201E\u2022\u2026\u20BD\u00D7\u00A9]$/;

/**
 * Characters a wrong table leaves where Russian text never has them: per family, the images of UTF-8
 * continuation bytes other than the few that are also ordinary (`ё`, quotes, dashes, NBSP, `№`, `«»`).
 */
const ODD: Record<'cp1252' | 'cp1251' | 'koi8r', RegExp> = {
  // Latin-1's letters and symbols (but the no-break space and «») and the Windows-1252 extras.
  cp1252:
    /[\u0080-\u009F\u00A1-\u00AA\u00AC-\u00BA\u00BC-\u00FF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/,
  // Windows-1251's letters of other Cyrillic alphabets and its rarer symbols.
  cp1251:
    /[\u0402-\u040F\u0452-\u045F\u0490\u0491\u2020\u2021\u2030\u2039\u203A\u20AC\u2122\u00A4\u00A6\u00AC\u00AD\u00AE\u00B1\u00B5\u00B6\u0080-\u009F]/,
  // KOI8-R's box-drawing and mathematical characters.
  koi8r: /[\u2500-\u25A0\u2219\u221A\u2248\u2264\u2265\u2320\u2321\u00B2\u00F7]/,
};

/** A cheap first look: the lead-byte image followed by a continuation-byte image, per family. */
const MARKERS = {
  cp1252:
    /[\u00C2\u00D0\u00D1\u00E2][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/,
  cp1251:
    /[\u0420\u0421\u0412\u0432][\u0402-\u040F\u0452-\u045F\u0490\u0491\u2020\u2021\u2030\u2039\u203A\u20AC\u2122\u00A4\u00A6\u00AC\u00AD\u00AE\u00B1\u00B5\u00B6\u0080-\u009F\u201E]/,
  koi8r: /[\u043F\u044F\u0431\u0411][\u2500-\u25A0\u2219\u221A\u2248\u2264\u2265\u2320\u2321\u00B2\u00F7\u00B0\u00B7]/,
} as const;

interface Utf8Family {
  family: RepairFamily;
  table: Table;
  odd: RegExp;
  marker: RegExp;
}

const UTF8_FAMILIES: Utf8Family[] = [
  { family: 'utf8-as-windows-1251', table: CP1251, odd: ODD.cp1251, marker: MARKERS.cp1251 },
  { family: 'utf8-as-windows-1252', table: CP1252, odd: ODD.cp1252, marker: MARKERS.cp1252 },
  { family: 'utf8-as-koi8-r', table: KOI8R, odd: ODD.koi8r, marker: MARKERS.koi8r },
];

/**
 * A byte that Windows-1252 leaves undefined, lost to «�» by a strict decoder: after «Ñ» (D1) it was one
 * of с, э, я, and «с» is by far the most frequent; after «Ð» (D0) one of А, Н, Ё.
 */
const LOST_AFTER_1252: Record<number, string> = { 209: 'с', 208: 'Н' };
/** Windows-1251 leaves only 0x98 undefined, and D0 98 is «И». */
const LOST_AFTER_1251: Record<number, string> = { 208: 'И' };

function oddCount(text: string, odd: RegExp): number {
  let n = 0;
  for (const ch of text) if (odd.test(ch)) n++;
  return n;
}

/**
 * Decodes the UTF-8 sequences hidden in one line; what is not such a sequence stays as it is. A sequence
 * may decode to a character of the family's own table too, so that text damaged twice comes back in two
 * passes.
 */
function undoUtf8Line(
  line: string,
  family: Utf8Family,
): { text: string; sequences: number; covered: number; high: number } {
  const chars = [...line];
  const { toByte } = family.table;
  let out = '';
  let sequences = 0;
  let covered = 0;
  let high = 0;
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i]!;
    if (ch.charCodeAt(0) >= 0x80) high++;
    const lead = toByte.get(ch);
    const need = lead === undefined ? 0 : lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : 0;
    if (need > 0 && i + need < chars.length) {
      const bytes = [lead!];
      for (let k = 1; k <= need; k++) {
        const b = toByte.get(chars[i + k]!);
        if (b === undefined || b < 0x80 || b > 0xbf) break;
        bytes.push(b);
      }
      let decoded = bytes.length === need + 1 ? utf8(Uint8Array.from(bytes)) : '';
      if (decoded === '' && need === 1 && chars[i + 1] === '\uFFFD') {
        decoded =
          (family.table === CP1252 ? LOST_AFTER_1252 : family.table === CP1251 ? LOST_AFTER_1251 : {})[lead!] ?? '';
      }
      if (decoded.length === 1 && (PLAUSIBLE.test(decoded) || family.table.toByte.has(decoded))) {
        high += need;
        out += decoded;
        sequences++;
        covered += need + 1;
        i += need + 1;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, sequences, covered, high };
}

function repairUtf8(text: string, family: Utf8Family): { text: string; count: number } {
  if (!family.marker.test(text)) return { text, count: 0 };
  const lines = text.split('\n');
  let count = 0;
  let changed = false;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    if (!family.marker.test(line)) continue;
    const first = undoUtf8Line(line, family);
    // Most of the line's non-ASCII characters must belong to the repaired sequences.
    if (first.sequences === 0 || first.covered < first.high * 0.6) continue;
    let repaired = first.text;
    let sequences = first.sequences;
    if (family.marker.test(repaired)) {
      const second = undoUtf8Line(repaired, family);
      repaired = second.text;
      sequences += second.sequences;
    }
    // The line had characters no Russian text has there, the repair leaves (almost) none, and the
    // result reads more like Russian than the line did.
    const before = oddCount(line, family.odd);
    if (before === 0 || oddCount(repaired, family.odd) * 5 > before) continue;
    // Where the sequences leave room for chance (a line partly of other characters), the letters decide.
    if (first.covered < first.high * 0.8 && russianScore(repaired) <= russianScore(line)) continue;
    lines[l] = repaired;
    count += sequences;
    changed = true;
  }
  return changed ? { text: lines.join('\n'), count } : { text, count: 0 };
}

/**
 * A no-break space between digit groups, read with the wrong table: KOI8-R's 0x9A as Windows-1251 «љ»,
 * Windows-1252 «š» or a C1 control; Windows-1251's 0xA0 as KOI8-R «═»; UTF-8's C2 A0 as «Â », «В »
 * or «б═»; a byte lost in a UTF-8 reading as «�». Only between digits, where no letter belongs.
 */
const NBSP_IMAGE = '(?:[\u045A\u0161\u009A\u2550\uFFFD]|[\u00C2\u0412]\u00A0|\u0431\u2550)';
const NBSP_HINT = new RegExp(NBSP_IMAGE);
const GROUPED_RUN_RE = new RegExp(`\\d+(?:${NBSP_IMAGE}\\d+)+`, 'g');
const NBSP_IMAGE_RE = new RegExp(NBSP_IMAGE, 'g');

function repairDigitSeparators(text: string): { text: string; count: number } {
  if (!NBSP_HINT.test(text)) return { text, count: 0 };
  let count = 0;
  const out = text.replace(GROUPED_RUN_RE, (run) => {
    const images = run.match(NBSP_IMAGE_RE) ?? [];
    // «220В 50» may be volts and a no-break space: «В » counts only when it joins three or more groups.
    if (images.every((s) => s === '\u0412\u00A0') && images.length < 2) return run;
    count += images.length;
    return run.replace(NBSP_IMAGE_RE, '\u00A0');
  });
  return count > 0 ? { text: out, count } : { text, count: 0 };
}

/**
 * KOI8-R has no «№»: converted to it, «Л/с №: 4012…» becomes «Л/с ?: 4012…». A question mark after a
 * word that takes a number, before the number, is read as «№». «Какой у вас лицевой счёт? 4012» (a
 * question: the mark glued to the word, a space after it) is left alone.
 */
const NUMERO_WORDS =
  '(?:[сc]ч[её]т[а-я]{0,2}|л\\s*/\\s*[сc]ч?\\.?|[еe]?л[сc]|договор[а-я]{0,2}|квитанци[а-я]{1,2}|лиц\\.\\s*[сc]ч\\.?)';
const NUMERO_RE = new RegExp(
  `(?<![\\p{L}])${NUMERO_WORDS}( ?)\\?(?=([:.]?)([ \\t\\u00A0]?)(?:\\d|[A-ZА-Я]{1,4}-\\d))`,
  'giu',
);

function repairNumero(text: string): { text: string; count: number } {
  if (!text.includes('?')) return { text, count: 0 };
  let count = 0;
  const out = text.replace(NUMERO_RE, (m: string, before: string, punct: string, after: string) => {
    // «счёт? 4012» is a question; «счёт?: 4012», «счёт ?4012», «счёт ? 4012» are a lost «№».
    if (before === '' && punct === '' && after === ' ') return m;
    count++;
    return `${m.slice(0, -1)}№`;
  });
  return count > 0 ? { text: out, count } : { text, count: 0 };
}

/** Anything outside ASCII: text without it has nothing to repair but a lost «№». */
const NON_ASCII = /[\u0080-\uFFFF]/;

/**
 * Repairs damaged encodings in `text`, or returns it unchanged (the same string) with no repairs. Text
 * damaged twice (UTF-8 read as Windows-1251, then that read as KOI8-R) is repaired in two rounds.
 */
export function repairText(text: string): RepairedText {
  const repairs: TextRepair[] = [];
  const add = (family: RepairFamily, count: number) => {
    const known = repairs.find((r) => r.family === family);
    if (known) known.count += count;
    else repairs.push({ family, count });
  };
  let current = text;
  if (NON_ASCII.test(current)) {
    for (let round = 0; round < 2; round++) {
      let changed = false;
      for (const family of UTF8_FAMILIES) {
        const r = repairUtf8(current, family);
        if (r.count > 0) {
          current = r.text;
          add(family.family, r.count);
          changed = true;
        }
      }
      if (!changed) {
        const swapped = repairSwapped(current);
        if (swapped.family) {
          current = swapped.text;
          add(swapped.family, 1);
          changed = true;
        }
      }
      if (!changed) break;
    }
    const separators = repairDigitSeparators(current);
    if (separators.count > 0) {
      current = separators.text;
      add('nbsp-between-digits', separators.count);
    }
  }
  const numero = repairNumero(current);
  if (numero.count > 0) {
    current = numero.text;
    add('numero-as-question-mark', numero.count);
  }
  return repairs.length > 0 ? { text: current, repairs } : { text, repairs };
}
