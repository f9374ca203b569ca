// Pod indexes the controllers need at --scale (100k pods): by owner, by claim, and JuiceFS mount
// pods by node and uniqueId. Kept current from the watch, so no controller lists every pod.
import { keyOf, KObj } from './scenarios/kube';
import type { WorldApi } from './world-api';
import { isMountPod } from './world-volumes';

function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
}

function removeFrom(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

export class WorldIndex {
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byClaim = new Map<string, Set<string>>();
  private readonly mounts = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  /** What each pod key was indexed under, to undo it on change. */
  private readonly indexed = new Map<string, string[]>();
  private readonly unwatch: () => void;

  constructor(private readonly api: WorldApi) {
    for (const p of api.list('Pod')) this.put(p);
    this.unwatch = api.watch(['Pod'], (type, p) => (type === 'DELETED' ? this.drop(keyOf(p)) : this.put(p)));
  }

  stop(): void {
    this.unwatch();
  }

  private put(p: KObj): void {
    const key = keyOf(p);
    this.drop(key);
    const entries: string[] = [];
    for (const r of p.metadata.ownerReferences ?? []) entries.push(`o:${r.uid}`);
    for (const v of p.spec?.volumes ?? []) if (v.persistentVolumeClaim) entries.push(`c:${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
    if (p.spec?.nodeName) entries.push(`n:${p.spec.nodeName}`);
    if (isMountPod(p) && !p.metadata.deletionTimestamp) entries.push(`m:${p.spec?.nodeName}\n${p.metadata.labels?.['volume-id']}`);
    for (const e of entries) addTo(this.mapOf(e), e.slice(2), key);
    this.indexed.set(key, entries);
  }

  private drop(key: string): void {
    for (const e of this.indexed.get(key) ?? []) removeFrom(this.mapOf(e), e.slice(2), key);
    this.indexed.delete(key);
  }

  private mapOf(entry: string): Map<string, Set<string>> {
    return entry[0] === 'o' ? this.byOwner : entry[0] === 'c' ? this.byClaim : entry[0] === 'n' ? this.byNode : this.mounts;
  }

  private resolve(keys: Set<string> | undefined): KObj[] {
    const out: KObj[] = [];
    for (const k of keys ?? []) {
      const [, ns, name] = k.split('/');
      const p = this.api.get('Pod', ns, name);
      if (p) out.push(p);
    }
    return out;
  }

  podsOwnedBy(uid: string): KObj[] {
    return this.resolve(this.byOwner.get(uid));
  }

  podsUsingClaim(namespace: string, claim: string): KObj[] {
    return this.resolve(this.byClaim.get(`${namespace}/${claim}`));
  }

  podsOnNode(node: string): KObj[] {
    return this.resolve(this.byNode.get(node));
  }

  /** The live mount pod on `node` for `uniqueId`. */
  mountPod(node: string, uniqueId: string): KObj | undefined {
    return this.resolve(this.mounts.get(`${node}\n${uniqueId}`))[0];
  }

  allMountPods(): KObj[] {
    const out: KObj[] = [];
    for (const keys of this.mounts.values()) out.push(...this.resolve(keys));
    return out;
  }
}
