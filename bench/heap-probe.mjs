// Preloaded into the measured csi-top process by the TUI bench (`node --expose-gc --import
// bench/heap-probe.mjs dist/csi-top.js …`): on SIGUSR2 it writes process.memoryUsage() before and
// after a full GC to $CSI_TOP_BENCH_HEAP. Nothing else runs (no timers), so idle figures hold.
import fs from 'node:fs';

const out = process.env.CSI_TOP_BENCH_HEAP;
if (out) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    globalThis.gc?.();
    const after = process.memoryUsage();
    fs.writeFileSync(out, JSON.stringify({ before, after }));
  });
}
