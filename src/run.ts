// Runs one csi-top command once the flags are parsed: connects (or starts the demo cluster) and
// hands over to the TUI, doctor or export.
import type { CliOptions } from './cli';
import { Connection } from './kube/connection';
import { CliError } from './util/errors';
import { debugLog } from './util/debug';

export async function run(opts: CliOptions): Promise<number> {
  if (opts.demo) throw new CliError('--demo is not available yet');
  const conn = await Connection.open({
    kubeconfig: opts.kubeconfig,
    context: opts.context,
    namespace: opts.namespace,
    allNamespaces: opts.allNamespaces,
    log: debugLog,
  });
  try {
    throw new CliError(`${opts.command} is not available yet`);
  } finally {
    await conn.close();
  }
}
