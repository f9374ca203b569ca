// The action log: one JSON line per mutation csi-top sent (time, context, what for, the request
// with its body, the server's answer), appended to <XDG state dir>/csi-top/actions.log, so that
// what was changed from the UI can be looked up afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../util/xdg';
import type { ActionObject } from './types';

export interface AuditEntry {
  /** ISO 8601. */
  readonly time: string;
  readonly context: string;
  /** What the user asked for: resize, delete, restart. */
  readonly action: string;
  /** The API verb sent: patch, delete. */
  readonly verb: string;
  readonly object: ActionObject;
  readonly request: { readonly method: string; readonly path: string; readonly contentType?: string; readonly body?: unknown };
  readonly result: { readonly ok: boolean; readonly status: number; readonly message: string };
  readonly reason?: string;
}

export function actionLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'actions.log');
}

export interface AuditSink {
  /** Returns why the entry could not be written (undefined when it was). */
  append(entry: AuditEntry): string | undefined;
}

/** Appends to the action log file (created 0600 in a 0700 directory); a write error is reported, never thrown. */
export class FileAuditLog implements AuditSink {
  constructor(
    readonly file: string = actionLogPath(),
    private readonly onError: (message: string) => void = () => {},
  ) {}

  append(entry: AuditEntry): string | undefined {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
      return undefined;
    } catch (e) {
      const message = `cannot write the action log ${this.file}: ${(e as Error).message}`;
      this.onError(message);
      return message;
    }
  }
}

/** Reads the action log back (tests, support). */
export function readActionLog(file: string = actionLogPath()): AuditEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AuditEntry);
}
