/**
 * Rich Text Format as HTML: paragraphs as blocks and table rows as table rows, so a contract saved as
 * .rtf reads like the same contract saved as .docx. Text comes from `\uN` escapes (their `\'hh`
 * fallbacks skipped as `\ucN` says), from `\'hh` bytes in the code page the font or the document
 * declares (`\fcharset204`, `\ansicpg1251`), and from plain characters. Font, colour and style tables,
 * pictures, field instructions and every `{\*\…}` destination carry no text a reader sees and are
 * skipped. No RTF library on npm is kept up (the known ones render to a browser DOM or were left in
 * 2016), and reading the text is this small.
 */

import { escapeHtml } from './markup.js';

const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'fldinst',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'xmlnstbl',
  'pgdsctbl',
  'filetbl',
  'revtbl',
  'header',
  'footer',
  'headerl',
  'headerr',
  'footerl',
  'footerr',
]);

/** Windows code pages of RTF's `\fcharsetN`. */
const CHARSET_CODEPAGE: Record<number, number> = {
  0: 1252,
  161: 1253,
  162: 1254,
  177: 1255,
  178: 1256,
  186: 1257,
  204: 1251,
  238: 1250,
};
const SYMBOLS: Record<string, string> = {
  par: '\n',
  line: '\n',
  sect: '\n',
  page: '\n',
  tab: ' ',
  emdash: '—',
  endash: '–',
  lquote: '‘',
  rquote: '’',
  ldblquote: '“',
  rdblquote: '”',
  bullet: '•',
};

interface State {
  skip: boolean;
  uc: number;
  font: number;
}

/** Writes paragraphs and table rows as HTML while the tokens arrive. */
class HtmlWriter {
  private out: string[] = ['<html><body><div>'];
  private bytes: number[] = [];
  private inTable = false;
  private rowOpen = false;
  private inCell = false;
  /** The paragraph being read is in a table (`\intbl`, until `\pard`). */
  intbl = false;

  constructor(private codepage: () => number) {}

  byte(b: number): void {
    this.bytes.push(b);
  }

  text(t: string): void {
    this.flush();
    if (t === '\n') {
      this.out.push(this.inCell ? '<br>' : '</div><div>');
      return;
    }
    this.open();
    this.out.push(escapeHtml(t));
  }

  cell(): void {
    this.flush();
    this.open();
    this.out.push('</td>');
    this.inCell = false;
  }

  row(): void {
    this.flush();
    if (this.inCell) this.out.push('</td>');
    if (this.rowOpen) this.out.push('</tr>');
    this.inCell = this.rowOpen = false;
  }

  private open(): void {
    if (this.intbl) {
      if (!this.inTable) this.out.push('</div><table>');
      if (!this.rowOpen) this.out.push('<tr>');
      if (!this.inCell) this.out.push('<td>');
      this.inTable = this.rowOpen = this.inCell = true;
    } else if (this.inTable) {
      if (this.rowOpen) this.out.push('</tr>');
      this.out.push('</table><div>');
      this.inTable = this.rowOpen = this.inCell = false;
    }
  }

  flush(): void {
    if (this.bytes.length === 0) return;
    const decoded = new TextDecoder(`windows-${this.codepage()}`).decode(Uint8Array.from(this.bytes));
    this.bytes = [];
    this.open();
    this.out.push(escapeHtml(decoded));
  }

  html(): string {
    this.intbl = false;
    this.flush();
    this.open();
    return `${this.out.join('')}</div></body></html>`;
  }
}

const TOKEN = /\\([a-z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-f]{2})|\\([^a-z])|([{}])|([^\\{}\r\n]+)|[\r\n]+/gi;

/** Font number → code page, from the font table (`{\f1\fcharset204 Arial;}`). */
function fontCodepages(rtf: string): Map<number, number> {
  const pages = new Map<number, number>();
  for (const m of rtf.matchAll(/\\f(\d+)[^;{}]*?\\fcharset(\d+)/g))
    pages.set(Number(m[1]), CHARSET_CODEPAGE[Number(m[2])] ?? 1252);
  return pages;
}

/** RTF text (as Latin-1: RTF is 7-bit, its bytes are escaped) to HTML. */
export function rtfToHtml(rtf: string): string {
  const fonts = fontCodepages(rtf);
  let ansi = 1252;
  let state: State = { skip: false, uc: 1, font: -1 };
  const stack: State[] = [];
  const writer = new HtmlWriter(() => fonts.get(state.font) ?? ansi);
  let pendingSkip = 0;
  let destination = false;
  for (const m of rtf.matchAll(TOKEN)) {
    const [, word, param, hex, symbol, brace, plain] = m;
    if (brace === '{') {
      stack.push(state);
      state = { ...state };
      destination = true;
      continue;
    }
    if (brace === '}') {
      writer.flush();
      state = stack.pop() ?? state;
      destination = false;
      continue;
    }
    const first = destination;
    destination = false;
    if (hex !== undefined) {
      if (pendingSkip > 0) pendingSkip--;
      else if (!state.skip) writer.byte(Number.parseInt(hex, 16));
      continue;
    }
    if (symbol !== undefined) {
      if (symbol === '*') state.skip = true;
      else if (!state.skip && symbol === '~') writer.text('\u00a0');
      else if (!state.skip && symbol === '_') writer.text('-');
      else if (!state.skip && (symbol === '\\' || symbol === '{' || symbol === '}')) writer.text(symbol);
      continue;
    }
    if (plain !== undefined) {
      let text = plain;
      if (pendingSkip > 0) {
        const cut = Math.min(pendingSkip, text.length);
        text = text.slice(cut);
        pendingSkip -= cut;
      }
      if (!state.skip && text) writer.text(text);
      continue;
    }
    if (word === undefined) continue;
    if (first && SKIPPED.has(word)) state.skip = true;
    if (word === 'ansicpg' && param) ansi = Number(param);
    else if (word === 'uc' && param) state.uc = Number(param);
    else if (word === 'f' && param) state.font = Number(param);
    if (state.skip) continue;
    if (word === 'u' && param) {
      const code = Number(param);
      writer.text(String.fromCharCode(code < 0 ? code + 65536 : code));
      pendingSkip = state.uc;
    } else if (word === 'pard') writer.intbl = false;
    else if (word === 'intbl') writer.intbl = true;
    else if (word === 'cell') writer.cell();
    else if (word === 'row') writer.row();
    else if (SYMBOLS[word] !== undefined) writer.text(SYMBOLS[word]);
  }
  return writer.html();
}

/** True for bytes that start as RTF does. */
export const isRtf = (head: string) => head.startsWith('{\\rtf');
