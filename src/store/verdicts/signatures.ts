// Failure signatures: the event and log texts that point at who is responsible (design.md).
export const SIG = {
  /** kubelet: the driver is not in its plugin registry on this node. */
  notRegistered: /driver name (\S+?) not found in the list of registered CSI drivers/,
  /** kubelet cannot reach the node plugin's socket. */
  socketDown: /([\w./~-]*csi\.sock)["']?: connect: (no such file or directory|connection refused)/,
  /** Ceph RBD map timing out: the node cannot reach the Ceph cluster. */
  rbdMapTimeout: /rbd: map failed[\s\S]*?(Connection timed out|\(110\)|exit status 110)/i,
  /** A FUSE mount whose daemon went away (mount pod restarted or recreated). */
  deadMount: /transport endpoint is not connected/i,
  /** kubelet gave up waiting for mounts. */
  mountTimeout: /Unable to attach or mount volumes: unmounted volumes=\[([^\]]*)\]/,
  /** JuiceFS node plugin waiting for its mount pod. */
  mountPodDown: /Could not mount juicefs|mount pod .{0,80}not (running|ready)|wait for mount .{0,200}ready failed/i,
  /** Metadata engine or object store unreachable from a JuiceFS client. */
  metaEngine:
    /juicefs (status|auth|format)\b[^\n]{0,80}timed out|NOAUTH|load setting|(meta|redis|tikv|mysql|postgres|etcd)[^\n]{0,120}(i\/o timeout|connection refused|no route to host|timed out)|dial tcp [^\n]{0,80}(i\/o timeout|connection refused|no route to host)/i,
  attachFailed: /AttachVolume\.Attach failed/,
};

/** Pod volume names and PV names a kubelet event message mentions. */
export function volumesInMessage(message: string): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(/volume "([^"]+)"/g)) out.add(m[1]);
  const t = SIG.mountTimeout.exec(message);
  if (t) for (const v of t[1].split(/\s+/)) if (v) out.add(v);
  return [...out];
}

/** The part of a long message worth showing, around the first signature hit. */
export function excerpt(message: string, re: RegExp, width = 160): string {
  const m = re.exec(message);
  if (!m) return message.length > width * 2 ? `${message.slice(0, width * 2)}…` : message;
  const start = Math.max(0, m.index - width / 2);
  const end = Math.min(message.length, m.index + m[0].length + width / 2);
  return `${start > 0 ? '…' : ''}${message.slice(start, end)}${end < message.length ? '…' : ''}`;
}

/** One line of a possibly multi-line message: its first line plus the most telling later one. */
export function gist(message: string, max = 200): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return '';
  let s = lines[0];
  if (lines.length > 1) s += ` … ${lines.find((l) => /^Output:/.test(l)) ?? lines[lines.length - 1]}`;
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
