// What the views get from the outside world: the store to read, facts about the connection, and
// a few requests (switch context/namespace, fetch an object for YAML). Views know nothing of HTTP;
// src/kube/connection.ts implements this, tests use a fake over storeFromObjects().
import type { Store } from '../store/store';
import type { KindName } from '../store/records';
import type { RawObject } from '../store/project';
import type { LogClient } from '../logs/follower';
import type { Actions } from '../actions/types';
import type { UsageView } from '../store/usage';

export interface UiSession {
  readonly store: Store;
  readonly contextName: string;
  readonly serverVersion: string;
  /** null = all namespaces. */
  readonly namespace: string | null;
  contexts(): string[];
  switchContext(name: string): Promise<void>;
  switchNamespace(namespace: string | null): Promise<void>;
  /** Told after a context or namespace switch. */
  onSwitch(fn: () => void): () => void;
  /** The live object, for the YAML view (never a Secret). */
  getObject(kind: KindName, namespace: string, name: string): Promise<RawObject>;
  /** Pod log streams (the log pane); follows context switches. */
  readonly logClient: LogClient;
  /** Resize, delete, restart and the permission checks for them (src/actions); absent: actions are unavailable. */
  readonly actions?: Actions;
  /** Volume usage per PVC (kubelet stats or Prometheus), when polled. */
  readonly usage?: UsageView;
}

export interface UiOptions {
  readonly: boolean;
  color: boolean;
  ascii: boolean;
  /** Shown in the header when running against the built-in simulator. */
  demo: boolean;
  /** Lines the log pane keeps (default 10 000). */
  logLines?: number;
}
