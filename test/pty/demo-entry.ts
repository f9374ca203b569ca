// What `csi-top --demo` does, for the terminal tests until the CLI wires it: the demo simulator,
// a real connection to it, and the TUI. `npx tsx test/pty/demo-entry.ts [--no-color] [--ascii]`.
import { startDemo } from '../../src/sim/world';
import { Connection } from '../../src/kube/connection';
import { runTui } from '../../src/app';

const argv = process.argv.slice(2);
const demo = await startDemo({ scale: 0 });
const conn = await Connection.open({ kubeconfigText: demo.kubeconfig, allNamespaces: true });
conn.start();
let code = 1;
try {
  code = await runTui(conn, { readonly: argv.includes('--readonly'), color: !argv.includes('--no-color') && !process.env.NO_COLOR, ascii: argv.includes('--ascii'), demo: true });
} finally {
  await conn.close();
  await demo.close();
}
process.exit(code);
