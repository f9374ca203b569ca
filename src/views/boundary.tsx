// A view that throws while rendering shows its error in its place instead of ending the program:
// the rest of the shell (header, footer, history) keeps working, esc goes back.
import React from 'react';
import { Text } from 'ink';
import { debugLog } from '../util/debug';
import { sanitize } from '../util/sanitize';

interface State {
  readonly error: Error | null;
}

export class ViewBoundary extends React.Component<{ children: React.ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    debugLog(`view error: ${error.stack ?? error.message}`);
  }

  override render() {
    if (this.state.error) {
      return <Text wrap="wrap">{`This view failed: ${sanitize(this.state.error.message)}. Esc goes back; please report it (--debug FILE logs the stack).`}</Text>;
    }
    return this.props.children;
  }
}
