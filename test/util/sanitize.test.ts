import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLines } from '../../src/util/sanitize';

const ESC = '\x1b';

describe('sanitize', () => {
  const cases: [string, string, string][] = [
    ['plain ASCII', 'web-0', 'web-0'],
    ['printable unicode', 'héllo 世界 🙂 ✗', 'héllo 世界 🙂 ✗'],
    ['SGR colour', `${ESC}[31mred${ESC}[0m`, 'red'],
    ['cursor movement', `a${ESC}[2J${ESC}[H${ESC}[10;20Hb`, 'ab'],
    ['private mode', `${ESC}[?1049lx${ESC}[?25h`, 'x'],
    ['CSI with intermediates', `${ESC}[1 qcursor`, 'cursor'],
    ['OSC title with BEL', `${ESC}]0;pwned${'\x07'}name`, 'name'],
    ['OSC title with ST', `${ESC}]2;pwned${ESC}\\name`, 'name'],
    ['OSC 52 clipboard', `x${ESC}]52;c;cm0gLXJmIC8K${'\x07'}y`, 'xy'],
    ['OSC 8 hyperlink', `${ESC}]8;;http://evil${ESC}\\link${ESC}]8;;${ESC}\\`, 'link'],
    ['unterminated OSC eats the rest', `ok${ESC}]0;title forever`, 'ok'],
    ['DCS', `${ESC}P1$r0m${ESC}\\after`, 'after'],
    ['SOS', `${ESC}Xhidden${ESC}\\shown`, 'shown'],
    ['PM', `${ESC}^hidden${ESC}\\shown`, 'shown'],
    ['APC', `${ESC}_hidden${ESC}\\shown`, 'shown'],
    ['C1 CSI', 'a\x9b31mb', 'ab'],
    ['C1 OSC', 'a\x9d0;t\x07b', 'ab'],
    ['C1 DCS with C1 ST', 'a\x90junk\x9cb', 'ab'],
    ['lone C1 bytes', 'a\x85\x8d\x8e\x9cb', 'ab'],
    ['lone ESC at end', `abc${ESC}`, 'abc'],
    ['ESC before unicode', `a${ESC}é`, 'aé'],
    ['two-byte escapes', `${ESC}7a${ESC}8b${ESC}cc${ESC}(Bd`, 'abcd'],
    ['BEL and backspace', 'ding\x07\x08\x08!', 'ding!'],
    ['DEL', 'a\x7fb', 'ab'],
    ['NUL and other C0', 'a\x00\x01\x1a\x1cb', 'ab'],
    ['tab to spaces', 'a\tb', 'a   b'],
    ['newlines become one space', 'line one\nline two\r\nthree', 'line one line two three'],
    ['carriage return overwrite trick', 'safe\rEVIL', 'safe EVIL'],
    ['bidi override (Trojan Source)', 'abc\u202eevil\u202c def', 'abcevil def'],
    ['bidi isolates and marks', '\u2066x\u2069\u200ey\u200f', 'xy'],
    ['right-to-left text itself stays', 'שלום مرحبا', 'שלום مرحبا'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => expect(sanitize(input)).toBe(want));
  }

  it('splits lines and cleans each', () => {
    expect(sanitizeLines(`a${ESC}[1mb\nc\r\nd\re`)).toEqual(['ab', 'c', 'd', 'e']);
    expect(sanitizeLines('one\ntwo')).toEqual(['one', 'two']);
  });

  it('returns the same string when there is nothing to strip', () => {
    const s = 'kube-system/juicefs-n1-pvc-1234-abcdef';
    expect(sanitize(s)).toBe(s);
  });
});

describe('sanitize fuzz', () => {
  // A small deterministic PRNG so failures reproduce.
  function rng(seed: number) {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
  }
  const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const SPICE = ['\u202e', '\u2067', '\u200f', '\x1b', '\x1b[', '\x1b]', '\x1bP', '\x1b\\', '\x07', '\x9b', '\x9d', '\x9c', ';', '0', '52', 'm', '\n', '\t'];

  it('random bytes in, nothing but printable text out', () => {
    const rand = rng(42);
    for (let n = 0; n < 3000; n++) {
      const len = Math.floor(rand() * 200);
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rand() * 256);
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        const out = sanitize(text);
        expect(CONTROL.test(out)).toBe(false);
        expect(out.includes('\t')).toBe(false);
        for (const line of sanitizeLines(text)) expect(CONTROL.test(line) || line.includes('\t')).toBe(false);
      }
    }
  });

  it('random escape-heavy text in, no escape out, printable letters kept', () => {
    const rand = rng(7);
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const parts = Math.floor(rand() * 30);
      for (let i = 0; i < parts; i++) s += rand() < 0.5 ? SPICE[Math.floor(rand() * SPICE.length)] : String.fromCharCode(0x20 + Math.floor(rand() * 0x5f));
      const out = sanitize(s);
      expect(CONTROL.test(out)).toBe(false);
      expect(out.includes('\x1b')).toBe(false);
      expect(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(out)).toBe(false);
    }
  });

  it('keeps long lines whole', () => {
    const line = `${'x'.repeat(1000)}\x1b[31m${'y'.repeat(1000)}`.repeat(100);
    expect(sanitize(line)).toHaveLength(200_000);
  });
});
