// `csi-top doctor`: every finding with its chain and next commands, and a summary. The CLI
// decides the exit code from `summary.error`.
import type { StoreReader } from '../store';
import { computeFindings, summarize } from '../verdicts';
import type { Finding, VerdictOptions } from '../verdicts/types';
import { chainOf, nextCommands } from './next';
import { API_VERSION, type DoctorDoc, type ReportFinding } from './types';
import { findingInScope } from '../scope';

export interface ReportOptions extends VerdictOptions {
  /** The kubeconfig context (or "demo"). */
  readonly context: string;
  /** Report only what concerns this namespace (see store/scope.ts); null or absent = all. */
  readonly namespace?: string | null;
}

/** The findings of the scope: judged on the whole store, reported for the namespace. */
export function scopedFindings(store: StoreReader, opts: ReportOptions): readonly Finding[] {
  const { context: _context, namespace, ...verdictOpts } = opts; // eslint-disable-line @typescript-eslint/no-unused-vars
  const all = computeFindings(store, verdictOpts);
  return namespace ? all.filter((f) => findingInScope(f, namespace)) : all;
}

export function reportFindings(store: StoreReader, findings: readonly Finding[]): ReportFinding[] {
  return findings.map((f) => ({ ...f, chain: chainOf(store, f), next: nextCommands(store, f) }));
}

export function buildDoctor(store: StoreReader, opts: ReportOptions): DoctorDoc {
  const findings = scopedFindings(store, opts);
  return { apiVersion: API_VERSION, kind: 'Doctor', context: opts.context, ...(opts.namespace ? { namespace: opts.namespace } : {}), findings: reportFindings(store, findings), summary: summarize(findings) };
}
