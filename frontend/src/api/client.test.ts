import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, createApiClient, etagOf, fieldMessage, newIdempotencyKey } from './client';

interface Call {
  /** the path and query, without the test page's origin */
  url: string;
  method: string;
  headers: Headers;
  /** null when the request had no body at all */
  body: string | null;
  credentials: RequestCredentials;
}

// A fetch stub answering from a queue of [status, body, headers]; it
// records the Request the client built.
function stub(...answers: [number, unknown?, Record<string, string>?][]) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const u = new URL(request.url);
    calls.push({
      url: u.pathname + u.search,
      method: request.method,
      headers: request.headers,
      body: request.body === null ? null : await request.text(),
      credentials: request.credentials,
    });
    const a = answers.shift();
    if (!a) throw new Error('unexpected request');
    const [status, body, headers] = a;
    const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
  });
  return { calls, fetch };
}

function header(c: Call, name: string): string | undefined {
  return c.headers.get(name) ?? undefined;
}

const ID = { path: { id: 'btt3y5jhez9n' } };

const envelope = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { status, code, message, detail: null, hint: null, field: null, request_id: 'req1', ...extra },
});

describe('api client: requests', () => {
  it('prefixes the base path, sends JSON and same-origin credentials', async () => {
    const s = stub([200, { ok: 1 }]);
    const api = createApiClient({ fetch: s.fetch });
    const r = await api.get('/clients', { params: { query: { q: 'acme', page: 2, status: 'active,archived', group: '' } } });
    expect(r.data).toEqual({ ok: 1 });
    expect(s.calls[0]!.url).toBe('/api/v1/clients?q=acme&page=2&status=active%2Carchived');
    expect(s.calls[0]!.method).toBe('GET');
    expect(s.calls[0]!.credentials).toBe('same-origin');
    expect(header(s.calls[0]!, 'Accept')).toBe('application/json');
    expect(header(s.calls[0]!, 'Content-Type')).toBeUndefined();
  });

  it('sends X-CSRF-Token on writes and never on GETs', async () => {
    const s = stub([200, {}], [200, {}], [200, {}], [204], [200, {}]);
    const api = createApiClient({ fetch: s.fetch });
    api.setCsrfToken('tok-1');
    await api.get('/me');
    await api.post('/clients', { body: { name: 'A' }, params: { header: { 'Idempotency-Key': 'k' } } });
    await api.patch('/clients/{id}', { body: { name: 'B' }, params: ID });
    await api.del('/clients/{id}/contacts/{contact_id}', { params: { path: { id: 'x', contact_id: 'y' } } });
    await api.patch('/settings', { body: {} });
    expect(header(s.calls[0]!, 'X-CSRF-Token')).toBeUndefined();
    for (const c of s.calls.slice(1)) expect(header(c, 'X-CSRF-Token')).toBe('tok-1');
    expect(header(s.calls[1]!, 'Content-Type')).toBe('application/json');
    expect(s.calls[1]!.body).toBe('{"name":"A"}');
    expect(s.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'PATCH', 'DELETE', 'PATCH']);
    expect(s.calls[3]!.url).toBe('/api/v1/clients/x/contacts/y');
  });

  it('sends no CSRF header once the token is cleared', async () => {
    const s = stub([200, {}]);
    const api = createApiClient({ fetch: s.fetch });
    api.setCsrfToken('tok');
    api.setCsrfToken(null);
    await api.patch('/settings', { body: {} });
    expect(header(s.calls[0]!, 'X-CSRF-Token')).toBeUndefined();
  });

  it('makes URLs for the browser to follow itself (downloads), without a request', () => {
    const s = stub();
    const api = createApiClient({ fetch: s.fetch, base: '/api/v1' });
    expect(api.href('/clients/{id}/ledger/statement', { path: { id: 'abc' }, query: { from: '2026-01-01T00:00:00.000Z', to: undefined } })).toBe(
      '/api/v1/clients/abc/ledger/statement?from=2026-01-01T00%3A00%3A00.000Z',
    );
    expect(api.href('/clients')).toBe('/api/v1/clients');
    expect(api.href('/clients/{id}', { path: { id: 'a/b c' } })).toBe('/api/v1/clients/a%2Fb%20c');
    expect(s.calls).toHaveLength(0);
  });

  it('uploads a file as multipart/form-data with the CSRF token, and reads the answer', async () => {
    const s = stub([201, { id: 'imp1' }, { Location: '/api/v1/imports/imp1' }]);
    const api = createApiClient({ fetch: s.fetch });
    api.setCsrfToken('tok');
    const form = new FormData();
    form.append('file', new File(['Name\nAcme\n'], 'people.csv', { type: 'text/csv' }));
    const r = await api.upload('/imports', form);
    expect(r.status).toBe(201);
    expect(r.data).toEqual({ id: 'imp1' });
    expect(s.calls[0]!.method).toBe('POST');
    expect(s.calls[0]!.url).toBe('/api/v1/imports');
    expect(header(s.calls[0]!, 'X-CSRF-Token')).toBe('tok');
    expect(header(s.calls[0]!, 'Content-Type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.calls[0]!.body).toContain('filename="people.csv"');
    expect(s.calls[0]!.body).toContain('Acme');
  });

  it('turns an upload refused into an ApiError with its detail', async () => {
    const s = stub([422, envelope(422, 'validation_failed', 'the file cannot be read', { detail: 'row 3, line 3, column 2: a quote inside an unquoted field' })]);
    const api = createApiClient({ fetch: s.fetch });
    const e = await api.upload('/imports', new FormData()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(422);
    expect((e as ApiError).detail).toBe('row 3, line 3, column 2: a quote inside an unquoted field');
  });

  it('gives a bodiless POST an empty body (a Content-Length of 0)', async () => {
    const s = stub([200, {}]);
    const api = createApiClient({ fetch: s.fetch });
    await api.post('/clients/{id}/archive', { params: ID });
    expect(s.calls[0]!.url).toBe('/api/v1/clients/btt3y5jhez9n/archive');
    expect(s.calls[0]!.body).toBe('');
    // no JSON claimed (fetch itself labels a string body text/plain)
    expect(header(s.calls[0]!, 'Content-Type')).not.toBe('application/json');
  });

  it('sends If-Match and Idempotency-Key as the operation declares them, and reads the ETag', async () => {
    const s = stub([200, {}, { ETag: '"4"' }], [200, {}]);
    const api = createApiClient({ fetch: s.fetch });
    const r = await api.patch('/clients/{id}', { body: {}, params: { ...ID, header: { 'If-Match': etagOf(3) } } });
    expect(header(s.calls[0]!, 'If-Match')).toBe('"3"');
    expect(r.etag).toBe('"4"');
    await api.post('/clients/{id}/archive', { params: { ...ID, header: { 'If-Match': undefined, 'Idempotency-Key': 'k1' } } });
    expect(header(s.calls[1]!, 'Idempotency-Key')).toBe('k1');
    expect(header(s.calls[1]!, 'If-Match')).toBeUndefined();
  });

  it('answers 204 with no data', async () => {
    const s = stub([204]);
    const api = createApiClient({ fetch: s.fetch });
    const r = await api.post('/logout');
    expect(r.status).toBe(204);
    expect(r.data).toBeUndefined();
  });
});

describe('api client: errors', () => {
  it('turns the error envelope into an ApiError with field messages', async () => {
    const body = envelope(422, 'validation_failed', 'field "name" is too long', {
      field: 'name',
      hint: 'Shorten it.',
      errors: [
        { field: 'name', code: 'too_long', message: 'field "name" is too long' },
        { field: 'contacts[1].email', code: 'invalid_format', message: 'field "contacts[1].email" is not a valid email address: "bad"' },
        { field: 'contacts[1].email', code: 'duplicate', message: 'second message for the same field is ignored' },
      ],
    });
    const s = stub([422, body]);
    const api = createApiClient({ fetch: s.fetch });
    const e = await api.post('/clients', { body: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    const err = e as ApiError;
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('field "name" is too long');
    expect(err.hint).toBe('Shorten it.');
    expect(err.field).toBe('name');
    expect(err.requestId).toBe('req1');
    expect(err.errors).toHaveLength(3);
    expect(err.fieldErrors).toEqual({
      name: 'Too long',
      'contacts[1].email': 'Not a valid email address: "bad"',
    });
  });

  it('maps the single field of a 409 into fieldErrors', async () => {
    const s = stub([409, envelope(409, 'conflict', 'number "0001" is already in use', { field: 'number' })]);
    const api = createApiClient({ fetch: s.fetch });
    const err = (await api.post('/clients', { body: {} }).catch((x: unknown) => x)) as ApiError;
    expect(err.status).toBe(409);
    expect(err.fieldErrors).toEqual({ number: 'Number "0001" is already in use' });
  });

  it('reads Retry-After', async () => {
    const s = stub([429, envelope(429, 'too_many_requests', 'too many failed logins'), { 'Retry-After': '120' }]);
    const api = createApiClient({ fetch: s.fetch });
    const err = (await api.post('/login', { body: { email: 'a@b.example', password: 'x' }, anonymous: true }).catch((x: unknown) => x)) as ApiError;
    expect(err.retryAfter).toBe(120);
  });

  it('describes answers without an envelope', async () => {
    const s = stub([502, '<html>bad gateway</html>']);
    const api = createApiClient({ fetch: s.fetch });
    const err = (await api.get('/me').catch((x: unknown) => x)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('internal_error');
    expect(err.fieldErrors).toEqual({});
  });

  it('turns a failed fetch into a network ApiError', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof globalThis.fetch;
    const api = createApiClient({ fetch });
    const err = (await api.get('/me').catch((x: unknown) => x)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });

  it('lets an abort through as it is', async () => {
    const fetch = vi.fn(async () => {
      throw new DOMException('aborted', 'AbortError');
    }) as unknown as typeof globalThis.fetch;
    const api = createApiClient({ fetch });
    const err = await api.get('/me').catch((x: unknown) => x);
    expect(err).not.toBeInstanceOf(ApiError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('api client: 401', () => {
  it('calls the session-expired handler on a 401', async () => {
    const s = stub([401, envelope(401, 'unauthorized', 'authentication required')]);
    const api = createApiClient({ fetch: s.fetch });
    const handler = vi.fn();
    api.onUnauthorized(handler);
    await expect(api.get('/clients')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
    expect((handler.mock.calls[0]![0] as ApiError).status).toBe(401);
  });

  it('does not call it for anonymous requests (a wrong password)', async () => {
    const s = stub([401, envelope(401, 'unauthorized', 'email or password is incorrect')]);
    const api = createApiClient({ fetch: s.fetch });
    const handler = vi.fn();
    api.onUnauthorized(handler);
    await expect(api.post('/login', { body: { email: 'a@b.example', password: 'x' }, anonymous: true })).rejects.toBeInstanceOf(ApiError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not call it for other errors', async () => {
    const s = stub([403, envelope(403, 'forbidden', 'permission denied')]);
    const api = createApiClient({ fetch: s.fetch });
    const handler = vi.fn();
    api.onUnauthorized(handler);
    await expect(api.get('/clients')).rejects.toBeInstanceOf(ApiError);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('helpers', () => {
  it('fieldMessage drops the field name and capitalises', () => {
    expect(fieldMessage('field "address.country" is not an ISO 3166-1 alpha-2 country code: "zz"')).toBe(
      'Not an ISO 3166-1 alpha-2 country code: "zz"',
    );
    expect(fieldMessage('field "name" must be at most 200 characters')).toBe('Must be at most 200 characters');
    expect(fieldMessage('password is incorrect')).toBe('Password is incorrect');
    expect(fieldMessage('')).toBe('');
    expect(fieldMessage('setting "currency" must be an ISO 4217 currency code of three upper-case letters, not "eur"')).toBe(
      'Must be an ISO 4217 currency code of three upper-case letters, not "eur"',
    );
    expect(fieldMessage('query parameter "padding" must be an integer between 1 and 10')).toBe('Must be an integer between 1 and 10');
    // a message that only mentions a setting keeps its words
    expect(fieldMessage('unknown setting "bogus"')).toBe('Unknown setting "bogus"');
  });

  it('buildQuery leaves out empty values', () => {
    expect(buildQuery(undefined)).toBe('');
    expect(buildQuery({ a: null, b: undefined, c: '' })).toBe('');
    expect(buildQuery({ q: 'a b&c' })).toBe('?q=a+b%26c');
  });

  it('etagOf quotes numbers and passes strings', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(etagOf('"7"')).toBe('"7"');
  });

  it('newIdempotencyKey makes distinct UUID-shaped keys', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});
