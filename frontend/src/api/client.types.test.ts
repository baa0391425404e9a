// The API's paths, parameters and answers are checked by the compiler:
// every `@ts-expect-error` below marks a call that must not compile, and
// `tsc --noEmit` (npm run lint, npm run build) fails if one of them ever
// does ("unused @ts-expect-error directive"). At run time the calls go to
// a stub, so the test also shows what the accepted calls send.
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';

// Answers {} (or what `answers` has for a path; null for a 204).
function stubbed(answers: Record<string, unknown> = {}) {
  const urls: string[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const u = new URL(request.url);
    urls.push(`${request.method} ${u.pathname}${u.search}`);
    const body = u.pathname in answers ? answers[u.pathname] : {};
    if (body === null) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return { api: createApiClient({ fetch }), urls };
}

describe('api client: types by path', () => {
  it('refuses a path, method or parameter the API does not have', async () => {
    const { api, urls } = stubbed();
    // @ts-expect-error: no such path
    await api.get('/clientz', {});
    // @ts-expect-error: /clients takes no PATCH
    await api.patch('/clients', { body: {} });
    // @ts-expect-error: the path parameter is required
    await api.get('/clients/{id}', {});
    // @ts-expect-error: the path parameter is `id`
    await api.get('/clients/{id}', { params: { path: { client: 'x' } } });
    // @ts-expect-error: an unknown query parameter
    await api.get('/clients', { params: { query: { colour: 'red' } } });
    // @ts-expect-error: sort takes only the declared keys
    await api.get('/clients', { params: { query: { sort: 'colour' } } });
    // @ts-expect-error: per_page is a number
    await api.get('/clients', { params: { query: { per_page: '25' } } });
    // @ts-expect-error: a header the operation does not declare
    await api.patch('/groups/{id}', { body: { name: 'x' }, params: { path: { id: 'x' }, header: { 'If-Match': '"1"' } } });
    // @ts-expect-error: an unknown option
    await api.get('/me', { signall: null });
    expect(urls).toEqual([
      'GET /api/v1/clientz',
      'PATCH /api/v1/clients',
      'GET /api/v1/clients/%7Bid%7D',
      'GET /api/v1/clients/%7Bid%7D',
      'GET /api/v1/clients?colour=red',
      'GET /api/v1/clients?sort=colour',
      'GET /api/v1/clients?per_page=25',
      'PATCH /api/v1/groups/x',
      'GET /api/v1/me',
    ]);
  });

  it('refuses a body of the wrong shape and a missing required header', async () => {
    const { api } = stubbed();
    const params = { path: { id: 'x' }, header: { 'Idempotency-Key': 'k' } };
    await api.post('/clients/{id}/ledger', { params, body: { kind: 'payment', amount: '-40.00' } });
    // @ts-expect-error: not a kind of entry
    await api.post('/clients/{id}/ledger', { params, body: { kind: 'paymant', amount: '-40.00' } });
    // @ts-expect-error: the amount is a decimal string, never a number
    await api.post('/clients/{id}/ledger', { params, body: { kind: 'payment', amount: -40 } });
    // @ts-expect-error: a field the API does not take
    await api.post('/clients/{id}/ledger', { params, body: { kind: 'payment', amount: '-40.00', colour: 'red' } });
    // @ts-expect-error: posting to the ledger needs an Idempotency-Key
    await api.post('/clients/{id}/ledger', { params: { path: { id: 'x' } }, body: { kind: 'payment', amount: '-40.00' } });
    // @ts-expect-error: the body is required
    await api.post('/clients/{id}/ledger', { params });
  });

  it('types the answer by path: no field the API does not send', async () => {
    const { api } = stubbed({
      '/api/v1/clients/x': { id: 'x', balance: '10.00' },
      '/api/v1/ledger/kinds': { data: [{ kind: 'invoice', sign: 'positive', moves_paid_to_date: false, postable: true, example: '120.00' }] },
      '/api/v1/clients/x/purge': null,
    });
    const client = (await api.get('/clients/{id}', { params: { path: { id: 'x' } } })).data;
    const balance: string | undefined = client.balance;
    // @ts-expect-error: balances are exact decimal strings
    const wrong: number = client.balance;
    // @ts-expect-error: a client has no such field
    void client.colour;
    const kinds = (await api.get('/ledger/kinds')).data;
    // @ts-expect-error: the sign is one of three words
    const sign: 'plus' | 'minus' = kinds.data[0]!.sign;
    const purged = (await api.post('/clients/{id}/purge', { params: { path: { id: 'x' } }, body: { password: 'p' } })).data;
    const nothing: undefined = purged;
    expect([balance, wrong, sign, nothing]).toEqual(['10.00', '10.00', 'positive', undefined]);
  });
});
