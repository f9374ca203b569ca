// Kubeconfig text for a simulator: one cluster, one user (a bearer token), one context. Strings
// are written JSON-quoted, which YAML reads as double-quoted scalars. Plain HTTP gets
// insecure-skip-tls-verify because @kubernetes/client-node refuses http servers otherwise.

export interface KubeconfigSpec {
  server: string;
  token: string;
  user: string;
  caPem?: string;
  context?: string;
  namespace?: string;
}

const q = (s: string) => JSON.stringify(s);

export function kubeconfigYaml(s: KubeconfigSpec): string {
  const context = s.context ?? 'csi-top-sim';
  const cluster = [`    server: ${q(s.server)}`];
  if (s.server.startsWith('https:') && s.caPem) cluster.push(`    certificate-authority-data: ${q(Buffer.from(s.caPem).toString('base64'))}`);
  else cluster.push('    insecure-skip-tls-verify: true');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(context)}`,
    '  cluster:',
    ...cluster,
    'users:',
    `- name: ${q(s.user)}`,
    '  user:',
    `    token: ${q(s.token)}`,
    'contexts:',
    `- name: ${q(context)}`,
    '  context:',
    `    cluster: ${q(context)}`,
    `    user: ${q(s.user)}`,
    `    namespace: ${q(s.namespace ?? 'default')}`,
    `current-context: ${q(context)}`,
    'preferences: {}',
    '',
  ].join('\n');
}
