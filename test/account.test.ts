import { describe, expect, it } from 'vitest';
import {
  formatAccount,
  InvalidAccountError,
  isInvalidAccountError,
  isValidAccount,
  maskAccount,
  normalizeAccount,
  validateAccount,
} from '../src/index.js';

describe('normalizeAccount', () => {
  it('removes spaces of every width, dashes and dots', () => {
    expect(normalizeAccount('1234 5678\u00A09012\u2009 34')).toBe('12345678901234');
    expect(normalizeAccount('12-3456–7890—1234')).toBe('12345678901234');
    expect(normalizeAccount('1234.5678.9012.34')).toBe('12345678901234');
    expect(normalizeAccount('12\u202F345\u2007678')).toBe('12345678');
  });
  it('keeps other characters, so validation can reject them', () => {
    expect(normalizeAccount('1234 ABCD')).toBe('1234ABCD');
  });
});

describe('validateAccount', () => {
  it('returns the digits of a valid account', () => {
    expect(validateAccount('3600 0111 2223 33')).toBe('36000111222333');
  });
  it('throws INVALID_FORMAT for letters and stray characters', () => {
    for (const bad of ['3600 0111 2223 3A', '3600/0111/2223/33', '３６０００１１１２２２３３３']) {
      try {
        validateAccount(bad);
        expect.unreachable(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidAccountError);
        expect(isInvalidAccountError(error)).toBe(true);
        expect((error as InvalidAccountError).code).toBe('INVALID_FORMAT');
      }
    }
  });
  it('throws INVALID_LENGTH for a wrong digit count', () => {
    expect(() => validateAccount('1234 5678 9012')).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => validateAccount('4081 7810 0999 1000 4312')).toThrow(
      expect.objectContaining({ code: 'INVALID_LENGTH' }),
    );
    expect(() => validateAccount('')).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });
  it('honours the lengths option', () => {
    expect(validateAccount('1100 2200 3300', { lengths: [12, 14] })).toBe('110022003300');
    expect(validateAccount('3600 0111 2223 33', { lengths: [12, 14] })).toBe('36000111222333');
    expect(() => validateAccount('3600 0111 2223 33', { lengths: [12] })).toThrow(InvalidAccountError);
  });
  it('rejects a bad lengths option up front with a TypeError', () => {
    expect(() => validateAccount('1', { lengths: [] })).toThrow(TypeError);
    expect(() => validateAccount('1', { lengths: [14.5] })).toThrow(TypeError);
    expect(() => validateAccount('1', { lengths: [0] })).toThrow(TypeError);
  });
});

describe('isValidAccount', () => {
  it('is true exactly for 14 ASCII digits after normalization', () => {
    expect(isValidAccount('36000111222333')).toBe(true);
    expect(isValidAccount('36-0001-1122-2333')).toBe(true);
    expect(isValidAccount('3600011122233')).toBe(false);
    expect(isValidAccount('360001112223334')).toBe(false);
    expect(isValidAccount('3600O111222333')).toBe(false);
    expect(isValidAccount('٣٦٠٠٠١١١٢٢٢٣٣٣')).toBe(false);
  });
});

describe('formatAccount and maskAccount', () => {
  it('formats in groups of four', () => {
    expect(formatAccount('36000111222333')).toBe('3600 0111 2223 33');
    expect(formatAccount('110022003300', { lengths: [12] })).toBe('1100 2200 3300');
  });
  it('masks all but the first four and the last two digits', () => {
    expect(maskAccount('3600 0111 2223 33')).toBe('3600 **** **** 33');
    expect(maskAccount('110022003300', { lengths: [12] })).toBe('1100 **** **00');
  });
  it('refuses to format or mask an invalid number', () => {
    expect(() => formatAccount('123')).toThrow(InvalidAccountError);
    expect(() => maskAccount('123')).toThrow(InvalidAccountError);
  });
});
