// Deterministic randomness for scenarios: the same seed builds the same cluster, byte for byte
// (uids, generated name suffixes, usage numbers), so tests and bug reports can name objects.
import { createHash } from 'node:crypto';

/** Characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

export class Rand {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | string) {
    // Expand the seed through sha256 so nearby seeds give unrelated streams.
    const h = createHash('sha256').update(String(seed)).digest();
    this.s0 = h.readUInt32LE(0);
    this.s1 = h.readUInt32LE(4);
    this.s2 = h.readUInt32LE(8);
    this.s3 = h.readUInt32LE(12) | 1;
  }

  /** sfc32: small, fast, good enough for test data. Returns [0, 1). */
  next(): number {
    const t = (((this.s0 + this.s1) | 0) + this.s3) | 0;
    this.s3 = (this.s3 + 1) | 0;
    this.s0 = this.s1 ^ (this.s1 >>> 9);
    this.s1 = (this.s2 + (this.s2 << 3)) | 0;
    this.s2 = (this.s2 << 21) | (this.s2 >>> 11);
    this.s2 = (this.s2 + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chars(alphabet: string, n: number): string {
    // One flat string (a `+=` loop leaves a rope of n pieces: ~1 KiB per uid at --scale).
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(this.int(alphabet.length));
    return String.fromCharCode(...codes);
  }

  hex(n: number): string {
    return this.chars(HEX, n);
  }

  /** A random (version 4) UUID, as the apiserver assigns to metadata.uid (one flat string). */
  uid(): string {
    const codes = new Array<number>(36);
    for (let i = 0; i < 36; i++) codes[i] = HEX.charCodeAt(this.int(16));
    codes[8] = codes[13] = codes[18] = codes[23] = 45; // '-'
    codes[14] = 52; // '4': version 4
    codes[19] = HEX.charCodeAt(8 + this.int(4)); // variant 10xx
    return String.fromCharCode(...codes);
  }

  /** The 5-character suffix of generateName (`web-7d9f8c6b5-x4k2p`). */
  nameSuffix(n = 5): string {
    return this.chars(NAME_ALPHABET, n);
  }

  /** JuiceFS mount pod names end in 6 lower-case letters (util.RandStringRunes). */
  letters(n: number): string {
    return this.chars(LOWER, n);
  }

  /** A ReplicaSet's pod-template-hash / DaemonSet's controller-revision-hash. */
  templateHash(): string {
    return this.chars(NAME_ALPHABET, 9 + this.int(2));
  }
}

export function sha256hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
