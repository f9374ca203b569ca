// Test helpers: build a store from fixtures with in-place edits of the raw objects.
import type { RawObject } from '../../src/store/project';
import { storeFromObjects } from '../../src/store/from-objects';
import type { Store } from '../../src/store/store';
import { computeFindings } from '../../src/store/verdicts';
import type { Finding } from '../../src/store/verdicts/types';
import { FIXTURE_NOW, HEALTHY, loadFixtures } from '../fixtures/load';

export type Edit = (objects: RawObject[]) => void;

export function obj(objects: RawObject[], kind: string, namespace: string, name: string): RawObject {
  const o = objects.find((x) => x.kind === kind && (x.metadata?.namespace ?? '') === namespace && x.metadata?.name === name);
  if (!o) throw new Error(`fixture has no ${kind} ${namespace}/${name}`);
  return o;
}

export function remove(objects: RawObject[], kind: string, namespace: string, name: string): void {
  objects.splice(objects.indexOf(obj(objects, kind, namespace, name)), 1);
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const ago = (s: number) => iso(FIXTURE_NOW - s * 1000);

export function storeWith(names: readonly string[], ...edits: Edit[]): Store {
  const objects = loadFixtures(...names);
  for (const e of edits) e(objects);
  return storeFromObjects(objects, { now: () => FIXTURE_NOW });
}

export function findingsOf(names: readonly string[], ...edits: Edit[]): readonly Finding[] {
  return computeFindings(storeWith(names, ...edits), { now: FIXTURE_NOW });
}

export const healthyWith = (...scenarios: string[]) => [...HEALTHY, ...scenarios.map((s) => `scenarios/${s}`)];

/** A compact line per finding, for readable assertions and failure messages. */
export const brief = (f: Finding) => `${f.severity} ${f.code} ${f.object.kind} ${f.object.namespace}/${f.object.name}`;
