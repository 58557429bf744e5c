import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, detectKind } from '../src/index.js';

const PROSE = [
  'Уважаемый абонент! Напоминаем, что оплатить услуги связи нужно до двадцатого числа.',
  'Лицевой счёт указан в квитанции. Справки по телефону.',
  'ПАО "Ростелеком". Ежемесячный счёт за услуги связи: интернет, телевидение, телефон.',
  'ЛИЦЕВОЙ СЧЕТ',
  'ЛИЦЕВОЙ СЧЁТ АБОНЕНТА И НОМЕР ДОГОВОРА НАПЕЧАТАНЫ ЗАГЛАВНЫМИ БУКВАМИ.',
  'Счёт',
];

describe('decodeText', () => {
  it.each(PROSE)('tells Windows-1251 from KOI8-R: %s', (text) => {
    expect(decodeText(iconv.encode(text, 'windows-1251'))).toEqual({ text, encoding: 'windows-1251' });
    if (text !== 'Счёт') expect(decodeText(iconv.encode(text, 'koi8-r'))).toEqual({ text, encoding: 'koi8-r' });
  });

  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFЛицевой счёт', 'utf8'))).toEqual({ text: 'Лицевой счёт', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('Лицевой счёт', 'utf8')).encoding).toBe('utf-8');
  });

  it('reads UTF-16 with a BOM, and little-endian without one', () => {
    expect(decodeText(iconv.encode('Лицевой счёт 1', 'utf-16le', { addBOM: true }))).toEqual({
      text: 'Лицевой счёт 1',
      encoding: 'utf-16le',
    });
    expect(decodeText(iconv.encode('Лицевой счёт 1', 'utf-16be', { addBOM: true }))).toEqual({
      text: 'Лицевой счёт 1',
      encoding: 'utf-16be',
    });
    expect(decodeText(iconv.encode('Account 1234 and more', 'utf-16le')).encoding).toBe('utf-16le');
  });

  it('believes valid UTF-8 over a stale declared charset', () => {
    expect(decodeText(Buffer.from('Лицевой счёт', 'utf8'), 'windows-1251').encoding).toBe('utf-8');
    expect(decodeText(iconv.encode('Лицевой счёт', 'koi8-r'), 'koi8-r').text).toBe('Лицевой счёт');
  });

  it('decodes by the charset a QR payload declares', () => {
    // A short payload gives the frequency guess little to work with; ST00013 says KOI8-R.
    const payload = 'ST00013|Name=ПАО Ростелеком|PersAcc=36000111222333';
    expect(decodeText(iconv.encode(payload, 'koi8-r')).text).toBe(payload);
  });
});

describe('detectKind', () => {
  it('tells kinds from bytes, not from names', () => {
    expect(detectKind(Buffer.from('%PDF-1.7\n...'), 'bill.txt')).toBe('pdf');
    expect(detectKind(Buffer.from('<!DOCTYPE html><html><body>x</body></html>'), 'page.txt')).toBe('html');
    expect(detectKind(Buffer.from('  <table><tr><td>Л/С</td></tr></table>'))).toBe('html');
    expect(detectKind(Buffer.from('From: a@b.ru\r\nTo: c@d.ru\r\nSubject: x\r\n\r\nbody'), 'x.txt')).toBe('email');
    expect(detectKind(Buffer.from('From a@b Thu Nov 20 10:00:00 2026\nFrom: a@b.ru\nSubject: x\n\nbody\n'))).toBe(
      'mbox',
    );
    expect(detectKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('image');
    expect(detectKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image');
    // A ZIP's magic is a ZIP whatever its name (reading it then says whether it is a readable one).
    expect(detectKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), 'notes.txt')).toBe('zip');
    expect(detectKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'x.msg')).toBe('unknown');
    expect(detectKind(Buffer.from('{\\rtf1\\ansi Hello}'))).toBe('rtf');
    expect(detectKind(iconv.encode('Лицевой счёт', 'windows-1251'))).toBe('text');
    expect(detectKind(Buffer.from('a < b and <c> is not markup'), 'notes.html')).toBe('html');
    expect(detectKind(Buffer.from('a < b'), 'notes.txt')).toBe('text');
  });

  it('reads plain text that merely mentions a header as text', () => {
    expect(detectKind(Buffer.from('Subject: оплата интернета\nне забыть до 20-го'))).toBe('text');
    expect(detectKind(Buffer.from('Content-Type: multipart/mixed;\n\tboundary="b"\n\n--b\n'))).toBe('email');
  });
});
