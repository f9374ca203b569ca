// Authentication and authorization. Bearer tokens map to users; a request without credentials
// is `system:anonymous`, which (as with kube-apiserver's default RBAC) may only read /version,
// /healthz, /readyz and /livez; a token that maps to no user is 401 everywhere. Every
// authenticated user may do everything except what `deny` rules take away, and refusals use
// the RBAC authorizer's message (responsewriters.forbiddenMessage).
import { forbidden, type ApiError } from './errors';

export const ANONYMOUS = 'system:anonymous';

/** Paths system:public-info-viewer grants to everyone, anonymous included. */
const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/readyz', '/livez']);

const SELF_REVIEWS = new Set(['selfsubjectaccessreviews.authorization.k8s.io', 'selfsubjectrulesreviews.authorization.k8s.io', 'selfsubjectreviews.authentication.k8s.io']);

export interface RequestAttributes {
  user: string;
  verb: string;
  /** Resource requests. */
  resource?: string;
  subresource?: string;
  group?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests. */
  path?: string;
}

export interface DenyRule {
  /** Unset: every user. */
  user?: string;
  /** A verb (get, list, watch, create, update, patch, delete, deletecollection) or '*'. */
  verb: string;
  /** Resource plural, or `resource/subresource`. */
  resource: string;
  subresource?: string;
  /** Unset: any namespace (and cluster scope). */
  namespace?: string;
  /** Unset: any group. */
  group?: string;
}
// A rule with resource '*' covers every resource and subresource, as in RBAC.

export class Rbac {
  private rules: DenyRule[] = [];

  /** Takes a permission away (from one user, or from everyone). */
  deny(rule: DenyRule): void {
    const [resource, sub] = rule.resource.split('/');
    this.rules.push({ ...rule, resource, subresource: rule.subresource ?? sub ?? '' });
  }

  reset(): void {
    this.rules = [];
  }

  allowed(a: RequestAttributes): boolean {
    if (a.path !== undefined && a.resource === undefined) {
      return a.user !== ANONYMOUS || PUBLIC_PATHS.has(a.path);
    }
    if (a.user === ANONYMOUS) return false;
    // system:basic-user, bound to every authenticated user: asking what one may do is always allowed.
    if (a.verb === 'create' && SELF_REVIEWS.has(`${a.resource}.${a.group ?? ''}`)) return true;
    return !this.rules.some(
      (r) =>
        (r.user === undefined || r.user === a.user) &&
        (r.verb === '*' || r.verb === a.verb) &&
        (r.resource === '*' || (r.resource === a.resource && (r.subresource ?? '') === (a.subresource ?? ''))) &&
        (r.group === undefined || r.group === (a.group ?? '')) &&
        (r.namespace === undefined || r.namespace === (a.namespace ?? '')),
    );
  }

  /** The 403 kube-apiserver answers for a refused request. */
  refusal(a: RequestAttributes): ApiError {
    if (a.resource === undefined) return forbidden({ group: '', resource: '' }, '', `User "${a.user}" cannot ${a.verb} path "${a.path}"`);
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    return forbidden({ group: a.group ?? '', resource: a.resource }, a.name ?? '', `User "${a.user}" cannot ${a.verb} resource "${res}" in API group "${a.group ?? ''}" ${scope}`);
  }
}

export interface SsarSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string; version?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** SelfSubjectAccessReview status for a user, from the same rules. */
export function review(rbac: Rbac, user: string, spec: SsarSpec): { allowed: boolean; reason?: string } {
  let allowed: boolean;
  if (spec.resourceAttributes) {
    const r = spec.resourceAttributes;
    allowed = rbac.allowed({ user, verb: r.verb ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', group: r.group ?? '', namespace: r.namespace ?? '', name: r.name });
  } else {
    const n = spec.nonResourceAttributes ?? {};
    allowed = rbac.allowed({ user, verb: n.verb ?? '', path: n.path ?? '' });
  }
  // Simulator users have every right not denied, like system:masters, which kube-apiserver's
  // privileged-group authorizer allows without a reason (RBAC grants would name their binding).
  return { allowed };
}
