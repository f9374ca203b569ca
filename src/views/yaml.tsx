// `y`: the live object as YAML, fetched on demand through the session (never a Secret),
// managedFields left out, every line sanitized by the pager.
import React, { useEffect, useState } from 'react';
import { stringify } from 'yaml';
import type { ObjRef } from '../store/topology/refs';
import type { KindName } from '../store/records';
import { isKindName } from '../store/from-objects';
import type { ViewContext } from './list';
import { Pager, seg, type PagerLine, type PagerState } from './pager';
import { shortKind } from './kinds';
import { sanitizeLines } from '../util/sanitize';

export interface YamlProps {
  readonly target: ObjRef;
  readonly state: PagerState & { text?: string };
  readonly width: number;
  readonly height: number;
  readonly ctx: ViewContext;
  /** The `/` search text. */
  readonly search?: string;
}

/** The object as YAML without metadata.managedFields. */
export function toYaml(obj: unknown): string {
  const o = obj as { metadata?: Record<string, unknown> };
  const copy = o && typeof o === 'object' && o.metadata ? { ...o, metadata: { ...o.metadata } } : o;
  if (copy && typeof copy === 'object' && (copy as typeof o).metadata) delete (copy as typeof o).metadata!.managedFields;
  return stringify(copy, { lineWidth: 0 });
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; lines: string[] };

export function YamlView(p: YamlProps) {
  const { session } = p.ctx;
  const [load, setLoad] = useState<Load>(() => (p.state.text !== undefined ? { state: 'done', lines: sanitizeLines(p.state.text) } : { state: 'loading' }));
  const [, bump] = useState(0);
  useEffect(() => {
    if (load.state !== 'loading') return;
    let live = true;
    const kind = p.target.kind;
    if (!isKindName(kind)) {
      setLoad({ state: 'error', message: `csi-top does not fetch ${kind} objects` });
      return;
    }
    session.getObject(kind as KindName, p.target.namespace, p.target.name).then(
      (obj) => {
        if (!live) return;
        const text = toYaml(obj);
        p.state.text = text;
        setLoad({ state: 'done', lines: sanitizeLines(text.replace(/\n$/, '')) });
      },
      (e: Error) => live && setLoad({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [session, p.target, load.state, p.state]);
  const refresh = () => {
    p.state.text = undefined;
    setLoad({ state: 'loading' });
  };
  const lines: PagerLine[] =
    load.state === 'loading'
      ? [{ segs: [seg('loading…', { dim: true })] }]
      : load.state === 'error'
        ? [{ segs: [seg(`cannot fetch: ${load.message}`, { tone: 'error' })] }]
        : load.lines.map((l) => ({ segs: yamlSegs(l) }));
  return (
    <Pager
      title={[
        seg('YAML', { bold: true, accent: true }),
        seg(` ${shortKind(p.target.kind)} ${p.target.namespace ? `${p.target.namespace}/` : ''}${p.target.name}`),
        seg('  (managedFields hidden)', { dim: true }),
      ]}
      lines={lines}
      state={p.state}
      search={p.search ?? ''}
      width={p.width}
      height={p.height}
      onMove={() => bump((n) => n + 1)}
      keys={() => [
        { keys: ['r'], label: 'refresh', help: 'fetch the object again', group: 'View', run: refresh },
        { keys: ['d'], label: 'detail', help: 'describe this object', group: 'View', run: () => p.ctx.open('detail', p.target) },
      ]}
    />
  );
}

/** Keys dimmed, values plain: readable on any background. */
function yamlSegs(l: string) {
  const m = /^(\s*(?:- )?)([^:\s][^:]*:)(\s.*)?$/.exec(l);
  if (!m) return [seg(l)];
  return [seg(m[1]), seg(m[2], { bold: true }), seg(m[3] ?? '')];
}
