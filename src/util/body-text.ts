// HTTP bodies as text.
import { isAscii } from 'node:buffer';

/**
 * A body as text. API responses are nearly always pure ASCII (Go escapes nothing, but names,
 * labels and most messages are ASCII): checking that (SIMD) and copying the bytes as Latin-1
 * is ~4× cheaper than UTF-8 decoding, and a 10k-pod list is ~65 MiB of it at start-up.
 */
export function bodyText(buf: Buffer): string {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}
