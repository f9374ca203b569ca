// --debug FILE: an append-only log of what csi-top did (requests, reconnects, errors).
import fs from 'node:fs';
import { CliError } from './errors';

let fd: number | undefined;

export function openDebugLog(file: string): void {
  try {
    fd = fs.openSync(file, 'a');
  } catch (e) {
    throw new CliError(`cannot open debug log ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  debugLog(`csi-top started: ${process.argv.slice(2).join(' ')}`);
}

export function debugLog(msg: string): void {
  if (fd === undefined) return;
  try {
    fs.writeSync(fd, `${new Date().toISOString()} ${msg}\n`);
  } catch {
    // a full disk must not take the UI down
  }
}

export function debugEnabled(): boolean {
  return fd !== undefined;
}
