// Small predicates the driver profiles share: labels, images, containers, flags.
import type { ContainerRec, PodRec } from '../records';
import type { PodClass, PodRole } from './types';

/** registry/path/name:tag@digest → name */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(0, colon) : last;
}

/** Image names of the kubernetes-csi sidecars (and common relatives): never a driver's main container. */
const SIDECAR_IMAGES = [
  'csi-node-driver-registrar',
  'node-driver-registrar',
  'csi-provisioner',
  'csi-attacher',
  'csi-resizer',
  'csi-snapshotter',
  'livenessprobe',
  'csi-external-health-monitor-controller',
  'csi-external-health-monitor-agent',
  'csi-snapshot-metadata',
  'external-provisioner',
  'external-attacher',
  'external-resizer',
  'external-snapshotter',
];

export function isSidecarContainer(c: ContainerRec): boolean {
  const img = imageName(c.image);
  return SIDECAR_IMAGES.some((s) => img === s || img.startsWith(s));
}

/** Sidecar kinds (from CsiHints) that make a pod a controller. */
const CONTROLLER_SIDECARS = new Set(['provisioner', 'attacher', 'resizer', 'snapshotter', 'health-monitor']);

export function hasControllerSidecar(pod: PodRec): boolean {
  return !!pod.csi?.sidecars.some((s) => CONTROLLER_SIDECARS.has(s));
}

export function hasRegistrar(pod: PodRec): boolean {
  return !!pod.csi?.sidecars.includes('node-driver-registrar');
}

export function hasLabel(pod: PodRec, key: string, ...values: string[]): boolean {
  const v = pod.labels[key];
  return v !== undefined && (values.length === 0 || values.includes(v));
}

export function container(pod: PodRec, name: string): ContainerRec | undefined {
  return pod.containers.find((c) => c.name === name);
}

/**
 * Whether a CSI component pod (one with sidecars or driver flags) runs an image whose name
 * contains `fragment`. App pods are never driver pods, and this runs on every pod.
 */
export function hasImage(pod: PodRec, fragment: string): boolean {
  return !!pod.csi && pod.containers.some((c) => imageName(c.image).includes(fragment));
}

/** The first of `preferred` the pod has, else its first container that is not a CSI sidecar. */
export function mainContainer(pod: PodRec, preferred: readonly string[]): string {
  for (const p of preferred) if (container(pod, p)) return p;
  const main = pod.containers.find((c) => !c.init && !isSidecarContainer(c));
  return main?.name ?? pod.containers.find((c) => !c.init)?.name ?? '';
}

/** The directory holding the registrar's socket: `/var/lib/kubelet/plugins/<dir>/csi.sock` → `<dir>`. */
export function registrationDir(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** Driver names a pod mentions (flags first, then the registrar's socket directory), dotted names first. */
export function driverCandidates(pod: PodRec): string[] {
  const out: string[] = [];
  for (const d of pod.csi?.driverNames ?? []) if (!out.includes(d)) out.push(d);
  const dir = registrationDir(pod.csi?.registrationPath);
  if (dir && !out.includes(dir)) out.push(dir);
  // CSI driver names are DNS-like: a dotted candidate is far more likely to be the real name.
  return out.sort((a, b) => Number(b.includes('.')) - Number(a.includes('.')));
}

/** The candidate this profile owns, else the profile's default. */
export function pickDriver(pod: PodRec, owns: (d: string) => boolean, fallback: string): string {
  return driverCandidates(pod).find(owns) ?? fallback;
}

export function podClass(role: PodRole, pod: PodRec, profile: string, driver: string, mainNames: readonly string[] = []): PodClass {
  return {
    role,
    driver,
    profile,
    mainContainer: mainContainer(pod, mainNames),
    alsoController: role === 'nodePlugin' && hasControllerSidecar(pod),
    candidates: driverCandidates(pod),
  };
}

/** Leader-election lock name of a kubernetes-csi sidecar (csi-lib-utils sanitizeName). */
export function sanitizeLeaseName(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9-]/g, '-');
  if (s.endsWith('-')) s += 'X';
  return s;
}
