// Kubernetes resource quantities (apimachinery's resource.Quantity grammar), exact with BigInt:
//   quantity ::= signedNumber suffix;  suffix ::= binarySI | decimalSI | ("e"|"E") signedNumber
//   binarySI ::= Ki|Mi|Gi|Ti|Pi|Ei;  decimalSI ::= m | "" | k | M | G | T | P | E
//   number ::= digits | digits "." digits | digits "." | "." digits
// Used to validate resize input and to compare sizes; never to round-trip the user's text.

export interface Quantity {
  /** Exact value as numerator / 10^scale (scale ≥ 0). */
  readonly num: bigint;
  readonly scale: number;
  /** The value rounded up to a whole number, as apimachinery's Value() does. */
  readonly value: bigint;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Ti: 40, Gi: 30, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|m|k|M|G|T|P|E)?$/;

export class QuantityError extends Error {}

/** Parses a quantity; throws QuantityError with the apiserver-like reason when it is not one. */
export function parseQuantity(text: string): Quantity {
  const s = text.trim();
  if (s === '') throw new QuantityError('quantity is empty');
  const m = RE.exec(s);
  if (!m) throw new QuantityError(`"${text}" is not a quantity (e.g. 20Gi, 1.5Ti, 500G, 21474836480)`);
  const [, sign, number, suffix = ''] = m;
  const [intPart, fracPart = ''] = number.split('.');
  let num = BigInt((intPart || '0') + fracPart);
  let scale = fracPart.length;
  if (suffix in BINARY) {
    num *= 1n << BigInt(BINARY[suffix]);
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) throw new QuantityError(`"${text}": exponent out of range`);
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else scale -= exp;
  }
  if (sign === '-') num = -num;
  const d = 10n ** BigInt(scale);
  const value = num >= 0n ? (num + d - 1n) / d : num / d;
  return { num, scale, value };
}

/** -1, 0 or 1, exactly. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const s = Math.max(a.scale, b.scale);
  const x = a.num * 10n ** BigInt(s - a.scale);
  const y = b.num * 10n ** BigInt(s - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Bytes of a quantity string, or NaN when it does not parse (for display and sorting). */
export function quantityBytes(text: string): number {
  if (!text) return NaN;
  try {
    return Number(parseQuantity(text).value);
  } catch {
    return NaN;
  }
}

/** Human-readable binary size: 1.5Gi, 512Mi, 900. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let i = 0;
  let v = Math.abs(n);
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v >= 100 || i === 0 ? 0 : v >= 10 ? 1 : 2;
  const str = v.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1');
  return `${n < 0 ? '-' : ''}${str}${units[i]}`;
}
