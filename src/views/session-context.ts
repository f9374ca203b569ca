// The session, for views that need more than the store (YAML fetches, contexts).
import { createContext, useContext } from 'react';
import type { UiSession } from './session';

export const SessionContext = createContext<UiSession | null>(null);

export function useSession(): UiSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the shell');
  return s;
}
