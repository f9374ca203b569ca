// The filter's highlights as the terminal shows them: matched characters bold and underlined,
// a run of them drawn as one styled piece, the frame the same as one piece per character.
import React from 'react';
import { Text } from 'ink';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Table } from '../../src/views/table';
import type { Column, RowCtx } from '../../src/views/list';

const level = chalk.level;
beforeAll(() => {
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

interface R {
  name: string;
  status: string;
}

const columns: Column<R>[] = [
  { name: 'NAME', cell: (r) => r.name, search: true },
  { name: 'STATUS', cell: (r) => r.status, search: true },
];

describe('table highlights', () => {
  it('bolds and underlines the matched characters, runs as one piece, the same frame as one piece each', () => {
    const rows: R[] = [
      { name: 'app-12-ax1', status: 'Running' },
      { name: 'web-3', status: 'Pending' },
    ];
    const hl = new Map<R, Map<number, number[]>>([
      [rows[0], new Map([[0, [0, 1, 2, 3, 4, 5, 8]]])],
      [rows[1], new Map([[1, [0, 2]]])],
    ]);
    const table = render(
      <Table columns={columns} rows={rows} top={0} cursor={1} height={3} width={40} ctx={{} as RowCtx} rowKey={(r) => r.name} rowTone={() => 'ok'} highlights={{ get: (r) => hl.get(r) }} searchColumns={[0, 1]} />,
    );
    const frame = table.lastFrame()!;
    table.unmount();
    // Bold and underline on, in either order; and off.
    const on = '(?:\\x1b\\[[14]m){2}';
    const off = '(?:\\x1b\\[2[24]m){2}';
    const line = frame.split('\n')[1];
    expect(line).toMatch(new RegExp(`${on}app-12${off}-a${on}x${off}1`));
    // The same characters, each in its own bold underlined Text (what the table drew before).
    const each = (text: string, at: number[]) => [...text].map((ch, i) => (at.includes(i) ? <Text key={i} bold underline>{ch}</Text> : ch));
    const byChar = render(
      <Text wrap="truncate">
        {each('app-12-ax1', [0, 1, 2, 3, 4, 5, 8])}
      </Text>,
    );
    expect(line).toContain(byChar.lastFrame()!);
    byChar.unmount();
    // Highlights only on the columns that matched: "Pending" has P and n, the name none.
    expect(frame.split('\n')[2]).toMatch(new RegExp(`${on}P${off}e${on}n${off}ding`));
    expect(frame.split('\n')[2]).not.toMatch(new RegExp(`${on}w`));
  });
});
