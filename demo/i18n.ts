/** The page's words, Russian first (the subscribers' language), and English. */
import type { ExtractionErrorCode, RejectCode } from '../src/browser.js';

export type Lang = 'ru' | 'en';

interface Words {
  /** Static text of the page, by `data-i18n` key. */
  page: Record<'title' | 'privacy' | 'drop' | 'hint' | 'footer', string>;
  switchTo: string;
  reading: string;
  kinds: Record<string, string>;
  found: (n: number) => string;
  none: string;
  label: string;
  where: string;
  confidence: string;
  contracts: string;
  warnings: string;
  why: string;
  hideWhy: string;
  rejected: string;
  rejectedNone: string;
  number: string;
  reason: string;
  blocks: string;
  layout: string;
  errors: Partial<Record<ExtractionErrorCode, string>>;
  rejects: Record<RejectCode, string>;
  origin: (part: string) => string;
}

const ru: Words = {
  page: {
    title: 'Где мой лицевой счёт?',
    privacy:
      'Файлы читаются только здесь, в вашем браузере: страница ничего не отправляет в сеть и работает без интернета.',
    drop: 'Перетащите сюда договор (PDF), сохранённый счёт (HTML), письмо (.eml) или текст — или нажмите, чтобы выбрать файл.',
    hint: 'Лицевой счёт — 14 цифр (в некоторых регионах 12). Номер договора — другое число: он показан отдельно.',
    footer: 'Сделано библиотекой rostelecom-account: она же работает на Node.js и в командной строке.',
  },
  switchTo: 'English',
  reading: 'Читаю…',
  kinds: {
    text: 'текст',
    html: 'страница HTML',
    pdf: 'PDF',
    email: 'письмо',
    mbox: 'почтовый ящик',
    image: 'изображение',
    unknown: 'неизвестный формат',
  },
  found: (n) =>
    n === 0 ? 'лицевой счёт не найден' : n === 1 ? 'найден 1 лицевой счёт' : `найдено лицевых счетов: ${n}`,
  none: 'Лицевой счёт в этом файле не найден. Нажмите «Почему не найдено?», чтобы увидеть, что прочитала программа.',
  label: 'Надпись в документе',
  where: 'Где',
  confidence: 'Уверенность',
  contracts: 'Номер договора (это не лицевой счёт)',
  warnings: 'Замечания',
  why: 'Почему не найдено?',
  hideWhy: 'Скрыть подробности',
  rejected: 'Числа, которые не подошли',
  rejectedNone: 'Других чисел-кандидатов нет.',
  number: 'Число',
  reason: 'Почему нет',
  blocks: 'Текст, который прочитала программа',
  layout: 'Разметка страницы',
  errors: {
    PDF_ENCRYPTED: 'PDF защищён паролем.',
    PDF_BAD_PASSWORD: 'Пароль не подходит к этому PDF.',
    PDF_INVALID: 'Файл повреждён или это не PDF.',
    UNSUPPORTED_FORMAT: 'Такие файлы программа не читает.',
    NODE_ONLY: 'Этот вид файлов читается только версией для компьютера (Node.js).',
    EMAIL_INVALID: 'Письмо не удалось прочитать.',
    TOO_LARGE: 'Файл слишком большой.',
    TIMEOUT: 'Файл читался слишком долго.',
    READ_FAILED: 'Файл не удалось прочитать.',
  },
  rejects: {
    NO_LABEL: 'рядом нет подписи «лицевой счёт»',
    TOO_MANY_DIGITS: 'слишком много цифр',
    TOO_FEW_DIGITS: 'слишком мало цифр',
    MASKED: 'номер скрыт звёздочками',
    BANK_ACCOUNT: 'это банковский счёт',
    PHONE_NUMBER: 'это номер телефона',
    BILL_NUMBER: 'это номер счёта на оплату',
    CONTRACT_NUMBER: 'это номер договора',
    GLUED_TO_TEXT: 'число слито с другим текстом',
  },
  origin: (part) => {
    const page = /^page (\d+)( \(OCR\))?$/.exec(part);
    if (page) return `страница ${page[1]}${page[2] ? ' (распознана)' : ''}`;
    const attachment = /^attachment (.+)$/.exec(part);
    if (attachment) return `вложение ${attachment[1]}`;
    const message = /^message (\d+)$/.exec(part);
    if (message) return `письмо ${message[1]}`;
    return (
      {
        text: 'текст',
        html: 'страница',
        'html body': 'текст письма (HTML)',
        'text body': 'текст письма',
        'forwarded message': 'пересланное письмо',
        'image (OCR)': 'изображение (распознано)',
      }[part] ?? part
    );
  },
};

const en: Words = {
  page: {
    title: 'Where is my account number?',
    privacy:
      'Your files are read here, in your browser, and nowhere else: this page sends nothing over the network and works offline.',
    drop: 'Drop a contract (PDF), a saved bill (HTML), an email (.eml) or a text file here, or click to pick one.',
    hint: 'A personal account («лицевой счёт») has 14 digits (12 in some regions). The contract number is another number: it is shown apart.',
    footer: 'Made with the rostelecom-account library, which also runs on Node.js and on the command line.',
  },
  switchTo: 'Русский',
  reading: 'Reading…',
  kinds: {
    text: 'text',
    html: 'HTML page',
    pdf: 'PDF',
    email: 'email',
    mbox: 'mailbox',
    image: 'image',
    unknown: 'unknown format',
  },
  found: (n) => (n === 0 ? 'no account found' : n === 1 ? '1 account found' : `${n} accounts found`),
  none: 'No account number found in this file. Press “Why not found?” to see what was read.',
  label: 'Label',
  where: 'Found in',
  confidence: 'Confidence',
  contracts: 'Contract number (not the account)',
  warnings: 'Notes',
  why: 'Why not found?',
  hideWhy: 'Hide details',
  rejected: 'Numbers turned down',
  rejectedNone: 'No other candidate numbers.',
  number: 'Number',
  reason: 'Why not',
  blocks: 'The text that was read',
  layout: 'Page layout',
  errors: {
    PDF_ENCRYPTED: 'The PDF is protected by a password.',
    PDF_BAD_PASSWORD: 'The password does not open this PDF.',
    PDF_INVALID: 'The file is damaged or not a PDF.',
    UNSUPPORTED_FORMAT: 'This kind of file is not read.',
    NODE_ONLY: 'This kind of file is read only by the Node.js version.',
    EMAIL_INVALID: 'The message could not be read.',
    TOO_LARGE: 'The file is too large.',
    TIMEOUT: 'Reading the file took too long.',
    READ_FAILED: 'The file could not be read.',
  },
  rejects: {
    NO_LABEL: 'no account label next to it',
    TOO_MANY_DIGITS: 'too many digits',
    TOO_FEW_DIGITS: 'too few digits',
    MASKED: 'masked with asterisks',
    BANK_ACCOUNT: 'a bank account',
    PHONE_NUMBER: 'a phone number',
    BILL_NUMBER: 'a bill number',
    CONTRACT_NUMBER: 'the contract number',
    GLUED_TO_TEXT: 'glued to other text',
  },
  origin: (part) => part,
};

export const WORDS: Record<Lang, Words> = { ru, en };

/** `attachment Счёт.pdf › page 1` in the reader's words. */
export function originText(origin: string, lang: Lang): string {
  return origin
    .split(' › ')
    .map((part) => WORDS[lang].origin(part))
    .join(' › ');
}
