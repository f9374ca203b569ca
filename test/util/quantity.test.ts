import { describe, expect, it } from 'vitest';
import { compareQuantities, formatBytes, parseQuantity, QuantityError } from '../../src/util/quantity';

// Values follow apimachinery's resource.Quantity: Value() rounds up to an integer.
const valid: [string, bigint][] = [
  ['20Gi', 20n * 1024n ** 3n],
  ['1.5Ti', 1536n * 1024n ** 3n],
  ['500G', 500n * 10n ** 9n],
  ['21474836480', 21474836480n],
  ['1Ki', 1024n],
  ['1k', 1000n],
  ['1M', 1000000n],
  ['1Ei', 1n << 60n],
  ['1E', 10n ** 18n],
  ['100m', 1n], // 0.1 rounds up
  ['1500m', 2n],
  ['1e3', 1000n],
  ['1E3', 1000n],
  ['1e-3', 1n],
  ['.5Gi', 512n * 1024n ** 2n],
  ['5.', 5n],
  ['+5Gi', 5n * 1024n ** 3n],
  ['0', 0n],
  ['0.1Ki', 103n], // 102.4 rounds up
  [' 10Gi ', 10n * 1024n ** 3n],
];

const invalid = ['', 'Gi', '10 Gi', '10gi', '10GB', '10Gib', '1.2.3', '10KiB', 'ten', '1e', '1e+', '10Mi5', '--1', '.', '1K', '0x10'];

describe('parseQuantity', () => {
  it.each(valid)('%s = %s bytes', (text, bytes) => {
    expect(parseQuantity(text).value).toBe(bytes);
  });
  it.each(invalid)('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
  });
  it('compares exactly across suffixes', () => {
    const c = (a: string, b: string) => compareQuantities(parseQuantity(a), parseQuantity(b));
    expect(c('1Gi', '1073741824')).toBe(0);
    expect(c('1G', '1Gi')).toBe(-1);
    expect(c('1.5Gi', '1536Mi')).toBe(0);
    expect(c('1001m', '1')).toBe(1);
    expect(c('20Gi', '10Gi')).toBe(1);
  });
  it('negative quantities parse (the apiserver rejects them for storage; validation does too)', () => {
    expect(parseQuantity('-1Gi').value).toBe(-(1024n ** 3n));
  });
});

describe('formatBytes', () => {
  it('formats binary sizes', () => {
    expect(formatBytes(0)).toBe('0');
    expect(formatBytes(1024)).toBe('1Ki');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5Gi');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10Gi');
    expect(formatBytes(123.4 * 1024 ** 2)).toBe('123Mi');
    expect(formatBytes(NaN)).toBe('');
  });
});
