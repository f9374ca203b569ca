// `csi-top doctor`: every finding with its chain and next commands, and a summary. The CLI
// decides the exit code from `summary.error`.
import type { StoreReader } from '../store';
import { computeFindings, summarize } from '../verdicts';
import type { Finding, VerdictOptions } from '../verdicts/types';
import { chainOf, nextCommands } from './next';
import { API_VERSION, type DoctorDoc, type ReportFinding } from './types';

export interface ReportOptions extends VerdictOptions {
  /** The kubeconfig context (or "demo"). */
  readonly context: string;
}

export function reportFindings(store: StoreReader, findings: readonly Finding[]): ReportFinding[] {
  return findings.map((f) => ({ ...f, chain: chainOf(store, f), next: nextCommands(store, f) }));
}

export function buildDoctor(store: StoreReader, opts: ReportOptions): DoctorDoc {
  const { context, ...verdictOpts } = opts;
  const findings = computeFindings(store, verdictOpts);
  return { apiVersion: API_VERSION, kind: 'Doctor', context, findings: reportFindings(store, findings), summary: summarize(findings) };
}
