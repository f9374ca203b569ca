// A seeded random integer source for property tests: rand(n) gives 0..n-1. A 32-bit LCG done in
// integer arithmetic (Math.imul), reading its high bits: the same LCG in doubles loses the low
// bits of the product past 2^53, and `seed % n` then falls on a few values only.
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}
