/**
 * Validation of Rostelecom personal account numbers («лицевой счёт»), after python-stdnum's identifier
 * modules: normalize, validate (returns the number or throws), isValid, format, mask.
 *
 * Rostelecom publishes no check digit for the account, so none is invented here: a valid account is
 * exactly a run of ASCII digits of an accepted length (14 by default; 12 in some regions).
 */
import { InvalidAccountError } from './errors.js';

export const DEFAULT_LENGTHS: readonly number[] = Object.freeze([14]);

export interface AccountOptions {
  /** Accepted digit counts. Default `[14]`; `[12, 14]` also accepts the older 12-digit regional accounts. */
  lengths?: readonly number[];
}

/** Spaces of every width, and every dash and dot that people and PDF producers put between digit groups. */
const SEPARATORS = /[\s\u00A0\u2000-\u200B\u202F\u205F\u3000\u2010-\u2015\u2212.-]/gu;

/** Removes grouping separators: `1234 5678-9012.34` → `12345678901234`. Other characters are kept. */
export function normalizeAccount(raw: string): string {
  return String(raw).replace(SEPARATORS, '');
}

/** Checks an options object up front, so a bad `lengths` fails loudly instead of matching nothing. */
export function resolveLengths(options?: AccountOptions): readonly number[] {
  const lengths = options?.lengths ?? DEFAULT_LENGTHS;
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new TypeError('lengths must be a non-empty array of digit counts, e.g. [14] or [12, 14]');
  }
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 6 || n > 30) {
      throw new TypeError(`lengths: ${String(n)} is not a digit count between 6 and 30`);
    }
  }
  return lengths;
}

/** Returns the normalized account, or throws {@link InvalidAccountError} saying why it is not one. */
export function validateAccount(raw: string, options?: AccountOptions): string {
  const lengths = resolveLengths(options);
  const number = normalizeAccount(raw);
  if (!/^[0-9]*$/.test(number)) {
    throw new InvalidAccountError('INVALID_FORMAT', 'an account number has only digits and grouping separators');
  }
  if (!lengths.includes(number.length)) {
    throw new InvalidAccountError(
      'INVALID_LENGTH',
      `an account number has ${lengths.join(' or ')} digits, this one has ${number.length}`,
    );
  }
  return number;
}

export function isValidAccount(raw: string, options?: AccountOptions): boolean {
  try {
    validateAccount(raw, options);
    return true;
  } catch (error) {
    if (error instanceof InvalidAccountError) return false;
    throw error;
  }
}

/** `12345678901234` → `1234 5678 9012 34`: groups of four, as bills print it. */
export function formatAccount(raw: string, options?: AccountOptions): string {
  return validateAccount(raw, options).replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** `12345678901234` → `1234 **** **** 34`: enough to tell accounts apart in logs, not to use one. */
export function maskAccount(raw: string, options?: AccountOptions): string {
  const number = validateAccount(raw, options);
  const masked = number.slice(0, 4) + '*'.repeat(number.length - 6) + number.slice(-2);
  return masked.replace(/(.{4})(?=.)/g, '$1 ');
}
