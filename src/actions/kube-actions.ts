// The actions over the Kubernetes API: SelfSubjectAccessReviews, the resize merge patch and pod
// deletion with a uid precondition.
// Every mutation sent is written to the action log; under --readonly nothing is sent at all.
import { ApiError, type KubeClient } from '../kube/client';
import type { AuditEntry, AuditSink } from './audit';
import { READONLY_MESSAGE, type Access, type AccessResource, type AccessVerb, type ActionObject, type Actions, type Outcome } from './types';

export interface KubeActionsOptions {
  /** The current client (it changes on context switches). */
  readonly client: () => KubeClient;
  readonly context: () => string;
  readonly readonly: boolean;
  readonly audit: AuditSink;
  readonly now?: () => number;
}

const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const MERGE_PATCH = 'application/merge-patch+json';
const GROUPS: Readonly<Record<AccessResource, string>> = { persistentvolumeclaims: '', pods: '' };

interface SsarStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

const enc = encodeURIComponent;
const claimPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims/${enc(name)}`;
const podPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`;

export class KubeActions implements Actions {
  constructor(private readonly o: KubeActionsOptions) {}

  get readonly(): boolean {
    return this.o.readonly;
  }

  private now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  /** Asked anew every time (a dialog opening), so that a permission just granted or taken away counts. */
  access(verb: AccessVerb, resource: AccessResource, namespace: string): Promise<Access> {
    if (this.o.readonly) return Promise.resolve({ allowed: false, reason: READONLY_MESSAGE });
    return this.review(this.o.client(), verb, resource, namespace);
  }

  private async review(client: KubeClient, verb: AccessVerb, resource: AccessResource, namespace: string): Promise<Access> {
    const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb, group: GROUPS[resource], resource } } };
    try {
      const r = await client.request<SsarStatus>('POST', SSAR_PATH, { body, timeoutMs: 10_000 });
      const s = r?.status ?? {};
      if (s.allowed) return { allowed: true, reason: s.reason ?? '' };
      const why = [s.reason, s.evaluationError].filter(Boolean).join('; ');
      return { allowed: false, reason: `not allowed: you cannot ${verb} ${resource} in namespace "${namespace}"${why ? ` (${why})` : ''}` };
    } catch (e) {
      return { allowed: true, unknown: true, reason: `could not check permission (${(e as Error).message}); the server decides` };
    }
  }

  async resizeClaim(namespace: string, name: string, size: string): Promise<Outcome> {
    const body = { spec: { resources: { requests: { storage: size } } } };
    return this.send('resize', { kind: 'PersistentVolumeClaim', namespace, name }, { method: 'PATCH', path: claimPath(namespace, name), contentType: MERGE_PATCH, body });
  }

  async deletePod(namespace: string, name: string, o: { uid?: string; action?: 'delete' | 'restart'; reason?: string } = {}): Promise<Outcome> {
    const body = o.uid ? { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: o.uid } } : undefined;
    return this.send(o.action ?? 'delete', { kind: 'Pod', namespace, name }, { method: 'DELETE', path: podPath(namespace, name), ...(body ? { body } : {}) }, o.reason);
  }

  private async send(action: string, object: ActionObject, req: { method: string; path: string; contentType?: string; body?: unknown }, reason?: string): Promise<Outcome> {
    if (this.o.readonly) return { ok: false, status: 0, sent: false, message: READONLY_MESSAGE };
    let outcome: Outcome;
    try {
      await this.o.client().request(req.method, req.path, { body: req.body, ...(req.contentType ? { contentType: req.contentType } : {}), timeoutMs: 30_000 });
      outcome = { ok: true, status: 200, sent: true, message: '' };
    } catch (e) {
      const err = e as ApiError;
      outcome = { ok: false, status: err instanceof ApiError ? err.status : 0, sent: true, message: err.message };
    }
    const entry: AuditEntry = {
      time: new Date(this.now()).toISOString(),
      context: this.o.context(),
      action,
      verb: req.method === 'PATCH' ? 'patch' : 'delete',
      object,
      request: req,
      result: { ok: outcome.ok, status: outcome.status, message: outcome.message },
      ...(reason ? { reason } : {}),
    };
    const logError = this.o.audit.append(entry);
    return logError ? { ...outcome, logError } : outcome;
  }
}
