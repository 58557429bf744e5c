/** Quoted replies and forwarded parts (src/extract/quotes.ts), and Apple Mail's .emlx framing. */
import { describe, expect, it } from 'vitest';
import { emlxMessage } from '../src/extract/email/emlx.js';
import { splitForwarded, unquote } from '../src/extract/text/quotes.js';
import { locate } from '../src/index.js';

const accounts = (text: string) => locate(unquote(text)).accounts.map((a) => a.number);

describe('quoted replies', () => {
  it('a number wrapped onto the next quoted line is read whole', () => {
    expect(accounts('Добрый день!\n\n> Лицевой счёт: 4810 2277\n> 3391 05\n> Спасибо')).toEqual(['48102277339105']);
  });

  it('label and number on separate lines two levels deep, however the marks are spaced', () => {
    for (const q of ['> > ', '>> ', '>>', ' > >'])
      expect(accounts(`${q}Ваш лицевой счёт:\n${q}4810 2277 3391 05`), JSON.stringify(q)).toEqual(['48102277339105']);
  });

  it('text without quotes is left as it is', () => {
    const text = 'Сумма > 100 руб.\nЛ/С 3700 1234 5600 01';
    expect(unquote(text)).toBe(text);
  });
});

describe('forwarded parts', () => {
  it('splits at the markers of the common clients and says which part was forwarded', () => {
    for (const marker of [
      '-------- Пересылаемое сообщение --------',
      '---------- Forwarded message ---------',
      '-----Исходное сообщение-----',
      '-----Original Message-----',
      'Begin forwarded message:',
      'Начало переадресованного сообщения:',
    ]) {
      const parts = splitForwarded(`Пересылаю счёт.\n\n${marker}\nОт: Ростелеком\nЛицевой счёт: 3600 0111 2223 33`);
      expect(
        parts.map((p) => p.forwarded),
        marker,
      ).toEqual([false, true]);
      expect(locate(parts[1]!.text).accounts.map((a) => a.number)).toEqual(['36000111222333']);
    }
  });

  it("a forwarded part closed by Yandex's end marker gives the text after it back to the writer", () => {
    const parts = splitForwarded(
      'Смотри\n-------- Пересылаемое сообщение --------\nЛ/С 3700 1234 5600 01\n-------- Конец пересылаемого сообщения --------\nМой ответ',
    );
    expect(parts.map((p) => [p.forwarded, p.text.trim()])).toEqual([
      [false, 'Смотри'],
      [true, 'Л/С 3700 1234 5600 01'],
      [false, 'Мой ответ'],
    ]);
  });
});

describe('.emlx', () => {
  const message =
    'From: billing@rt.ru\r\nTo: me@example.org\r\nSubject: =?utf-8?B?0KHRh9GR0YI=?=\r\n\r\nЛ/С 3700 1234 5600 01\r\n';
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('takes the message by its byte count and leaves the property list out', () => {
    const body = bytes(message);
    const file = new Uint8Array([
      ...bytes(`${body.length}        \n`),
      ...body,
      ...bytes('<?xml version="1.0"?>\n<plist/>'),
    ]);
    expect(new TextDecoder().decode(emlxMessage(file)!)).toBe(message);
  });

  it('is not fooled by text that starts with a number', () => {
    expect(emlxMessage(bytes('2024\nгод был хорошим, Л/С 3700 1234 5600 01 и ещё много текста после'))).toBeNull();
  });
});
