// The few events some checks look for across the whole cluster, picked out once per Event version.
import type { EventRec } from '../records';
import type { StoreReader } from '../store';
import { memo } from '../topology/memo';
import { SIG } from './signatures';

export interface EventIndex {
  /** "transport endpoint is not connected" about pods. */
  readonly deadMounts: readonly EventRec[];
  /** VolumeConditionAbnormal / VolumeConditionNormal. */
  readonly volumeConditions: readonly EventRec[];
  /** Reason `Upgrade` (JuiceFS smooth upgrades of mount pods). */
  readonly upgrades: readonly EventRec[];
}

export function eventIndex(store: StoreReader): EventIndex {
  return memo(store, 'eventIndex', ['Event'], () => {
    const deadMounts: EventRec[] = [];
    const volumeConditions: EventRec[] = [];
    const upgrades: EventRec[] = [];
    for (const e of store.list('Event')) {
      if (e.reason === 'Upgrade') upgrades.push(e);
      if (e.reason === 'VolumeConditionAbnormal' || e.reason === 'VolumeConditionNormal') volumeConditions.push(e);
      else if (e.involved.kind === 'Pod' && SIG.deadMount.test(e.message)) deadMounts.push(e);
    }
    return { deadMounts, volumeConditions, upgrades };
  });
}
