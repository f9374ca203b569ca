// resource.Quantity parsing, enough to compare storage sizes ("10Gi" > "5368709120").

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value as a number, or NaN when it is not a valid quantity. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return n * (binary[suffix] ?? decimal[suffix]);
}

/** Formats bytes the way kubectl users write them (largest exact binary unit). */
export function formatBytes(n: number): string {
  for (const [u, f] of Object.entries(binary).reverse()) if (n >= f && n % f === 0) return `${n / f}${u}`;
  return String(n);
}

const decimalExp: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalSuffix = Object.fromEntries(Object.entries(decimalExp).map(([s, e]) => [e, s]));
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * resource.Quantity's canonical String() (how the apiserver prints a quantity it parsed):
 * "1.5Gi" → "1536Mi", "2000M" → "2G", "1073741824" stays. Unparsable input is returned as is.
 */
export function canonicalQuantity(q: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m || (!m[2] && !m[3])) return q;
  const [, sign, int = '', frac = '', expPart, suffix = ''] = m;
  // value = n * 10^scale (exact)
  let n = BigInt((int || '0') + frac);
  let scale = -frac.length;
  let format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent' = expPart ? 'DecimalExponent' : suffix.endsWith('i') ? 'BinarySI' : 'DecimalSI';
  if (expPart) scale += Number(expPart.slice(1));
  else if (format === 'DecimalSI') scale += decimalExp[suffix];
  else n *= 1024n ** BigInt(binarySuffixes.indexOf(suffix));
  const neg = sign === '-' && n !== 0n;
  while (n !== 0n && n % 10n === 0n) {
    n /= 10n;
    scale++;
  }
  if (n === 0n) scale = 0;
  if (format === 'BinarySI') {
    const small = scale <= 0 && n < 1024n * 10n ** BigInt(-scale);
    if (small || scale < 0) format = 'DecimalSI';
    else {
      let bytes = n * 10n ** BigInt(scale);
      let e = 0;
      while (e < 6 && bytes % 1024n === 0n && bytes !== 0n) {
        bytes /= 1024n;
        e++;
      }
      return `${neg ? '-' : ''}${bytes}${binarySuffixes[e]}`;
    }
  }
  // Decimal: an integer mantissa with the largest exponent that is a multiple of 3 (>= -9).
  let e3 = Math.floor(scale / 3) * 3;
  if (e3 < -9) e3 = -9;
  const mant = scale >= e3 ? n * 10n ** BigInt(scale - e3) : n; // (never below -9 in practice)
  if (format === 'DecimalExponent') return `${neg ? '-' : ''}${mant}${e3 ? `e${e3}` : ''}`;
  if (e3 > 18) return `${neg ? '-' : ''}${mant * 10n ** BigInt(e3 - 18)}E`;
  return `${neg ? '-' : ''}${mant}${decimalSuffix[e3]}`;
}
