// Runs one csi-top command once the flags are parsed: connects (or starts the demo cluster) and
// hands over to the TUI, doctor or export.
import type { CliOptions } from './cli';
import { Connection, allForbidden, type OpenOptions } from './kube/connection';
import { CliError } from './util/errors';
import { debugLog } from './util/debug';
import type { Store } from './store/store';
import { KIND_NAMES } from './store/kinds';

export interface Unavailable {
  kind: string;
  state: string;
  message: string;
}

const UNAVAILABLE_TEXT: Record<string, string> = { forbidden: 'forbidden', notServed: 'not served by this cluster', namespaceOnly: 'partly' };

/** Kinds the store could not fill, with the apiserver's reason: what a report is missing. */
export function unavailableKinds(store: Store): Unavailable[] {
  const out: Unavailable[] = [];
  for (const k of KIND_NAMES) {
    const s = store.status(k);
    if (s.state !== 'synced') out.push({ kind: k, state: s.state, message: s.message });
  }
  return out;
}

function usageOptions(opts: CliOptions): OpenOptions['usage'] {
  return {
    threshold: opts.usageThreshold,
    intervalMs: opts.usageIntervalMs,
    ...(opts.metricsUrl ? { metricsUrl: opts.metricsUrl } : {}),
    ...(opts.usage ? {} : { disabled: 'turned off with --no-usage' }),
  };
}

/** How long doctor/export wait for one round of volume usage. */
const USAGE_DEADLINE_MS = 20_000;

async function openConnection(opts: CliOptions): Promise<{ conn: Connection; close: () => Promise<void> }> {
  if (!opts.demo) {
    const conn = await Connection.open({ kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace, allNamespaces: opts.allNamespaces, log: debugLog, usage: usageOptions(opts), readonly: opts.readonly });
    return { conn, close: () => conn.close() };
  }
  const { startDemo } = await import('./sim/world');
  const demo = await startDemo({ scale: opts.scale });
  try {
    // The demo cluster spreads its scenarios over many namespaces: show them all unless -n says otherwise.
    const conn = await Connection.open({ kubeconfigText: demo.kubeconfig, namespace: opts.namespace, allNamespaces: opts.namespace === undefined, log: debugLog, usage: usageOptions(opts), readonly: opts.readonly });
    return {
      conn,
      close: async () => {
        await conn.close();
        await demo.close();
      },
    };
  } catch (e) {
    await demo.close();
    throw e;
  }
}

/** Starts the reflectors and waits for a first complete picture, with a progress line on a terminal. */
async function syncOnce(conn: Connection): Promise<void> {
  conn.start();
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let shown = false;
  const ok = await conn.waitForSync(120_000, () => {
    if (!tty || Date.now() - started < 1000) return;
    const pending = KIND_NAMES.filter((k) => !['synced', 'forbidden', 'notServed'].includes(conn.store.status(k).state));
    const pods = conn.store.status('Pod');
    const podText = pods.expected ? ` (pods ${pods.listed}/${pods.expected})` : '';
    process.stderr.write(`\rcsi-top: syncing ${KIND_NAMES.length - pending.length}/${KIND_NAMES.length} kinds${podText}…\x1b[K`);
    shown = true;
  });
  if (shown) process.stderr.write('\r\x1b[K');
  const denied = allForbidden(conn.store);
  if (denied) throw new CliError(`forbidden: ${denied}`);
  if (!ok) {
    const late = KIND_NAMES.filter((k) => conn.store.status(k).state !== 'synced' && conn.store.status(k).state !== 'forbidden' && conn.store.status(k).state !== 'notServed');
    process.stderr.write(`csi-top: warning: not synced after 120 s: ${late.join(', ')}; reporting what arrived\n`);
  }
  for (const u of unavailableKinds(conn.store)) {
    if (u.state === 'forbidden' || u.state === 'notServed') debugLog(`unavailable ${u.kind}: ${u.state} ${u.message}`);
  }
}

export async function run(opts: CliOptions): Promise<number> {
  const { conn, close } = await openConnection(opts);
  try {
    if (opts.command === 'ui') {
      // The lists start before the UI's modules load, so the apiserver works meanwhile.
      conn.start();
      const { runTui } = await import('./app');
      conn.startUsage();
      return await runTui(conn, { readonly: opts.readonly, color: opts.color, ascii: opts.ascii, demo: opts.demo, ...(opts.logLines ? { logLines: opts.logLines } : {}) });
    }
    await syncOnce(conn);
    await conn.pollUsageOnce(USAGE_DEADLINE_MS);
    const context = opts.demo ? 'demo' : conn.contextName;
    const unavailable = unavailableKinds(conn.store).filter((u) => u.state === 'forbidden' || u.state === 'notServed');
    // Readable in the scoped namespace only: what lives elsewhere (a driver's pods) is missing.
    for (const k of KIND_NAMES) {
      const s = conn.store.status(k);
      if (s.onlyNamespace !== undefined && s.state === 'synced') unavailable.push({ kind: k, state: 'namespaceOnly', message: `listing ${k} in all namespaces is forbidden; only namespace ${s.onlyNamespace} was read` });
    }
    const scope = { namespace: conn.namespace };
    const usage = conn.usage.state();
    if (usage.status === 'forbidden') unavailable.push({ kind: 'VolumeUsage', state: 'forbidden', message: usage.message });
    const usageOpts = { usage: conn.usage.snapshot(), fullThreshold: conn.usage.threshold };
    const { buildDoctor, renderDoctorText, buildExport } = await import('./store/report');
    if (opts.command === 'doctor') {
      const doc = buildDoctor(conn.store, { context, ...scope, ...usageOpts });
      const out = unavailable.length ? { ...doc, unavailable } : doc;
      if (opts.output === 'json') process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      else {
        process.stdout.write(renderDoctorText(doc, { color: opts.color && !!process.stdout.isTTY, ascii: opts.ascii }));
        for (const u of unavailable) process.stdout.write(`\nnot checked: ${u.kind} (${UNAVAILABLE_TEXT[u.state] ?? u.state}${u.message ? `: ${u.message}` : ''})`);
        if (unavailable.length) process.stdout.write('\n');
      }
      return doc.summary.error > 0 ? 2 : 0;
    }
    const doc = buildExport(conn.store, { context, ...scope, now: Date.now(), ...usageOpts, usageInfo: (ns, claim) => conn.usage.get(ns, claim) });
    const out = unavailable.length ? { ...doc, unavailable } : doc;
    if (opts.output === 'yaml') {
      const { stringify } = await import('yaml');
      process.stdout.write(stringify(out, { lineWidth: 0 }));
    } else process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  } finally {
    await close();
  }
}
