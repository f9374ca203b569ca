// ctrl-s in the log pane: writes what is loaded to a file under the XDG state directory.
import fs from 'node:fs';
import path from 'node:path';
import type { LogBuffer } from './buffer';
import { stateDir } from '../util/xdg';

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export function saveLog(buffer: LogBuffer, target: { namespace: string; pod: string; container: string }, opts: { timestamps: boolean; env?: NodeJS.ProcessEnv; now?: Date }): string {
  const dir = path.join(stateDir(opts.env), 'logs');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${safe(target.namespace)}_${safe(target.pod)}_${safe(target.container)}_${stamp}.log`);
  const lines = buffer.toArray().map((l) => {
    const prefix = target.container === '*' ? `[${l.container}] ` : '';
    return `${opts.timestamps && l.tsText ? `${l.tsText} ` : ''}${prefix}${l.text}`;
  });
  fs.writeFileSync(file, lines.join('\n') + (lines.length ? '\n' : ''), { mode: 0o600 });
  return file;
}
