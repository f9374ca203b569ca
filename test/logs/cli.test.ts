// --log-lines: how many lines the log pane keeps.
import { describe, expect, it } from 'vitest';
import { parseCli, type CliOptions } from '../../src/cli';

describe('--log-lines', () => {
  it('sets the log pane capacity, within bounds, for the UI only', () => {
    expect((parseCli(['--demo', '--log-lines', '50000'], {}) as CliOptions).logLines).toBe(50_000);
    expect((parseCli([], {}) as CliOptions).logLines).toBeUndefined();
    expect(() => parseCli(['--log-lines', '10'], {})).toThrow('--log-lines takes a whole number of lines from 100 to 1000000, not "10"');
    expect(() => parseCli(['--log-lines', '1e5'], {})).toThrow(/not "1e5"/);
    expect(() => parseCli(['doctor', '--log-lines', '500'], {})).toThrow('--log-lines only works in the UI');
  });
});
