// Finds and loads the kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG (a
// path-list merged with the first file winning per name), else ~/.kube/config. Every problem
// becomes a one-line CliError.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../util/errors';

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

export interface LoadedConfig {
  kc: KubeConfig;
  /** Files the configuration came from (for messages). */
  files: string[];
  contextName: string;
  server: string;
  /** The namespace csi-top scopes to, or null for all namespaces. */
  namespace: string | null;
  /** The context's own default namespace (for :ns and hints). */
  contextNamespace: string;
}

function readConfig(file: string): KubeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read kubeconfig ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (e) {
    throw new CliError(`invalid kubeconfig ${file}: ${firstLine((e as Error).message)}`);
  }
  kc.makePathsAbsolute(path.dirname(file));
  return kc;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** kubectl's merge: the first file to define a name wins; current-context from the first file that sets one. */
function merge(configs: KubeConfig[]): KubeConfig {
  const out = new KubeConfig();
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, KubeConfig['contexts'][number]>();
  let current = '';
  for (const kc of configs) {
    for (const c of kc.clusters ?? []) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users ?? []) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current && kc.currentContext) current = kc.currentContext;
  }
  out.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current });
  return out;
}

export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) return [flag];
  if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(path.delimiter).filter(Boolean);
    // kubectl skips listed files that do not exist; it fails only if none does.
    const existing = listed.filter((f) => fs.existsSync(f));
    if (existing.length === 0) throw new CliError(`no kubeconfig found: none of the files in KUBECONFIG exist (${listed.join(', ')}); try --demo to see csi-top without a cluster`);
    return existing;
  }
  const home = env.HOME || os.homedir();
  const file = path.join(home, '.kube', 'config');
  if (!fs.existsSync(file)) throw new CliError(`no kubeconfig found at ${file}; use --kubeconfig PATH, set KUBECONFIG, or try --demo`);
  return [file];
}

export function loadKubeConfig(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const files = kubeconfigFiles(flags.kubeconfig, env);
  const kc = files.length === 1 ? readConfig(files[0]) : merge(files.map(readConfig));
  return selectContext(kc, files, flags);
}

/** Applies --context/-n/-A to a loaded configuration. */
export function selectContext(kc: KubeConfig, files: string[], flags: ConnectionFlags): LoadedConfig {
  const where = files.join(', ');
  const names = kc.contexts.map((c) => c.name);
  if (names.length === 0) throw new CliError(`kubeconfig ${where} has no contexts; try --demo to see csi-top without a cluster`);
  const contextName = flags.context ?? kc.currentContext;
  if (!contextName) throw new CliError(`kubeconfig ${where} has no current-context; pick one with --context (available: ${names.join(', ')})`);
  const ctx = kc.getContextObject(contextName);
  if (!ctx) throw new CliError(`context "${contextName}" not found in ${where} (available: ${names.join(', ')})`);
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new CliError(`context "${contextName}" refers to cluster "${ctx.cluster}", which is not in ${where}`);
  if (!cluster.server) throw new CliError(`cluster "${cluster.name}" in ${where} has no server address`);
  if (ctx.user && !kc.getUser(ctx.user)) throw new CliError(`context "${contextName}" refers to user "${ctx.user}", which is not in ${where}`);
  const contextNamespace = ctx.namespace || 'default';
  const namespace = flags.allNamespaces ? null : (flags.namespace ?? (ctx.namespace ? ctx.namespace : null));
  return { kc, files, contextName, server: cluster.server, namespace, contextNamespace };
}
