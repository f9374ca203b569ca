// Field selectors with k8s.io/apimachinery/pkg/fields' syntax (`a=b`, `a==b`, `a!=b`, comma =
// AND, `\,` `\=` `\\` escapes) and the apiserver's per-kind label check
// (`field label not supported: X`).
import { fieldGetter, type FieldGetter, type ResourceInfo } from './resources';
import type { KubeObject } from './types';

export interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
  get: FieldGetter;
}

function splitTerms(s: string): string[] {
  if (!s) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function unescape(v: string): string {
  if (!/[\\,=]/.test(v)) return v;
  let out = '';
  let inSlash = false;
  for (const c of v) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Parses and checks a field selector for a kind; throws Error with the apiserver's message. */
export function parseFieldSelector(r: ResourceInfo, s: string): FieldRequirement[] {
  const parts = splitTerms(s).sort();
  const out: FieldRequirement[] = [];
  for (const part of parts) {
    if (!part) continue;
    let found: [string, string, string] | null = null;
    for (let i = 0; i < part.length && !found; i++) {
      for (const op of ['!=', '==', '=']) {
        if (part.startsWith(op, i)) {
          found = [part.slice(0, i), op, part.slice(i + op.length)];
          break;
        }
      }
    }
    if (!found) throw new Error(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, op, raw] = found;
    const value = unescape(raw);
    const get = fieldGetter(r, field);
    if (!get) throw new Error(`field label not supported: ${field}`);
    out.push({ field, value, negate: op === '!=', get });
  }
  return out;
}

export function matchesFields(reqs: FieldRequirement[], o: KubeObject): boolean {
  for (const r of reqs) if ((r.get(o) === r.value) === r.negate) return false;
  return true;
}
