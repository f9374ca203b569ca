// `:ctx` and `:ns` — pick a kubeconfig context or a namespace scope; Enter switches (the store is
// emptied and refilled from the new source).
import type { ListSpec } from './list';
import { sanitize } from '../util/sanitize';

interface Choice {
  readonly name: string;
  readonly current: boolean;
  readonly label: string;
}

export const contextsView: ListSpec<Choice> = {
  name: 'ctx',
  aliases: [],
  title: 'Contexts',
  description: 'kubeconfig contexts',
  kinds: [],
  rows: (_store, session) => session.contexts().map((name) => ({ name, current: name === session.contextName, label: name })),
  columns: [
    { name: 'NAME', cell: (c) => c.label, sortKey: 'N', search: true },
    { name: 'CURRENT', cell: (c) => (c.current ? '*' : '') },
  ],
  rowKey: (c) => c.name,
  ref: () => undefined,
  tone: () => undefined,
  defaultSort: { column: 'NAME' },
  keys: (row, ctx) => [
    {
      keys: ['enter'],
      label: 'switch',
      help: 'switch to the selected context',
      group: 'View',
      run: () => (row ? (row.current ? ctx.flash(`already on ${sanitize(row.name)}`) : ctx.switchContext(row.name)) : undefined),
    },
  ],
  empty: 'the kubeconfig lists no contexts',
};

const ALL = '(all namespaces)';

export const namespacesView: ListSpec<Choice> = {
  name: 'ns',
  aliases: [],
  title: 'Namespaces',
  description: 'namespace scope',
  kinds: ['Namespace'],
  rows: (store, session) => [
    { name: '', current: session.namespace === null, label: ALL },
    ...store.list('Namespace').map((n) => ({ name: n.name, current: n.name === session.namespace, label: n.name })),
  ],
  columns: [
    { name: 'NAME', cell: (c) => c.label, sortKey: 'N', search: true },
    { name: 'CURRENT', cell: (c) => (c.current ? '*' : '') },
  ],
  rowKey: (c) => c.name || '*',
  ref: (c) => (c.name ? { kind: 'Namespace', namespace: '', name: c.name } : undefined),
  tone: () => undefined,
  defaultSort: { column: 'NAME' },
  keys: (row, ctx) => [
    {
      keys: ['enter'],
      label: 'switch',
      help: 'scope the views, doctor and findings to the selected namespace (or all)',
      group: 'View',
      run: () => (row ? (row.current ? ctx.flash(`already watching ${row.label}`) : ctx.switchNamespace(row.name || null)) : undefined),
    },
  ],
  empty: 'no namespaces visible (type :ns NAME)',
};
