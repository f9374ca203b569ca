// csi-top's command line: parses flags, connects (or starts the demo cluster), and runs the TUI,
// `doctor` or `export`. Errors are one line on stderr, `csi-top: …`, and a non-zero exit.
import { parseArgs } from 'node:util';
import { CliError } from './util/errors';
import { openDebugLog, debugLog } from './util/debug';

declare const __CSI_TOP_VERSION__: string;
export const VERSION = typeof __CSI_TOP_VERSION__ === 'string' ? __CSI_TOP_VERSION__ : '0.0.0-dev';

export const HELP = `csi-top ${VERSION} — a terminal UI for triaging CSI storage in Kubernetes

Usage:
  csi-top [--kubeconfig PATH] [--context NAME] [-n NS | -A] [--readonly]
          [--demo [--scale N]] [--no-color] [--ascii] [--debug FILE]
          [--log-lines N] [usage flags]
  csi-top doctor [connection flags] [usage flags] [-o text|json]
  csi-top export [connection flags] [usage flags] [-o json|yaml]
  csi-top --version | --help

Connection flags:
  --kubeconfig PATH   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME      context to use (default: the current context)
  -n, --namespace NS  watch one namespace (namespaced kinds)
  -A, --all-namespaces  watch every namespace (default unless the context sets one)
  --demo              run against a built-in simulated cluster (no cluster needed)
  --scale N           with --demo: add N generated app pods with their volumes

Usage flags (bytes and inodes per PVC from kubelet; needs get on nodes/proxy,
see docs/rbac.md):
  --usage-threshold F  VolumeNearlyFull from this fraction of bytes or inodes
                      used (default 0.9; 90% works too)
  --usage-interval S  seconds between polls of a node in view (default 30;
                      nodes not in view: 4x less often, ~3 a second at most)
  --metrics-url URL   read kubelet_volume_stats_* from this Prometheus in one
                      query instead of asking every node
  --no-usage          do not read volume usage

Options:
  --readonly          turn every action (resize, delete, restart) off
  --no-color          no colours (also NO_COLOR=1)
  --ascii             ASCII only: no box drawing or unicode markers
  --debug FILE        write a debug log to FILE (and stack traces on errors)
  --log-lines N       lines the log pane keeps (default 10000; 100 to 1000000)
  -o, --output FMT    doctor: text|json; export: json|yaml
  -h, --help          this help
  --version           print the version

Exit codes: 0 ok; 1 could not run; doctor: 2 when it found at least one error.
Keys in the UI: ? shows the keys of the current view; :q or ctrl-c quits.
`;

export interface CliOptions {
  command: 'ui' | 'doctor' | 'export';
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  readonly: boolean;
  demo: boolean;
  scale: number;
  color: boolean;
  ascii: boolean;
  debug?: string;
  output?: string;
  /** Read volume usage (false with --no-usage). */
  usage: boolean;
  usageThreshold: number;
  usageIntervalMs: number;
  /** --log-lines: lines the log pane keeps (default 10 000). */
  logLines?: number;
  metricsUrl?: string;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        readonly: { type: 'boolean' },
        demo: { type: 'boolean' },
        scale: { type: 'string' },
        'no-color': { type: 'boolean' },
        ascii: { type: 'boolean' },
        debug: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'usage-threshold': { type: 'string' },
        'usage-interval': { type: 'string' },
        'metrics-url': { type: 'string' },
        'no-usage': { type: 'boolean' },
        'log-lines': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')} (see csi-top --help)`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.version) return 'version';
  const [cmd, ...extra] = parsed.positionals;
  if (extra.length) throw new CliError(`unexpected argument "${extra[0]}" (see csi-top --help)`);
  const command = cmd === undefined ? 'ui' : cmd === 'doctor' || cmd === 'export' ? cmd : undefined;
  if (!command) throw new CliError(`unknown command "${cmd}" (commands: doctor, export; see csi-top --help)`);
  if (v.namespace !== undefined && v['all-namespaces']) throw new CliError('-n and -A cannot be used together');
  if (v.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.namespace)) throw new CliError(`invalid namespace "${v.namespace}"`);
  let scale = 0;
  if (v.scale !== undefined) {
    if (!v.demo) throw new CliError('--scale only works with --demo');
    if (!/^\d+$/.test(v.scale) || Number(v.scale) > 1_000_000) throw new CliError(`--scale takes a whole number of pods (0 to 1000000), not "${v.scale}"`);
    scale = Number(v.scale);
  }
  if (v.demo && (v.kubeconfig !== undefined || v.context !== undefined)) throw new CliError('--demo runs its own cluster: drop --kubeconfig/--context');
  const formats = command === 'doctor' ? ['text', 'json'] : command === 'export' ? ['json', 'yaml'] : [];
  if (v.output !== undefined) {
    if (command === 'ui') throw new CliError('-o only works with doctor or export');
    if (!formats.includes(v.output)) throw new CliError(`${command} -o takes ${formats.join(' or ')}, not "${v.output}"`);
  }
  const usage = parseUsageFlags(v);
  let logLines: number | undefined;
  if (v['log-lines'] !== undefined) {
    const n = /^\d+$/.test(v['log-lines']) ? Number(v['log-lines']) : NaN;
    if (!(n >= 100 && n <= 1_000_000)) throw new CliError(`--log-lines takes a whole number of lines from 100 to 1000000, not "${v['log-lines']}"`);
    if (command !== 'ui') throw new CliError('--log-lines only works in the UI');
    logLines = n;
  }
  return {
    command,
    kubeconfig: v.kubeconfig,
    context: v.context,
    namespace: v.namespace,
    allNamespaces: !!v['all-namespaces'],
    readonly: !!v.readonly,
    demo: !!v.demo,
    scale,
    color: !v['no-color'] && !(env.NO_COLOR !== undefined && env.NO_COLOR !== ''),
    ascii: !!v.ascii,
    debug: v.debug,
    output: v.output ?? formats[0],
    ...usage,
    ...(logLines !== undefined ? { logLines } : {}),
  };
}

function parseUsageFlags(v: { 'usage-threshold'?: string; 'usage-interval'?: string; 'metrics-url'?: string; 'no-usage'?: boolean }): Pick<CliOptions, 'usage' | 'usageThreshold' | 'usageIntervalMs' | 'metricsUrl'> {
  let usageThreshold = 0.9;
  const t = v['usage-threshold'];
  if (t !== undefined) {
    const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(t.trim());
    const f = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!(f > 0 && f <= 1)) throw new CliError(`--usage-threshold takes a fraction above 0 and at most 1 (e.g. 0.9 or 90%), not "${t}"`);
    usageThreshold = f;
  }
  let usageIntervalMs = 30_000;
  const i = v['usage-interval'];
  if (i !== undefined) {
    const s = /^\d+(\.\d+)?s?$/.test(i.trim()) ? Number(i.trim().replace(/s$/, '')) : NaN;
    if (!(s >= 1 && s <= 3600)) throw new CliError(`--usage-interval takes seconds from 1 to 3600, not "${i}"`);
    usageIntervalMs = s * 1000;
  }
  const url = v['metrics-url'];
  if (url !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(url);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new CliError(`--metrics-url takes an http(s) URL of Prometheus, not "${url}"`);
  }
  if (v['no-usage'] && (url !== undefined || i !== undefined)) throw new CliError('--no-usage cannot be used with --metrics-url or --usage-interval');
  return { usage: !v['no-usage'], usageThreshold, usageIntervalMs, ...(url !== undefined ? { metricsUrl: url } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const opts = parseCli(argv);
  if (opts === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write(`csi-top ${VERSION}\n`);
    return 0;
  }
  if (opts.debug) openDebugLog(opts.debug);
  const { run } = await import('./run');
  return run(opts);
}

function fail(e: unknown): number {
  const err = e as Error;
  debugLog(`fatal: ${err?.stack ?? String(e)}`);
  const msg = e instanceof CliError ? e.message : `unexpected error: ${err?.message ?? String(e)}`;
  process.stderr.write(`csi-top: ${msg.split('\n')[0]}\n`);
  return e instanceof CliError ? e.exitCode : 1;
}

const isEntry = process.argv[1] && /csi-top(\.js)?$|cli\.[jt]s$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = fail(e);
    },
  );
}
