// What the object views (detail, tree) read on every render: the store version of every kind they
// show, the clock, the findings, and a way to redraw after a cursor move.
import { useState } from 'react';
import type { ViewContext } from './list';
import { useNow, useStoreVersion } from './hooks';
import { useFindings, type FindingsView } from './selectors/findings';
import { TREE_KINDS } from './detail-data';

export interface Live {
  readonly version: string;
  readonly now: number;
  readonly findings: FindingsView;
  readonly redraw: () => void;
}

export function useLive(ctx: ViewContext): Live {
  const version = useStoreVersion(ctx.session.store, TREE_KINDS);
  const now = useNow();
  const [, bump] = useState(0);
  const findings = useFindings(ctx.store);
  return { version, now, findings, redraw: () => bump((n) => n + 1) };
}
