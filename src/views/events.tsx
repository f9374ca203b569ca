// `:events` — events newest first (warnings coloured), with the object each is about.
import type { EventRec } from '../store/records';
import { refOf } from '../store/topology/refs';
import { age } from '../util/time';
import type { ListSpec } from './list';
import { nsColumn } from './columns';
import { shortKind } from './kinds';

export const eventsView: ListSpec<EventRec> = {
  name: 'events',
  aliases: ['ev', 'event'],
  title: 'Events',
  description: 'events, newest first',
  kinds: ['Event'],
  rows: (store) => store.list('Event'),
  columns: [
    { name: 'LAST', cell: (e, c) => age(c.now, e.last), sort: (e) => -e.last, sortKey: 'A', align: 'right' },
    { name: 'TYPE', cell: (e) => e.type, tone: (e) => (e.type === 'Warning' ? 'warning' : undefined), sortKey: 'T', search: true, drop: 5 },
    { name: 'REASON', cell: (e) => e.reason, sortKey: 'R', search: true, min: 12, max: 28 },
    { ...nsColumn<EventRec>(), drop: 4 },
    { name: 'OBJECT', cell: (e) => `${shortKind(e.involved.kind)}/${e.involved.name}`, sortKey: 'O', search: true, min: 16, max: 48, cut: 'middle' },
    { name: 'COUNT', cell: (e) => String(e.count), sort: (e) => e.count, align: 'right', drop: 3 },
    { name: 'MESSAGE', cell: (e) => e.message, search: true, min: 28 },
  ],
  rowKey: (e) => e.uid || `${e.namespace}/${e.name}`,
  ref: refOf,
  tone: (e) => (e.type === 'Warning' ? 'warning' : undefined),
  defaultSort: { column: 'LAST' },
  empty: 'no events (they expire after an hour)',
};
