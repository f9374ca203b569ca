// The shell: header, the current view, the flash/command/filter line and the footer. It owns the
// only useInput of the program (one stable handler), the navigation history and the modes (`:`
// command bar, `/` filter, `?` help). Key presses go to the current view's key table first, then
// to the global keys below; the footer and help are drawn from the same tables.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { UiOptions, UiSession } from './session';
import { refOf, type ObjRef } from '../store/topology/refs';
import { normalize, type KeyBinding, type KeyTable } from './keys';
import { KeyRegistryContext, type KeyRegistry } from './view-keys';
import { back, current, forward, push, startHistory, type Entry, type History } from './nav';
import { commandList, completions, resolveCommand } from './commands';
import { LIST_VIEWS, listView } from './lists';
import { makeTheme, ThemeContext, type Tone } from './theme';
import { useTerminalSize } from './hooks';
import { Header } from './header';
import { Footer } from './footer';
import { Browser, type BrowserState } from './browser';
import { Detail } from './detail';
import { Tree } from './tree';
import { YamlView } from './yaml';
import { Help } from './help';
import type { Pane, ViewContext } from './context';
import { OBJECT_ACTIONS, type ObjectAction } from './actions';
import { SessionContext } from './session-context';
import { SegLine, seg } from './pager';
import { setFindingsUsage } from './selectors/findings';
import { ViewBoundary } from './boundary';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface ShellProps {
  readonly session: UiSession;
  readonly opts: UiOptions;
  readonly onQuit: () => void;
  /** The first view (default :pods). */
  readonly start?: string;
  /** Object actions offered on selected objects (default: OBJECT_ACTIONS). */
  readonly actions?: readonly ObjectAction[];
  /** Fixed size instead of the terminal's (tests). */
  readonly size?: { readonly columns: number; readonly rows: number };
}

type Mode = 'normal' | 'command' | 'filter' | 'help';

interface Flash {
  readonly text: string;
  readonly tone: Tone;
}

/** The shell's state lives in one mutable object so that several keys arriving in one chunk see each other's effects. */
interface UiState {
  history: History;
  mode: Mode;
  text: string;
  flash: Flash | null;
  /** The view's key table when help was opened. */
  helpFor: KeyTable | null;
  /** The pane below the view (logs), which gets the keys while open. */
  pane: Pane | null;
  paneFull: boolean;
}

const FLASH_MS = 6000;

export function Shell({ session, opts, onQuit, start = 'pods', size, actions = OBJECT_ACTIONS }: ShellProps) {
  const theme = useMemo(() => makeTheme(opts), [opts]);
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  const [, bump] = useState(0);
  const rerender = useCallback(() => bump((n) => n + 1), []);
  const ui = useRef<UiState>({ history: startHistory({ kind: 'list', list: listView(start) ? start : 'pods' }), mode: 'normal', text: '', flash: null, helpFor: null, pane: null, paneFull: false }).current;
  const registry = useRef<KeyRegistry>({ current: { bindings: [] }, changed: () => {} }).current;
  registry.changed = rerender;
  const paneRegistry = useRef<KeyRegistry>({ current: { bindings: [] }, changed: () => {} }).current;
  paneRegistry.changed = rerender;
  const cmds = useMemo(() => commandList(LIST_VIEWS), []);

  useEffect(() => session.onSwitch(rerender), [session, rerender]);
  setFindingsUsage(session.store, session.usage);

  // Flash messages fade after a while.
  const flashTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  const flash = useCallback(
    (text: string, tone: Tone = 'info') => {
      ui.flash = { text, tone };
      if (flashTimer.current) clearTimeout(flashTimer.current);
      flashTimer.current = setTimeout(() => ((ui.flash = null), rerender()), FLASH_MS);
      flashTimer.current.unref?.();
      rerender();
    },
    [ui, rerender],
  );
  useEffect(() => () => clearTimeout(flashTimer.current), []);

  const go = useCallback(
    (h: History) => {
      ui.history = h;
      ui.mode = ui.mode === 'help' ? 'normal' : ui.mode;
      rerender();
    },
    [ui, rerender],
  );
  const open = useCallback((how: 'detail' | 'tree' | 'yaml', ref: ObjRef) => go(push(ui.history, { kind: how, ref: refOf(ref) })), [go, ui]);
  const openList = useCallback((list: string) => go(push(ui.history, { kind: 'list', list })), [go, ui]);
  const switchContext = useCallback(
    (name: string) => {
      flash(`switching to context ${name}…`);
      session.switchContext(name).then(
        () => flash(`context ${name}`),
        (e: Error) => flash(`cannot switch to ${name}: ${e.message}`, 'error'),
      );
    },
    [session, flash],
  );
  const switchNamespace = useCallback(
    (ns: string | null) => {
      flash(ns === null ? 'watching all namespaces…' : `watching namespace ${ns}…`);
      session.switchNamespace(ns).then(
        () => flash(ns === null ? 'all namespaces' : `namespace ${ns}`),
        (e: Error) => flash(`cannot switch namespace: ${e.message}`, 'error'),
      );
    },
    [session, flash],
  );
  const openPane = useCallback(
    (pane: Pane) => {
      ui.pane = pane;
      ui.paneFull = false;
      paneRegistry.current = { bindings: [] };
      rerender();
    },
    [ui, paneRegistry, rerender],
  );
  const closePane = useCallback(() => {
    ui.pane = null;
    rerender();
  }, [ui, rerender]);
  const listCtx: ViewContext = useMemo(
    () => ({ store: session.store, session, options: opts, actions, open, flash, switchContext, switchNamespace, openPane, closePane }),
    [session, opts, actions, open, flash, switchContext, switchNamespace, openPane, closePane],
  );

  const runCommand = (text: string) => {
    const r = resolveCommand(cmds, text);
    switch (r.kind) {
      case 'error':
        return flash(r.message, 'error');
      case 'quit':
        return onQuit();
      case 'help':
        return openHelp();
      case 'ctx':
        return session.contexts().includes(r.arg) ? switchContext(r.arg) : flash(`no context "${r.arg}" (:ctx lists them)`, 'error');
      case 'ns':
        return switchNamespace(r.arg === 'all' || r.arg === '-A' ? null : r.arg);
      case 'list':
        return openList(r.list);
    }
  };
  const openHelp = () => {
    ui.helpFor = ui.pane ? paneRegistry.current : registry.current;
    ui.mode = 'help';
    rerender();
  };
  const closeHelp = () => {
    ui.mode = 'normal';
    rerender();
  };

  const entry = current(ui.history);
  const isList = entry.loc.kind === 'list';
  const globals: KeyBinding[] = [
    { keys: [':'], label: 'cmd', help: 'command bar: :pods :mounts :plugins :pvc :drivers :doctor :ctx :ns :q … (tab completes)', group: 'General', run: () => ((ui.mode = 'command'), (ui.text = ''), rerender()) },
    {
      keys: ['/'],
      label: isList ? 'filter' : 'search',
      help: isList ? 'filter rows: fuzzy text, !text excludes, -l k=v labels; enter keeps, esc clears' : 'search this page; n/N next/previous match; esc clears',
      group: 'General',
      run: () => ((ui.mode = 'filter'), (ui.text = entry.filter), rerender()),
    },
    { keys: ['?'], label: 'help', help: 'the keys of this view', group: 'General', run: openHelp },
    { keys: ['esc'], label: 'back', help: 'back to the previous view (clears the filter first)', footer: ui.history.index > 0 || !!entry.filter, group: 'General', run: () => escape() },
    { keys: ['['], label: 'history back', footer: false, group: 'General', run: () => go(back(ui.history)) },
    { keys: [']'], label: 'history forward', footer: false, group: 'General', run: () => go(forward(ui.history)) },
    { keys: ['ctrl-c'], label: 'quit', help: 'quit (also :q)', footer: false, group: 'General', run: onQuit },
  ];
  const escape = () => {
    if (entry.filter) {
      entry.filter = '';
      rerender();
    } else go(back(ui.history));
  };

  const dispatch = (name: string) => {
    if (name === 'ctrl-c') return onQuit();
    if (ui.mode === 'command' || ui.mode === 'filter') return edit(name);
    // An open pane (logs) gets the keys first, the view none of them.
    const table = ui.pane && ui.mode !== 'help' ? paneRegistry.current : registry.current;
    const b = table.bindings.find((x) => x.keys.includes(name)) ?? (table.exclusive ? undefined : globals.find((x) => x.keys.includes(name)));
    if (b) b.run();
    else table.fallback?.(name);
  };
  const setText = (t: string) => {
    ui.text = t;
    if (ui.mode === 'filter') current(ui.history).filter = t;
    rerender();
  };
  const typeText = (t: string) => setText(ui.text + t);
  const edit = (name: string) => {
    const filtering = ui.mode === 'filter';
    const cur = current(ui.history);
    if (name === 'enter') {
      ui.mode = 'normal';
      if (!filtering) runCommand(ui.text);
      ui.text = '';
      return rerender();
    }
    if (name === 'esc') {
      if (filtering) cur.filter = '';
      ui.mode = 'normal';
      ui.text = '';
      return rerender();
    }
    if (name === 'backspace') {
      if (!ui.text) {
        ui.mode = 'normal';
        return rerender();
      }
      return setText(ui.text.slice(0, -1));
    }
    if (name === 'tab' && !filtering) {
      const c = completions(cmds, ui.text);
      if (c.length) setText(c[0] + ' ');
      return;
    }
    if (name === 'space') return setText(ui.text + ' ');
    if (isText(name)) return setText(ui.text + name);
  };

  // Keys typed ahead arrive in one chunk ("jj⏎", "/trainer⏎t"). Each must act on what the one
  // before it did (the view's key table and rows are rebuilt by a render), so the queue hands
  // out one key per render; text typed into the command or filter line goes in one piece.
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;
  const typeRef = useRef(typeText);
  typeRef.current = typeText;
  const queue = useRef<string[]>([]).current;
  const draining = useRef(false);
  const drain = useCallback(() => {
    const name = queue.shift();
    if (name === undefined) {
      draining.current = false;
      return;
    }
    if ((ui.mode === 'command' || ui.mode === 'filter') && isText(name)) {
      let text = name;
      while (queue.length && isText(queue[0])) text += queue.shift();
      typeRef.current(text);
    } else dispatchRef.current(name);
    // After React has rendered what this key did (its work runs in the check phase before timers).
    if (queue.length) setTimeout(drain, 0);
    else draining.current = false;
  }, [queue, ui]);
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      queue.push(...normalize(input, key));
      if (draining.current) return;
      draining.current = true;
      drain();
    },
    [queue, drain],
  );
  useInput(onInput);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
        <Text wrap="wrap">{`Terminal too small: ${columns}x${rows}. csi-top needs at least ${MIN_COLUMNS}x${MIN_ROWS}; enlarge the window (ctrl-c quits).`}</Text>
      </Box>
    );
  }

  const fullHeight = rows - 1 - 3;
  // The pane stays mounted under the help (a log pane keeps its place); fullscreen yields to the help.
  const paneHeight = ui.pane ? (ui.paneFull && ui.mode !== 'help' ? fullHeight : Math.max(8, Math.floor(fullHeight * 0.5))) : 0;
  const bodyHeight = fullHeight - paneHeight;
  const body = bodyHeight > 0 ? renderBody() : null;
  function renderBody(): React.ReactNode {
    if (ui.mode === 'help') return <Help height={bodyHeight} width={columns} view={ui.helpFor ?? { bindings: [] }} globals={globals} commands={cmds} onClose={closeHelp} />;
    const key = entryKey(entry);
    const loc = entry.loc;
    if (loc.kind === 'list') {
      const spec = listView(loc.list)!;
      return (
        <Browser key={key} spec={spec} store={session.store} state={entry.state as BrowserState} filter={entry.filter} filtering={ui.mode === 'filter'} allNamespaces={session.namespace === null} width={columns} height={bodyHeight} ctx={listCtx} />
      );
    }
    if (loc.kind === 'detail') return <Detail key={key} target={loc.ref} state={entry.state} search={entry.filter} width={columns} height={bodyHeight} ctx={listCtx} />;
    if (loc.kind === 'tree') return <Tree key={key} target={loc.ref} state={entry.state} search={entry.filter} width={columns} height={bodyHeight} ctx={listCtx} />;
    return <YamlView key={key} target={loc.ref} state={entry.state} search={entry.filter} width={columns} height={bodyHeight} ctx={listCtx} />;
  }

  return (
    <ThemeContext.Provider value={theme}>
      <SessionContext.Provider value={session}>
        <KeyRegistryContext.Provider value={registry}>
          <Box flexDirection="column" width={columns} height={rows - 1}>
            <Header store={session.store} contextName={session.contextName} serverVersion={session.serverVersion} namespace={session.namespace} readonly={opts.readonly} demo={opts.demo} width={columns} />
            {bodyHeight > 0 ? (
              <Box height={bodyHeight} flexDirection="column">
                <ViewBoundary key={ui.mode === 'help' ? 'help' : entryKey(entry)}>{body}</ViewBoundary>
              </Box>
            ) : null}
            {paneHeight > 0 && ui.pane ? (
              <KeyRegistryContext.Provider value={paneRegistry}>
                <Box height={paneHeight} flexDirection="column">
                  {ui.pane.render({
                    width: columns,
                    height: paneHeight,
                    fullscreen: ui.paneFull && ui.mode !== 'help',
                    toggleFullscreen: () => ((ui.paneFull = !ui.paneFull), rerender()),
                    close: closePane,
                    ctx: listCtx,
                  })}
                </Box>
              </KeyRegistryContext.Provider>
            ) : null}
            <StatusLine mode={ui.mode} text={ui.text} flash={ui.flash} filter={entry.filter} list={isList} completion={ui.mode === 'command' ? completions(cmds, ui.text) : []} width={columns} />
            <Footer view={ui.mode === 'help' ? { bindings: [], exclusive: true } : ui.pane ? paneRegistry.current : registry.current} globals={globals} width={columns} mode={ui.mode} />
          </Box>
        </KeyRegistryContext.Provider>
      </SessionContext.Provider>
    </ThemeContext.Provider>
  );
}

/** A typed character rather than a named key such as 'enter' or 'ctrl-d'. */
const isText = (name: string): boolean => [...name].length === 1;

const keys = new WeakMap<Entry, number>();
let nextKey = 1;
function entryKey(e: Entry): string {
  let k = keys.get(e);
  if (!k) keys.set(e, (k = nextKey++));
  return `e${k}`;
}

function StatusLine(p: { mode: Mode; text: string; flash: Flash | null; filter: string; list: boolean; completion: readonly string[]; width: number }) {
  if (p.mode === 'command') {
    const first = p.completion[0];
    const rest = first && first.startsWith(p.text) ? first.slice(p.text.length) : '';
    const others = p.completion.slice(rest || !first ? 1 : 0, 8).map((c, i) => (i === 0 && !rest && first ? `→ ${c}` : c));
    return (
      <SegLine
        width={p.width}
        segs={[seg(':', { bold: true, accent: true }), seg(p.text), seg(rest ? rest[0] : ' ', { inverse: true }), seg(rest.slice(1), { dim: true }), ...(others.length ? [seg(`   ${others.join(' ')}`, { dim: true })] : [])]}
      />
    );
  }
  if (p.mode === 'filter') {
    return (
      <SegLine
        width={p.width}
        segs={[seg('/', { bold: true, accent: true }), seg(p.text), seg(' ', { inverse: true }), seg(p.text ? '   enter keeps, esc clears' : p.list ? '   fuzzy text, !text excludes, -l k=v labels' : '   text to find on this page', { dim: true })]}
      />
    );
  }
  if (p.flash) return <FlashLine flash={p.flash} width={p.width} />;
  if (p.filter) return <SegLine width={p.width} segs={[seg(`${p.list ? 'filter' : 'search'} /${p.filter}   (/ edits, ${p.list ? '' : 'n/N next/previous, '}esc clears)`, { dim: true })]} />;
  return <Text> </Text>;
}

function FlashLine(p: { flash: Flash; width: number }) {
  const theme = React.useContext(ThemeContext);
  const tone = p.flash.tone === 'info' ? undefined : p.flash.tone;
  return <SegLine width={p.width} segs={[seg(`${p.flash.tone === 'error' ? `${theme.marks.error} ` : ''}${p.flash.text}`, tone ? { tone } : {})]} />;
}
