// Global setup of the e2e run: build (or reuse) the control plane binary once, and hand its path
// to the test workers through CSI_TOP_E2E_CONTROLPLANE. Without Go this fails with build.sh's
// message: the e2e run never passes by skipping.
import { execFileSync } from 'node:child_process';
import { BUILD_SCRIPT } from './harness';

export default function setup(): void {
  if (process.env.CSI_TOP_E2E_CONTROLPLANE) return;
  const out = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.env.CSI_TOP_E2E_CONTROLPLANE = out.trim().split('\n').pop();
}
