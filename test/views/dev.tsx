// Dev entry: the TUI over the simulator's scenarios without a server (`npx tsx test/views/dev.tsx`).
import { buildScenarios } from '../../src/sim/scenarios';
import { runTui } from '../../src/app';
import { fakeSession } from './fake-session';
import type { RawObject } from '../../src/store/project';

const built = buildScenarios('all', { now: Date.now() });
const session = fakeSession(built.objects as unknown as RawObject[]);
const code = await runTui(session, { readonly: process.argv.includes('--readonly'), color: !process.argv.includes('--no-color'), ascii: process.argv.includes('--ascii'), demo: true });
process.exit(code);
