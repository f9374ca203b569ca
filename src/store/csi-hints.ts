// Generic CSI deployment facts read off a pod's containers: which kubernetes-csi sidecars it runs
// and which driver names its flags mention. Driver profiles build on these (src/store/drivers/).
import type { CsiHints } from './records';
import { intern } from './intern';

interface RawContainer {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: { name?: string; value?: string }[];
}

/** Sidecar kind by the image (or container) name fragment that identifies it. */
const SIDECARS: readonly [string, string][] = [
  ['csi-node-driver-registrar', 'node-driver-registrar'],
  ['node-driver-registrar', 'node-driver-registrar'],
  ['csi-provisioner', 'provisioner'],
  ['csi-attacher', 'attacher'],
  ['csi-resizer', 'resizer'],
  ['csi-snapshotter', 'snapshotter'],
  ['livenessprobe', 'livenessprobe'],
  ['csi-external-health-monitor-controller', 'health-monitor'],
  // EKS-distro and other mirrors name the same sidecars after their repositories.
  ['external-provisioner', 'provisioner'],
  ['external-attacher', 'attacher'],
  ['external-resizer', 'resizer'],
  ['external-snapshotter', 'snapshotter'],
];

const DRIVER_FLAGS = ['--drivername=', '--driver-name=', '--csi-driver-name=', '--driver='];

/** `$(VAR)` expansion as the kubelet does it for args, from the container's literal env values. */
export function expandVars(s: string, env: readonly { name?: string; value?: string }[] | undefined): string {
  if (!s.includes('$(')) return s;
  return s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
    const v = env?.find((e) => e.name === name);
    return v && typeof v.value === 'string' ? v.value : whole;
  });
}

function imageName(image: string): string {
  // registry/path/name:tag@digest → name
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(0, colon) : last;
}

function sidecarKind(c: RawContainer): string | undefined {
  const img = imageName(c.image ?? '');
  for (const [frag, kind] of SIDECARS) if (img === frag || img.startsWith(frag)) return kind;
  return undefined;
}

function flagValues(words: readonly string[], env: RawContainer['env']): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    for (const f of DRIVER_FLAGS) {
      if (w.startsWith(f)) out.push(expandVars(w.slice(f.length), env));
      else if (w === f.slice(0, -1) && i + 1 < words.length) out.push(expandVars(words[i + 1], env));
    }
  }
  return out;
}

function registrationPath(words: readonly string[], env: RawContainer['env']): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--kubelet-registration-path=')) return expandVars(w.slice('--kubelet-registration-path='.length), env);
    if (w === '--kubelet-registration-path' && i + 1 < words.length) return expandVars(words[i + 1], env);
  }
  return undefined;
}

/** Whether a container could say anything CSI-related: checked without allocating. */
function mentionsCsi(c: RawContainer): boolean {
  const img = c.image ?? '';
  for (const [frag] of SIDECARS) if (img.includes(frag)) return true;
  for (const list of [c.args, c.command]) {
    if (!Array.isArray(list)) continue;
    for (const w of list) if (typeof w === 'string' && (w.startsWith('--driver') || w.startsWith('--csi-driver') || w.startsWith('--kubelet-registration-path'))) return true;
  }
  return false;
}

/** Returns undefined for the vast majority of pods, which run no CSI component. */
export function extractCsiHints(containers: readonly RawContainer[]): CsiHints | undefined {
  if (!containers.some(mentionsCsi)) return undefined;
  const sidecars: string[] = [];
  const driverNames: string[] = [];
  let regPath: string | undefined;
  for (const c of containers) {
    const words = [...(c.command ?? []), ...(c.args ?? [])].filter((w): w is string => typeof w === 'string');
    const kind = sidecarKind(c);
    if (kind && !sidecars.includes(kind)) sidecars.push(intern(kind));
    if (kind === 'node-driver-registrar') regPath = registrationPath(words, c.env) ?? regPath;
    for (const d of flagValues(words, c.env)) if (d && !d.includes('$(') && !driverNames.includes(d)) driverNames.push(intern(d));
  }
  if (sidecars.length === 0 && driverNames.length === 0 && !regPath) return undefined;
  return { sidecars, driverNames, ...(regPath ? { registrationPath: regPath } : {}) };
}
