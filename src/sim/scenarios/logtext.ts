// Log line formats of the components the simulator impersonates: klog (CSI sidecars, ceph-csi,
// csi-driver-nfs, the JuiceFS CSI driver) and the JuiceFS client's own logger (mount pods).

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `I0510 11:58:01.123456       1 node.go:128] message` */
export function klog(ms: number, level: 'I' | 'W' | 'E', thread: number, source: string, message: string): string {
  const d = new Date(ms);
  const micros = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${level}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${micros} ${String(thread).padStart(7)} ${source}] ${message}`;
}

/** `2026/05/10 11:58:01.123456 juicefs[7] <INFO>: message [mount.go:605]` */
export function jfs(ms: number, pid: number, level: 'INFO' | 'WARNING' | 'ERROR' | 'FATAL' | 'DEBUG', message: string, source: string): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
  return `${date} ${time} juicefs[${pid}] <${level}>: ${message} [${source}]`;
}

/** A JuiceFS client starting up cleanly against its metadata engine. */
export function juicefsMountOk(startMs: number, o: { metaUrl: string; mountPath: string; fsName: string; uuid: string }): Array<[number, string]> {
  const pid = 7;
  const at = (s: number) => startMs + s;
  return [
    [at(0), jfs(at(0), pid, 'INFO', `Meta address: ${o.metaUrl}`, 'interface.go:504')],
    [at(12), jfs(at(12), pid, 'INFO', 'Ping redis latency: 412.873µs', 'redis.go:3593')],
    [at(40), jfs(at(40), pid, 'INFO', `Data use s3://juicefs-${o.fsName}.s3.eu-west-1.amazonaws.com/${o.fsName}/`, 'mount.go:605')],
    [at(41), jfs(at(41), pid, 'INFO', `Disk cache (/var/jfsCache/${o.uuid}/): capacity (102400 MB), free ratio (10%), max pending pages (15)`, 'disk_cache.go:114')],
    [at(60), jfs(at(60), pid, 'INFO', 'Create session 31 OK with version: 1.2.3+2025-01-22.4f2aba8', 'base.go:494')],
    [at(61), jfs(at(61), pid, 'INFO', 'Prometheus metrics listening on [::]:9567', 'mount.go:161')],
    [at(62), jfs(at(62), pid, 'INFO', `Mounting volume ${o.fsName} at ${o.mountPath} ...`, 'mount_unix.go:269')],
    [at(1100), jfs(at(1100), pid, 'INFO', `OK, ${o.fsName} is ready at ${o.mountPath}`, 'mount_unix.go:48')],
  ];
}

/**
 * A JuiceFS client that cannot reach Redis: it gives up after the dial timeout (`runMs` after its
 * start) and exits 1.
 */
export function juicefsMountMetaTimeout(startMs: number, o: { metaUrl: string; address: string }, runMs = 30_000): Array<[number, string]> {
  const pid = 7;
  const warnMs = Math.min(5000, Math.floor(runMs / 6));
  return [
    [startMs, jfs(startMs, pid, 'INFO', `Meta address: ${o.metaUrl}`, 'interface.go:504')],
    [startMs + warnMs, jfs(startMs + warnMs, pid, 'WARNING', `Get info: dial tcp ${o.address}: i/o timeout`, 'redis.go:3593')],
    [startMs + runMs, jfs(startMs + runMs, pid, 'FATAL', `Meta ${o.metaUrl} is not available: dial tcp ${o.address}: i/o timeout`, 'interface.go:525')],
  ];
}

/** The ceph-csi node plugin's error for an `rbd map` that timed out reaching the monitors. */
export function rbdMapError(image: string): string {
  return (
    `rpc error: code = Internal desc = rbd: map failed with error an error (exit status 110) occurred while running rbd args: ` +
    `[--id csi-rbd-node -m 10.0.3.11:6789,10.0.3.12:6789,10.0.3.13:6789 --keyfile=***stripped*** map replicapool/${image} --device-type krbd --options noudev], ` +
    `rbd error output: rbd: sysfs write failed\nIn some cases useful info is found in syslog - try "dmesg | tail".\nrbd: map failed: (110) Connection timed out`
  );
}
