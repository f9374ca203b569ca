// Discovery documents as kube-apiserver v1.34 serves them (unaggregated JSON form, which every
// client falls back to): /version, /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>.
import { RESOURCES, type ResourceInfo } from '../resources';

export const VERSION_INFO = {
  major: '1',
  minor: '34',
  emulationMajor: '1',
  emulationMinor: '34',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '33',
  gitVersion: 'v1.34.1',
  gitCommit: '93248f9ae092f571eb870b7664c534bfc7d00f03',
  gitTreeState: 'clean',
  buildDate: '2025-09-09T19:44:50Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const groups = (): string[] => [...new Set(RESOURCES.map((r) => r.group).filter(Boolean))];

function groupDoc(name: string) {
  const version = RESOURCES.find((r) => r.group === name)!.version;
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(groupDoc) };
}

export function apiGroup(name: string) {
  if (!groups().includes(name)) return null;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(name) };
}

function entries(r: ResourceInfo) {
  const main: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
  if (r.shortNames.length) main.shortNames = r.shortNames;
  if (r.categories.length) main.categories = r.categories;
  const subs = Object.entries(r.subresources).map(([sub, verbs]) => ({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: sub === 'scale' ? 'Scale' : r.kind, ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}), verbs }));
  return [main, ...subs];
}

/** APIResourceList for a group/version, or null when it is not served. */
export function apiResourceList(group: string, version: string) {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return null;
  const doc: Record<string, unknown> = { kind: 'APIResourceList' };
  if (group) doc.apiVersion = 'v1';
  doc.groupVersion = group ? `${group}/${version}` : version;
  doc.resources = rs.flatMap(entries);
  return doc;
}
