// ctrl-s in the log pane: writes what is loaded to a file under the XDG state directory, readable
// by the user only. Lines are written as shown: with timestamps when they are on, with the
// container prefix when every container is shown (container '*').
import fs from 'node:fs';
import path from 'node:path';
import type { LogBuffer } from './buffer';
import { stateDir } from '../util/xdg';

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export function saveLog(
  buffer: LogBuffer,
  target: { namespace: string; pod: string; container: string },
  opts: { timestamps: boolean; previous?: boolean; env?: NodeJS.ProcessEnv; now?: Date },
): string {
  const dir = path.join(stateDir(opts.env), 'logs');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // 2026-11-23T10:36:44.123Z → 20261123-103644-123 (short: the path is shown on one line)
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:Z]/g, '').replace('T', '-').replace('.', '-');
  const all = target.container === '*';
  const name = [safe(target.namespace), safe(target.pod), all ? 'all-containers' : safe(target.container), ...(opts.previous ? ['previous'] : []), stamp].join('_');
  const file = path.join(dir, `${name}.log`);
  const lines = buffer.toArray().map((l) => `${opts.timestamps && l.tsText ? `${l.tsText} ` : ''}${all ? `[${l.container}] ` : ''}${l.text}`);
  fs.writeFileSync(file, lines.join('\n') + (lines.length ? '\n' : ''), { mode: 0o600 });
  return file;
}

/** A path for display: the home directory as ~. */
export function displayPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME;
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}
