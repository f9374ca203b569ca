// What belongs to a namespace scope (`-n ns`, `:ns ns`). The store watches every namespace it
// may (a namespace's pods are judged with their driver's pods, elsewhere); the scope decides
// what is shown and reported: the namespace's own objects, cluster-scoped objects, and what
// concerns the namespace (a finding on a mount pod in kube-system that breaks a pod here).
import type { Finding } from './verdicts/types';

/** null = all namespaces. */
export type Scope = string | null;

/** A record of a namespaced kind in the namespace, or of a cluster-scoped kind (namespace ''). */
export function recordInScope(r: { readonly namespace: string }, scope: Scope): boolean {
  return scope === null || r.namespace === '' || r.namespace === scope;
}

/** A finding about an object of the namespace, or one that breaks a pod of it. */
export function findingInScope(f: Finding, scope: Scope): boolean {
  return scope === null || f.object.namespace === scope || f.affects.some((a) => a.namespace === scope);
}
