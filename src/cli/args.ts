import { InvalidArgumentError } from 'commander';
import { resolveLengths } from '../account.js';

export function parseLengths(value: string): number[] {
  const lengths = value.split(',').map((s) => Number(s.trim()));
  try {
    resolveLengths({ lengths });
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return lengths;
}

export function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return n;
  };
}

export function parseShard(value: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i >= n) throw new InvalidArgumentError('expected I/N with 0 ≤ I < N, e.g. 0/4');
  return [i, n];
}

export const collect = (value: string, previous: string[]) => [...previous, value];
