// Every list view, in the order `:` completion and the help offer them.
import type { AnyListSpec } from './list';
import { podsView } from './pods';
import { mountsView } from './mounts';
import { pluginsView } from './plugins';
import { controllersView } from './controllers';
import { pvcView } from './pvc';
import { pvView } from './pv';
import { scView } from './sc';
import { driversView } from './drivers';
import { eventsView } from './events';
import { vaView } from './va';
import { nodesView } from './nodes';
import { doctorView } from './doctor';
import { contextsView, namespacesView } from './contexts';

export const LIST_VIEWS: readonly AnyListSpec[] = [
  podsView,
  mountsView,
  pluginsView,
  controllersView,
  pvcView,
  pvView,
  scView,
  driversView,
  eventsView,
  vaView,
  nodesView,
  doctorView,
  contextsView,
  namespacesView,
];

export function listView(name: string): AnyListSpec | undefined {
  return LIST_VIEWS.find((l) => l.name === name);
}
