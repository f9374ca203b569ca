// `csi-top doctor -o text`: findings grouped by severity, each with its evidence, the pods it
// breaks, the chain and the next command. Plain text unless asked for colour.
import type { Severity } from '../verdicts/types';
import { refText } from '../topology/refs';
import type { DoctorDoc, ReportFinding } from './types';

export interface TextOptions {
  readonly color: boolean;
  /** ASCII markers and arrows only (no unicode). */
  readonly ascii?: boolean;
}

const SGR = { red: '31', yellow: '33', cyan: '36', green: '32', bold: '1', dim: '2' } as const;

const GROUPS: readonly { severity: Severity; title: string; color: keyof typeof SGR; mark: string; ascii: string }[] = [
  { severity: 'error', title: 'ERRORS', color: 'red', mark: '✗', ascii: 'x' },
  { severity: 'warning', title: 'WARNINGS', color: 'yellow', mark: '!', ascii: '!' },
  { severity: 'info', title: 'INFO', color: 'cyan', mark: 'i', ascii: 'i' },
];

const MAX_EVIDENCE = 8;
const MAX_AFFECTS = 8;

export function renderDoctorText(doc: DoctorDoc, opts: TextOptions): string {
  const paint = (code: keyof typeof SGR, s: string) => (opts.color ? `\x1b[${SGR[code]}m${s}\x1b[0m` : s);
  const arrow = opts.ascii ? ' -> ' : ' → ';
  const dot = opts.ascii ? '-' : '·';
  const { error, warning, info } = doc.summary;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines: string[] = [
    `${paint('bold', 'csi-top doctor')} ${dot} context ${doc.context || '(none)'} ${dot} ${doc.namespace ? `namespace ${doc.namespace} ${dot} ` : ''}${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`,
  ];
  if (doc.findings.length === 0) {
    lines.push('', paint('green', `${opts.ascii ? 'ok' : '✓'} no findings: every CSI driver, volume and mount looks healthy`));
    return lines.join('\n') + '\n';
  }
  for (const g of GROUPS) {
    const fs = doc.findings.filter((f) => f.severity === g.severity);
    if (fs.length === 0) continue;
    if (lines[lines.length - 1] !== '') lines.push('');
    lines.push(paint(g.color, paint('bold', `${g.title} (${fs.length})`)));
    for (const f of fs) lines.push(...renderFinding(f, (s) => paint(g.color, s), paint, opts.ascii ? g.ascii : g.mark, arrow, dot), '');
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}

function renderFinding(
  f: ReportFinding,
  tint: (s: string) => string,
  paint: (code: keyof typeof SGR, s: string) => string,
  mark: string,
  arrow: string,
  dot: string,
): string[] {
  const where = [f.driver ? `driver ${f.driver}` : '', f.node ? `node ${f.node}` : ''].filter(Boolean).join(` ${dot} `);
  const label = (s: string) => paint('dim', s.padEnd(10));
  const heading = (s: string) => paint('dim', s);
  const out = [`${tint(`${mark} ${f.code}`)}  ${refText(f.object)}${where ? paint('dim', `  ${where}`) : ''}`, `  ${f.message}`];
  if (f.evidence.length) {
    out.push(`  ${heading('evidence:')}`);
    for (const e of f.evidence.slice(0, MAX_EVIDENCE)) out.push(`    ${dot} ${e}`);
    if (f.evidence.length > MAX_EVIDENCE) out.push(`    ${dot} … ${f.evidence.length - MAX_EVIDENCE} more`);
  }
  if (f.affects.length) {
    const shown = f.affects.slice(0, MAX_AFFECTS).map(refText).join(', ');
    out.push(`  ${label('affects:')}${shown}${f.affects.length > MAX_AFFECTS ? ` and ${f.affects.length - MAX_AFFECTS} more` : ''}`);
  }
  if (f.chain.length > 1) out.push(`  ${label('chain:')}${f.chain.join(arrow)}`);
  f.next.forEach((n, i) => out.push(`  ${label(i === 0 ? 'next:' : '')}${n}`));
  return out;
}
