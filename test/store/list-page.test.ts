// A list page's metadata read from its head, before the items are parsed.
import { describe, expect, it } from 'vitest';
import { parseListPage, peekListMeta } from '../../src/store/list-page';

const body = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('list page head', () => {
  it('reads continue, resourceVersion and remainingItemCount written before the items', () => {
    const page = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', remainingItemCount: 1500 }, items: [{ metadata: { name: 'a', continue: 'not-this' } }] };
    expect(peekListMeta(body(page))).toEqual(page.metadata);
    expect(peekListMeta(Buffer.from(`{"kind":"PodList",\n  "metadata": {"resourceVersion":"7"},\n  "items": []}`))).toEqual({ resourceVersion: '7' });
    expect(parseListPage(body(page)).items).toHaveLength(1);
  });

  it('says nothing when the head does not hold the metadata (the caller waits for the parse)', () => {
    // Items first: their objects' fields must not pass for the list's.
    expect(peekListMeta(body({ items: [{ metadata: { continue: 'x' } }], metadata: { continue: 'y' } }))).toBeNull();
    expect(peekListMeta(body({ kind: 'Status', metadata: {}, message: 'no items here' }))).toBeNull();
    expect(peekListMeta(body({ kind: 'PodList', items: [] }))).toBeNull();
    expect(peekListMeta(Buffer.from('{"metadata":{"continue":"x"'))).toBeNull();
  });
});
