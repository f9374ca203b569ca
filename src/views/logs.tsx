// `l` on any pod: its logs in the pane below the view. Follows with autoscroll (scrolling up
// pauses, the title counts what arrived since), previous instance, timestamps, wrap, k9s's time
// windows, containers one by one or all interleaved, a search with highlighted matches, ctrl-s
// to save. The model (src/logs/pane-model.ts) holds the state and the follower; this component
// binds the keys and draws only the rows in view, at most every FRAME_MS however fast lines come.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { ObjRef } from '../store/topology/refs';
import type { StoreReader } from '../store/store';
import type { PodRec } from '../store/records';
import { driverIndex } from '../store/topology';
import type { ObjectAction } from './actions';
import type { PaneProps, ViewContext } from './context';
import type { KeyBinding } from './keys';
import { useViewKeys } from './view-keys';
import { useTheme, type Theme, type Tone } from './theme';
import { SegLine, seg, type Seg } from './pager';
import { LogPaneModel, DEFAULT_LOG_LINES, type PaneTarget, type PodFacts } from '../logs/pane-model';
import { layout, type Layout, type Piece, type Row } from '../logs/layout';
import { LOG_WINDOWS, type StreamStatus } from '../logs/follower';
import { displayPath, saveLog } from '../logs/save';
import { middle, width as cells } from '../util/text';

/** Shortest time between two frames drawn because lines arrived (keys draw at once). */
export const FRAME_MS = 100;

/** The container `l` opens: the default-container annotation, the driver's main container, the first. */
export function defaultContainer(store: StoreReader, pod: PodRec): string {
  const has = (n: string | undefined): n is string => !!n && pod.containers.some((c) => c.name === n);
  const annotated = pod.annotations['kubectl.kubernetes.io/default-container'];
  if (has(annotated)) return annotated;
  const main = driverIndex(store).classOf(pod).mainContainer;
  if (has(main)) return main;
  return pod.containers.find((c) => !c.init)?.name ?? pod.containers[0]?.name ?? '';
}

/** The pod as the pane needs it: containers to cycle (regular, then init) and their states. */
export function podFacts(pod: PodRec | undefined): PodFacts | undefined {
  if (!pod) return undefined;
  return {
    containers: [...pod.containers.filter((c) => !c.init), ...pod.containers.filter((c) => c.init)].map((c) => c.name),
    info: (name) => {
      const c = pod.containers.find((x) => x.name === name);
      return c && { state: c.state, reason: c.reason, restarts: c.restarts };
    },
  };
}

let opened = 0;

/** Opens the log pane of a pod (replacing any pane). */
export function openLogs(ctx: ViewContext, ref: ObjRef, o: { retryMs?: number; waitMs?: number } = {}): void {
  const pod = ctx.store.get('Pod', ref.namespace, ref.name);
  if (!pod) return ctx.flash(`pod ${ref.namespace}/${ref.name} is not in the store`, 'warning');
  const key = `logs-${++opened}`;
  const target = { namespace: ref.namespace, pod: ref.name };
  const container = defaultContainer(ctx.store, pod);
  ctx.openPane({ id: 'logs', render: (p) => <LogPane key={key} {...p} target={target} container={container} {...o} /> });
}

export const logsAction: ObjectAction = {
  keys: ['l'],
  label: 'logs',
  help: "the pod's logs below the view: follow, previous instance, containers, search, save",
  appliesTo: (ref, store) => ref.kind === 'Pod' && !!store.get('Pod', ref.namespace, ref.name),
  run: (ref, ctx) => openLogs(ctx, ref),
};

interface LogPaneProps extends PaneProps {
  readonly target: PaneTarget;
  readonly container: string;
  readonly retryMs?: number;
  readonly waitMs?: number;
}

const WINDOW_HELP = ['the last 100 lines, then new ones', 'from the first line kept', 'since 1 minute ago', 'since 5 minutes ago', 'since 15 minutes ago', 'since 30 minutes ago', 'since 1 hour ago'];

export function LogPane(p: LogPaneProps) {
  const theme = useTheme();
  const { ctx } = p;
  const [, bump] = useState(0);
  const frame = useRef<{ timer?: NodeJS.Timeout; last: number }>({ last: 0 }).current;
  const ui = useRef({ editing: false, draft: '', note: '', lay: undefined as Layout | undefined }).current;
  const redraw = () => bump((n) => n + 1);
  const schedule = () => {
    if (frame.timer) return;
    frame.timer = setTimeout(
      () => {
        frame.timer = undefined;
        frame.last = Date.now();
        redraw();
      },
      Math.max(0, frame.last + FRAME_MS - Date.now()),
    );
  };
  const model = useRef<LogPaneModel | null>(null);
  if (!model.current) {
    const { store } = ctx.session;
    model.current = new LogPaneModel({
      client: ctx.session.logClient,
      target: p.target,
      pod: () => podFacts(store.get('Pod', p.target.namespace, p.target.pod)),
      container: p.container,
      capacity: ctx.options.logLines ?? DEFAULT_LOG_LINES,
      retryMs: p.retryMs,
      waitMs: p.waitMs,
      onChange: schedule,
    });
  }
  const m = model.current;

  useEffect(() => {
    const store = ctx.session.store;
    let rec = store.get('Pod', p.target.namespace, p.target.pod);
    m.start();
    const unsubscribe = store.subscribe((c) => {
      if (!c.kinds.has('Pod')) return;
      const now = store.get('Pod', p.target.namespace, p.target.pod);
      if (now === rec) return;
      rec = now;
      m.poke();
      schedule();
    });
    // Another context or namespace: this pod is not there.
    const unswitch = ctx.session.onSwitch(() => p.close());
    return () => {
      unsubscribe();
      unswitch();
      if (frame.timer) clearTimeout(frame.timer);
      void m.stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const editing = ui.editing;
  // A note under the lines (where a saved file went), whole however long, until the next key.
  const note = ui.note ? chunks(ui.note, p.width).slice(0, Math.max(0, p.height - 3)) : [];
  const room = Math.max(1, p.height - 1 - (editing ? 1 : 0) - note.length);
  const lay = layout(m, p.width, room);
  ui.lay = lay;
  const matches = m.search ? m.matches() : [];
  const act = (f: () => void) => () => {
    ui.note = '';
    f();
    redraw();
  };
  const visible = () => (ui.lay && ui.lay.rows.length ? { first: ui.lay.first, last: ui.lay.last } : undefined);
  const down = (n: number) => () => {
    if (m.autoscroll) return;
    if (m.topSeq + n > (ui.lay?.maxTop ?? 0)) m.resume();
    else m.scroll(n);
    redraw();
  };
  const save = () => {
    try {
      const file = displayPath(saveLog(m.buffer, { namespace: p.target.namespace, pod: p.target.pod, container: m.label }, { timestamps: m.timestamps, previous: m.previous }));
      ui.note = `saved to ${file}`;
      ctx.flash(`saved ${m.buffer.length} lines to ${file}`);
    } catch (e) {
      ctx.flash(`cannot save the log: ${(e as Error).message}`, 'error');
    }
  };

  let bindings: KeyBinding[];
  let fallback: ((name: string) => void) | undefined;
  if (editing) {
    const done = (apply: boolean) => () => {
      ui.editing = false;
      if (apply) {
        m.setSearch(ui.draft);
        if (ui.draft) m.jump(-1, room, visible());
      }
      redraw();
    };
    bindings = [
      { keys: ['enter'], label: 'search', run: done(true) },
      { keys: ['esc'], label: 'cancel', run: done(false) },
      { keys: ['backspace'], label: 'delete', footer: false, run: act(() => (ui.draft = ui.draft.slice(0, -1))) },
      { keys: ['space'], label: 'space', footer: false, run: act(() => (ui.draft += ' ')) },
    ];
    fallback = (name) => {
      if ([...name].length !== 1) return;
      ui.draft += name;
      redraw();
    };
  } else {
    bindings = [
      { keys: ['esc'], label: m.search ? 'clear search' : 'close', help: 'close the log pane (clears the search first)', run: () => (m.search ? (m.setSearch(''), redraw()) : p.close()) },
      { keys: ['s'], label: m.autoscroll ? 'pause' : 'follow', help: 'autoscroll on/off (scrolling up pauses it; G follows again)', run: act(() => m.toggleAutoscroll()) },
      { keys: ['c'], label: 'container', help: 'next container (init containers too)', run: act(() => m.cycleContainer() || ctx.flash(`${p.target.pod} has no other container`)) },
      { keys: ['a'], label: m.all ? 'one container' : 'all', help: 'all containers interleaved by time, each line prefixed with [container]', run: act(() => m.toggleAll()) },
      { keys: ['p'], label: m.previous ? 'current' : 'previous', help: 'the previous instance (before the last restart), and back', run: act(() => m.togglePrevious()) },
      { keys: ['/'], label: 'search', help: 'search the loaded lines (lower case: any case); n/N next/previous match', run: act(() => ((ui.editing = true), (ui.draft = m.search))) },
      ...(m.search
        ? [
            { keys: ['n'], label: 'next', help: 'next match', run: act(() => m.jump(1, room, visible())) },
            { keys: ['N'], label: 'previous match', footer: false, run: act(() => m.jump(-1, room, visible())) },
          ]
        : []),
      { keys: ['t'], label: 'timestamps', help: "the kubelet's timestamps on/off", run: act(() => (m.timestamps = !m.timestamps)) },
      { keys: ['w'], label: 'wrap', help: 'wrap long lines on/off (unwrapped: left/right scroll)', run: act(() => (m.wrap = !m.wrap)) },
      { keys: ['ctrl-s'], label: 'save', help: 'save the loaded lines to a file in the XDG state directory (the path is shown)', run: act(save) },
      { keys: ['f'], label: p.fullscreen ? 'shrink' : 'full', help: 'full screen on/off', run: p.toggleFullscreen },
      ...LOG_WINDOWS.map((w, i) => ({ keys: [String(i)], label: w.label, help: WINDOW_HELP[i] ?? w.label, footer: false, group: 'Window', run: act(() => m.setWindow(i)) })),
      { keys: ['up', 'k'], label: 'up', footer: false, group: 'Navigation', run: act(() => m.scroll(-1)) },
      { keys: ['down', 'j'], label: 'down', footer: false, group: 'Navigation', run: down(1) },
      { keys: ['pgup', 'ctrl-b'], label: 'page up', footer: false, group: 'Navigation', run: act(() => m.scroll(-Math.max(1, room - 1))) },
      { keys: ['pgdn', 'ctrl-f'], label: 'page down', footer: false, group: 'Navigation', run: down(Math.max(1, room - 1)) },
      { keys: ['g', 'home'], label: 'oldest line', footer: false, group: 'Navigation', run: act(() => m.toTop()) },
      { keys: ['G', 'end'], label: 'newest line, following', footer: false, group: 'Navigation', run: act(() => m.resume()) },
      { keys: ['left'], label: 'scroll left', footer: false, group: 'Navigation', run: act(() => (m.hscroll = Math.max(0, m.hscroll - Math.floor(p.width / 2)))) },
      { keys: ['right'], label: 'scroll right', footer: false, group: 'Navigation', run: act(() => !m.wrap && (m.hscroll += Math.floor(p.width / 2))) },
    ];
  }
  useViewKeys(bindings, editing, fallback);

  const status = m.status();
  const title = titleSegs(m, status, theme, matches.length ? `${matches.indexOf(m.current) + 1 || '-'}/${matches.length}` : 'no match', p.width);
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <SegLine width={p.width} segs={title} />
      {lay.rows.length ? lay.rows.map((r, i) => <LogRow key={i} row={r} theme={theme} />) : <SegLine width={p.width} segs={[emptyText(m, status)]} />}
      {note.length ? (
        <Box flexGrow={1} flexDirection="column" justifyContent="flex-end">
          {note.map((l, i) => (
            <SegLine key={i} width={p.width} segs={[seg(l, { accent: true })]} />
          ))}
        </Box>
      ) : null}
      {editing ? (
        <Box flexGrow={1} flexDirection="column" justifyContent="flex-end">
          <SegLine width={p.width} segs={[seg('/', { bold: true, accent: true }), seg(ui.draft), seg(' ', { inverse: true }), seg('   enter searches, esc cancels', { dim: true })]} />
        </Box>
      ) : null}
    </Box>
  );
}

/** Cuts text into rows of `w` cells (paths: no word breaks). */
function chunks(text: string, w: number): string[] {
  const out: string[] = [];
  let row = '';
  for (const ch of text) {
    if (cells(row + ch) > w) (out.push(row), (row = ''));
    row += ch;
  }
  if (row) out.push(row);
  return out;
}

const STATE_TONE: Record<StreamStatus['state'], Tone | undefined> = { streaming: 'ok', connecting: 'info', waiting: 'warning', reconnecting: 'warning', ended: 'done', error: 'error' };

function stateText(s: StreamStatus): string {
  switch (s.state) {
    case 'streaming':
      return 'streaming';
    case 'connecting':
      return 'connecting…';
    case 'waiting':
      return s.message || 'waiting for the container';
    case 'reconnecting':
      return `reconnecting${s.message ? `: ${s.message}` : ''}`;
    case 'ended':
      return `ended${s.message ? ` (${s.message})` : ''}`;
    case 'error':
      return s.message || 'error';
  }
}

function titleSegs(m: LogPaneModel, status: StreamStatus, theme: Theme, matchText: string, width: number): Seg[] {
  const tone = STATE_TONE[status.state];
  const mark = theme.marks[tone ?? 'ok'].trim();
  const head = seg('Logs ', { bold: true, accent: true });
  const rest: Seg[] = [
    seg(` [${m.all ? 'all containers' : m.container}]`, { bold: true }),
    ...(m.previous ? [seg(' previous', { tone: 'warning' })] : []),
    seg(`  ${mark ? `${mark} ` : ''}${stateText(status)}`, tone && tone !== 'ok' ? { tone } : {}),
  ];
  if (!m.autoscroll) rest.push(seg(`  paused${m.newLines ? ` ${theme.arrowDown}${m.newLines} new` : ''}`, { tone: 'warning', bold: true }));
  if (m.search) rest.push(seg(`  /${m.search} ${matchText}`, matchText === 'no match' ? { tone: 'warning' } : {}));
  // The pod name gives way (its middle) to what follows it; the options come last, cut first.
  const used = rest.reduce((n, x) => n + cells(x.text), cells(head.text));
  const name = middle(`${m.target.namespace}/${m.target.pod}`, Math.max(24, width - used), theme.ellipsis);
  const opts = [m.window.label === 'tail' ? 'tail 100' : m.window.label === 'head' ? 'all lines' : `since ${m.window.label}`, m.autoscroll ? 'follow' : '', m.timestamps ? 'timestamps' : '', m.wrap ? 'wrap' : '', m.hscroll && !m.wrap ? `col ${m.hscroll + 1}` : ''].filter(Boolean);
  return [head, seg(name), ...rest, seg(`  ${opts.join(' · ')}`, { dim: true })];
}

function emptyText(m: LogPaneModel, status: StreamStatus): Seg {
  if (status.state === 'connecting') return seg('connecting…', { dim: true });
  const none = `no log lines${m.window.sinceSeconds ? ` in the last ${m.window.label}` : ''}`;
  if (status.state === 'streaming') return seg(`${none} yet`, { dim: true });
  return seg(`${none}; ${stateText(status)}`, STATE_TONE[status.state] && status.state !== 'ended' ? { tone: STATE_TONE[status.state] } : { dim: true });
}

const KIND_TONE: Record<Row['kind'], Tone | undefined> = { log: undefined, marker: 'warning', error: 'error' };

function LogRow({ row, theme }: { row: Row; theme: Theme }) {
  const tone = KIND_TONE[row.kind];
  return (
    <Text wrap="truncate">
      {row.pieces.map((pc, i) => (
        <PieceText key={i} piece={pc} theme={theme} tone={tone} />
      ))}
    </Text>
  );
}

function PieceText({ piece, theme, tone }: { piece: Piece; theme: Theme; tone: Tone | undefined }) {
  switch (piece.style) {
    case 'prefix':
      return <Text color={theme.accent}>{piece.text}</Text>;
    case 'ts':
    case 'cut':
      return <Text dimColor>{piece.text}</Text>;
    case 'match':
      return <Text inverse>{piece.text}</Text>;
    case 'current':
      return (
        <Text inverse bold underline>
          {piece.text}
        </Text>
      );
    default:
      return tone ? (
        <Text color={theme.toneColor(tone)} bold>
          {piece.text}
        </Text>
      ) : (
        <Text>{piece.text}</Text>
      );
  }
}
