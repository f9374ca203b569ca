// Label selectors with k8s.io/apimachinery/pkg/labels' grammar and error messages:
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma = AND.
// The parser mirrors the real one's lexer and recursive descent so that a malformed selector
// fails with the same text kube-apiserver puts in its 400 response.
import { fieldErrorString, goQuote, type FieldError } from './errors';
import { isLabelKey, isLabelValue } from './names';

type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export type LabelSelector = Requirement[];

enum Tok {
  Error,
  End,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const literalTokens: Record<string, Tok> = {
  ')': Tok.ClosedPar, ',': Tok.Comma, '!': Tok.DoesNotExist, '==': Tok.DoubleEquals, '=': Tok.Equals,
  '>': Tok.GreaterThan, in: Tok.In, '<': Tok.LessThan, '!=': Tok.NotEquals, notin: Tok.NotIn, '(': Tok.OpenPar,
};
const binaryOperators = 'in, notin, =, ==, !=, gt, lt';
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Array<[Tok, string]> {
  const out: Array<[Tok, string]> = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push([Tok.End, '']);
      return out;
    }
    if (isSpecial(s[pos])) {
      // Longest run of special symbols that still forms a known token.
      let buf = '';
      let last: [Tok, string] | null = null;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const t = literalTokens[buf];
        if (t !== undefined) last = [t, buf];
        else if (last) break;
        pos++;
      }
      out.push(last ?? [Tok.Error, `error expected: keyword found '${buf}'`]);
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) buf += s[pos++];
      const t = literalTokens[buf];
      out.push([t === Tok.In || t === Tok.NotIn ? t : Tok.Identifier, buf]);
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Array<[Tok, string]>) {}

  /** In a value context `in` and `notin` are plain identifiers. */
  private look(values: boolean): [Tok, string] {
    const [t, l] = this.items[this.pos];
    return values && (t === Tok.In || t === Tok.NotIn) ? [Tok.Identifier, l] : [t, l];
  }
  private next(values: boolean): [Tok, string] {
    const r = this.look(values);
    this.pos++;
    return r;
  }

  parse(): LabelSelector {
    const reqs: Requirement[] = [];
    for (;;) {
      const [t, lit] = this.look(true);
      if (t === Tok.Identifier || t === Tok.DoesNotExist) {
        let r: Requirement;
        try {
          r = this.requirement();
        } catch (e) {
          throw new Error(`unable to parse requirement: ${(e as Error).message}`);
        }
        reqs.push(r);
        const [t2, l2] = this.next(true);
        if (t2 === Tok.End) return reqs;
        if (t2 === Tok.Comma) {
          const [t3, l3] = this.look(true);
          if (t3 !== Tok.Identifier && t3 !== Tok.DoesNotExist) throw new Error(`found '${l3}', expected: identifier after ','`);
        } else throw new Error(`found '${l2}', expected: ',' or 'end of string'`);
      } else if (t === Tok.End) return reqs;
      else throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private requirement(): Requirement {
    let op: Op | undefined;
    let [t, lit] = this.next(true);
    if (t === Tok.DoesNotExist) {
      op = '!';
      [t, lit] = this.next(true);
    }
    if (t !== Tok.Identifier) throw new Error(`found '${lit}', expected: identifier`);
    const keyErrs = isLabelKey(lit);
    // The real parser validates the key against a nil field path, hence "<nil>".
    if (keyErrs.length) throw new Error(fieldErrorString({ type: 'Invalid', field: '<nil>', badValue: lit, detail: keyErrs.join('; ') }));
    const key = lit;
    const [la] = this.look(true);
    if (la === Tok.End || la === Tok.Comma) return newRequirement(key, op ?? 'exists', []);
    if (op === '!') return newRequirement(key, '!', []);
    const [ot, ol] = this.next(false);
    const ops: Partial<Record<Tok, Op>> = {
      [Tok.In]: 'in', [Tok.Equals]: '=', [Tok.DoubleEquals]: '==', [Tok.GreaterThan]: 'gt',
      [Tok.LessThan]: 'lt', [Tok.NotIn]: 'notin', [Tok.NotEquals]: '!=',
    };
    op = ops[ot];
    if (!op) throw new Error(`found '${ol}', expected: ${binaryOperators}`);
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const [t, lit] = this.next(true);
    if (t !== Tok.OpenPar) throw new Error(`found '${lit}' expected: '('`);
    const [t2, l2] = this.look(true);
    if (t2 === Tok.Identifier || t2 === Tok.Comma) {
      const s = this.identifiers();
      if (this.next(true)[0] !== Tok.ClosedPar) throw new Error(`found '${l2}', expected: ')'`);
      return s;
    }
    if (t2 === Tok.ClosedPar) {
      this.next(true);
      return [''];
    }
    throw new Error(`found '${l2}', expected: ',', ')' or identifier`);
  }

  private identifiers(): string[] {
    const s = new Set<string>();
    for (;;) {
      const [t, lit] = this.next(true);
      if (t === Tok.Identifier) {
        s.add(lit);
        const [t2, l2] = this.look(true);
        if (t2 === Tok.Comma) continue;
        if (t2 === Tok.ClosedPar) return [...s];
        throw new Error(`found '${l2}', expected: ',' or ')'`);
      } else if (t === Tok.Comma) {
        if (s.size === 0) s.add('');
        const [t2] = this.look(true);
        if (t2 === Tok.ClosedPar) {
          s.add('');
          return [...s];
        }
        if (t2 === Tok.Comma) s.add('');
      } else throw new Error(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const [t] = this.look(true);
    if (t === Tok.End || t === Tok.Comma) return [''];
    const [t2, lit] = this.next(true);
    if (t2 === Tok.Identifier) return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** labels.NewRequirement's checks; the error is an aggregate of field errors. */
function newRequirement(key: string, op: Op, values: string[]): Requirement {
  const errs: FieldError[] = [];
  const keyErrs = isLabelKey(key);
  if (keyErrs.length) errs.push({ type: 'Invalid', field: 'key', badValue: key, detail: keyErrs.join('; ') });
  if ((op === 'in' || op === 'notin') && values.length === 0) errs.push({ type: 'Invalid', field: 'values', badValue: values, detail: "for 'in', 'notin' operators, values set can't be empty" });
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errs.push({ type: 'Invalid', field: `values[${i}]`, badValue: v, detail: "for 'Gt', 'Lt' operators, the value must be an integer" });
    });
  }
  values.forEach((v, i) => {
    const vErrs = isLabelValue(v);
    if (vErrs.length) errs.push({ type: 'Invalid', field: `values[${i}][${key}]`, badValue: v, detail: vErrs.join('; ') });
  });
  if (errs.length) {
    const msgs = [...new Set(errs.map(fieldErrorString))];
    throw new Error(msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);
  }
  return { key, op, values };
}

/** Parses a selector string; throws Error with the apiserver's message on bad syntax. */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new Parser(lex(s)).parse();
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const ls = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(ls, r.key);
    const v = has ? ls[r.key] : undefined;
    switch (r.op) {
      case 'in':
      case '=':
      case '==':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'notin':
      case '!=':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^[+-]?\d+$/.test(v!)) return false;
        const a = Number(v);
        const b = Number(r.values[0]);
        if (r.op === 'gt' ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

export { goQuote };
