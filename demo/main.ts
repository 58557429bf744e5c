/**
 * The page: a subscriber drops or picks documents, and sees each account found, where, how sure, the
 * contract number apart, and the text around it; «Почему не найдено?» shows what was read and what was
 * turned down. Everything happens in this tab: files are read with the File API and never sent anywhere,
 * and nothing is written to the console (documents are personal data).
 */
import {
  type ExtractResult,
  extract,
  type FoundAccount,
  formatAccount,
  type RejectedFound,
  type TextBlock,
} from '../src/browser.js';
import { type Lang, originText, WORDS } from './i18n.js';

interface Read {
  name: string;
  result: ExtractResult | null;
}

let lang: Lang = 'ru';
const documents: Read[] = [];
/** Documents whose explain view is open, by position. */
const explaining = new Set<number>();

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

/** An element with attributes and children; text is always set as text, never parsed as markup. */
function h(
  tag: string,
  attrs: Record<string, string | undefined> = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) element.setAttribute(key, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** The block an account or a candidate was found in. */
function blockOf(result: ExtractResult, found: { origin: string; index: number; raw: string }): TextBlock | undefined {
  const blocks = (result.blocks ?? []).filter((b) => b.origin === found.origin);
  return blocks.find((b) => b.text.startsWith(found.raw, found.index)) ?? blocks[0];
}

/** The line or two around the number, with the number marked. */
function context(result: ExtractResult, found: { origin: string; index: number; raw: string }): HTMLElement | null {
  const block = blockOf(result, found);
  if (!block) return null;
  let at = found.index;
  if (!block.text.startsWith(found.raw, at)) at = block.text.indexOf(found.raw);
  if (at < 0) return null;
  const before = block.text.slice(Math.max(0, at - 90), at);
  const after = block.text.slice(at + found.raw.length, at + found.raw.length + 90);
  const start = before.lastIndexOf('\n', before.length - 2);
  const end = after.indexOf('\n', 1);
  return h(
    'div',
    { class: 'context', 'data-test': 'context' },
    (at > 90 && start < 0 ? '…' : '') + before.slice(start + 1),
    h('mark', {}, found.raw),
    after.slice(0, end < 0 ? after.length : end) + (end < 0 && after.length === 90 ? '…' : ''),
  );
}

function accountView(result: ExtractResult, account: FoundAccount): HTMLElement {
  const w = WORDS[lang];
  return h(
    'div',
    { class: 'account', 'data-test': 'account', 'data-number': account.number },
    h('div', { class: 'number', 'data-test': 'number' }, formatAccount(account.number)),
    h(
      'div',
      { class: 'meta' },
      `${w.label}: `,
      h('span', { 'data-test': 'label' }, account.label),
      ` · ${w.where}: `,
      h('span', { 'data-test': 'origin', 'data-origin': account.origin }, originText(account.origin, lang)),
      ` · ${w.confidence}: `,
      h('span', { 'data-test': 'confidence' }, `${Math.round(account.confidence * 100)} %`),
    ),
    context(result, account),
  );
}

function rejectedRow(candidate: RejectedFound): HTMLElement {
  const w = WORDS[lang];
  const reason = lang === 'en' ? candidate.reason : `${w.rejects[candidate.code]} (${candidate.reason})`;
  return h(
    'tr',
    { 'data-test': 'rejected', 'data-code': candidate.code },
    h('td', {}, candidate.raw),
    h('td', {}, reason),
    h('td', {}, candidate.label ?? '—'),
    h('td', {}, originText(candidate.origin, lang)),
  );
}

function explainView(result: ExtractResult): HTMLElement {
  const w = WORDS[lang];
  const rejected = result.rejected ?? [];
  return h(
    'div',
    { class: 'explain', 'data-test': 'explain' },
    h('h3', {}, w.rejected),
    rejected.length === 0
      ? h('p', {}, w.rejectedNone)
      : h(
          'table',
          {},
          h('tr', {}, h('th', {}, w.number), h('th', {}, w.reason), h('th', {}, w.label), h('th', {}, w.where)),
          ...rejected.map(rejectedRow),
        ),
    h('h3', {}, w.blocks),
    ...(result.blocks ?? []).flatMap((block) => [
      h('h4', {}, originText(block.origin, lang)),
      h('pre', { 'data-test': 'block' }, block.text),
      block.layout && block.layout.length > 0
        ? h('details', {}, h('summary', {}, w.layout), h('pre', {}, block.layout.join('\n')))
        : null,
    ]),
  );
}

function documentView(read: Read, position: number): HTMLElement {
  const w = WORDS[lang];
  const { result } = read;
  if (!result) return h('article', { class: 'document', 'data-test': 'reading' }, h('h2', {}, read.name), w.reading);
  const open = explaining.has(position);
  const toggle = h(
    'button',
    { type: 'button', 'data-test': 'explain-toggle', 'aria-expanded': String(open) },
    open ? w.hideWhy : w.why,
  );
  toggle.addEventListener('click', () => {
    if (open) explaining.delete(position);
    else explaining.add(position);
    render();
  });
  return h(
    'article',
    { class: 'document', 'data-test': 'document', 'data-file': read.name, 'data-kind': result.kind },
    h('h2', {}, read.name),
    h('p', { class: 'meta' }, `${w.kinds[result.kind] ?? result.kind} · ${w.found(result.accounts.length)}`),
    result.error
      ? h(
          'p',
          { class: 'error', 'data-test': 'error', 'data-code': result.error.code },
          w.errors[result.error.code] ?? result.error.code,
        )
      : null,
    ...result.accounts.map((account) => accountView(result, account)),
    result.accounts.length === 0 && !result.error ? h('p', { 'data-test': 'none' }, w.none) : null,
    result.contractNumbers.length > 0
      ? h(
          'div',
          { class: 'contracts' },
          h('h3', {}, w.contracts),
          h(
            'ul',
            {},
            ...result.contractNumbers.map((c) =>
              h(
                'li',
                { 'data-test': 'contract', 'data-number': c.number },
                h('strong', {}, c.raw),
                ` (${c.label}; ${originText(c.origin, lang)})`,
              ),
            ),
          ),
        )
      : null,
    result.warnings.length > 0
      ? h(
          'details',
          { class: 'warnings' },
          h('summary', {}, `${w.warnings}: ${result.warnings.length}`),
          h('ul', {}, ...result.warnings.map((warning) => h('li', { 'data-code': warning.code }, warning.message))),
        )
      : null,
    toggle,
    open ? explainView(result) : null,
  );
}

function render(): void {
  const results = $('#results');
  results.replaceChildren(...documents.map(documentView).reverse());
  results.dataset.done = String(documents.filter((d) => d.result).length);
}

function applyLanguage(): void {
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.title = `${w.page.title} — rostelecom-account`;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = w.page[element.dataset.i18n as keyof typeof w.page];
  }
  const button = $('#lang');
  button.textContent = w.switchTo;
  button.lang = lang === 'ru' ? 'en' : 'ru';
  render();
}

async function readFiles(files: Iterable<File>): Promise<void> {
  for (const file of files) {
    const read: Read = { name: file.name, result: null };
    documents.push(read);
    render();
    const bytes = new Uint8Array(await file.arrayBuffer());
    read.result = await extract(bytes, { filename: file.name, explain: true });
    render();
  }
}

const input = $<HTMLInputElement>('#files');
input.addEventListener('change', () => {
  void readFiles([...(input.files ?? [])]).finally(() => {
    input.value = '';
  });
});
const drop = $('#drop');
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  void readFiles([...(event.dataTransfer?.files ?? [])]);
});
$('#lang').addEventListener('click', () => {
  lang = lang === 'ru' ? 'en' : 'ru';
  applyLanguage();
});
document.body.dataset.ready = 'true';
