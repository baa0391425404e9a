import { describe, expect, it } from 'vitest';
import { bulkSummary, exportQuery } from './list-page';
import { toApiParams } from './list-state';

describe('bulk result summary', () => {
  it('counts what changed, what already was, and what failed', () => {
    expect(
      bulkSummary({
        action: 'archive',
        results: [
          { id: 'a', result: 'changed', status: 'archived' },
          { id: 'b', result: 'changed', status: 'archived' },
          { id: 'c', result: 'unchanged', status: 'archived' },
          { id: 'd', result: 'error', error: { status: 409, code: 'conflict', message: 'a deleted client must be restored first' } },
        ],
      }),
    ).toEqual({
      title: '2 clients archived',
      message: '1 already archived. 1 could not be archived: a deleted client must be restored first.',
      failed: 1,
    });
  });
  it('says one client in the singular', () => {
    expect(bulkSummary({ action: 'restore', results: [{ id: 'a', result: 'changed', status: 'active' }] })).toEqual({ title: '1 client restored', failed: 0 });
  });
});

describe('export', () => {
  it('exports what the list shows: its search, statuses, group and sort, all pages', () => {
    const q = exportQuery(toApiParams({ q: ' acme ', status: 'all', sort: '-balance', page: 3, perPage: 50, group: 'btt3y5jhez9n' }));
    expect(q).toEqual({ q: 'acme', status: 'active,archived,deleted', sort: '-balance', group: 'btt3y5jhez9n' });
  });
});
