// The `:` commands: every list view by name and k9s alias, plus context/namespace switching and
// quit. Completion offers names and aliases that start with what was typed.
import type { AnyListSpec } from './list';

export interface CommandInfo {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
}

export type Resolved =
  | { readonly kind: 'list'; readonly list: string }
  | { readonly kind: 'ctx'; readonly arg: string }
  | { readonly kind: 'ns'; readonly arg: string }
  | { readonly kind: 'quit' }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const EXTRA: readonly CommandInfo[] = [
  { name: 'ctx', aliases: ['context', 'contexts'], description: 'switch context (:ctx NAME, or pick from the list)' },
  { name: 'ns', aliases: ['namespace', 'namespaces'], description: 'switch namespace (:ns NAME, :ns all, or pick)' },
  { name: 'help', aliases: ['?'], description: 'keys of the current view' },
  { name: 'q', aliases: ['quit', 'q!', 'exit'], description: 'quit' },
];

export function commandList(lists: readonly AnyListSpec[]): CommandInfo[] {
  return [...lists.filter((l) => l.name !== 'ctx' && l.name !== 'ns').map((l) => ({ name: l.name, aliases: l.aliases, description: l.description })), ...EXTRA];
}

/** Command words (names first, then aliases) starting with the typed word. */
export function completions(cmds: readonly CommandInfo[], typed: string): string[] {
  const word = typed.trimStart().toLowerCase();
  if (word.includes(' ')) return [];
  // What the word already is (a name or a k9s alias) comes first, as its name: `dr` → doctor.
  const exact = cmds.filter((c) => word && (c.name === word || c.aliases.includes(word))).map((c) => c.name);
  const names = cmds.map((c) => c.name).filter((n) => n.startsWith(word) && !exact.includes(n));
  const aliases = cmds.flatMap((c) => c.aliases).filter((a) => a.startsWith(word) && !names.includes(a) && !exact.includes(a) && a !== word);
  return [...exact, ...names, ...aliases];
}

export function resolveCommand(cmds: readonly CommandInfo[], text: string): Resolved {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  const w = word.toLowerCase();
  if (!w) return { kind: 'error', message: 'type a command: pods, mounts, plugins, pvc, … (tab completes)' };
  let cmd = cmds.find((c) => c.name === w || c.aliases.includes(w));
  if (!cmd) {
    const prefixed = cmds.filter((c) => c.name.startsWith(w));
    if (prefixed.length === 1) cmd = prefixed[0];
    else if (prefixed.length > 1) return { kind: 'error', message: `"${word}" could be ${prefixed.map((c) => c.name).join(', ')}` };
  }
  if (!cmd) return { kind: 'error', message: `unknown command "${word}" (tab completes; :help lists keys)` };
  switch (cmd.name) {
    case 'q':
      return { kind: 'quit' };
    case 'help':
      return { kind: 'help' };
    case 'ctx':
      return arg ? { kind: 'ctx', arg } : { kind: 'list', list: 'ctx' };
    case 'ns':
      return arg ? { kind: 'ns', arg } : { kind: 'list', list: 'ns' };
    default:
      return { kind: 'list', list: cmd.name };
  }
}
