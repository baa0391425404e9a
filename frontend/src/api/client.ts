// The one door to the clientd API. Every request of the web app goes
// through request() below; nothing else in the app calls fetch.
//
// It adds the base path and JSON headers, sends the session's CSRF token
// on writes, quotes If-Match versions, and turns every failure into an
// ApiError: the API's error envelope (status, code, message, detail, hint,
// field, errors[]) with a `fieldErrors` map for forms. A 401 on a request
// that needs a session also calls the session-expired handler, so the app
// can send the user back to the login page from wherever they were.
import type { ErrorBody, FieldError } from './types';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  /** JSON-encoded; leave out for no body */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** the version (or ETag) that was read: sent as If-Match, 412 if stale */
  ifMatch?: number | string;
  /** makes a POST safe to retry (the API replays the first answer) */
  idempotencyKey?: string;
  /** a 401 is an answer here (a wrong password), not an expired session */
  anonymous?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  /** the parsed JSON body; undefined for 204 */
  data: T;
  /** the ETag header, e.g. "\"3\"" */
  etag: string | null;
  headers: Headers;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * An error answer of the API (or a failure to reach it: status 0).
 * `fieldErrors` maps field paths as the API names them ("name",
 * "address.country", "contacts[1].email") to a message fit to show under
 * that input.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | null;
  readonly hint: string | null;
  readonly field: string | null;
  readonly requestId: string | null;
  readonly errors: FieldError[];
  readonly fieldErrors: Record<string, string>;
  /** seconds, from Retry-After (429, 503) */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    detail?: string | null;
    hint?: string | null;
    field?: string | null;
    requestId?: string | null;
    errors?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail ?? null;
    this.hint = init.hint ?? null;
    this.field = init.field ?? null;
    this.requestId = init.requestId ?? null;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter ?? null;
    this.fieldErrors = fieldErrorMap(this.errors, this.field, init.message);
  }

  /** Builds the error from a non-2xx answer and its (maybe JSON) body. */
  static fromResponse(status: number, body: unknown, headers: Headers): ApiError {
    const retry = headers.get('Retry-After');
    const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
    const env = isEnvelope(body) ? body.error : null;
    if (env === null) {
      return new ApiError({
        status,
        code: status >= 500 ? 'internal_error' : 'bad_response',
        message: `the server answered ${status} without an error description`,
        retryAfter,
      });
    }
    return new ApiError({
      status: env.status ?? status,
      code: env.code,
      message: env.message,
      detail: env.detail,
      hint: env.hint,
      field: env.field,
      requestId: env.request_id,
      errors: Array.isArray(env.errors) ? env.errors : [],
      retryAfter,
    });
  }

  /** The request never got an answer (offline, DNS, connection reset). */
  static network(cause: unknown): ApiError {
    const e = new ApiError({
      status: 0,
      code: 'network_error',
      message: 'the server could not be reached',
      hint: 'Check your connection and try again.',
    });
    (e as { cause?: unknown }).cause = cause;
    return e;
  }
}

function isEnvelope(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const e = (body as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string';
}

/**
 * An API field message made fit to stand under its input: the API says
 * `field "contacts[1].email" is not a valid email address: "bad"` (or
 * `setting "currency" must be ...`, `query parameter "padding" must be
 * ...`), the form says `Not a valid email address: "bad"`.
 */
export function fieldMessage(message: string): string {
  let m = message.replace(/^(field|parameter|query parameter|setting) "[^"]*" /, '');
  if (m !== message && m.startsWith('is ')) m = m.slice(3);
  return m.length > 0 ? m.charAt(0).toUpperCase() + m.slice(1) : message;
}

function fieldErrorMap(errors: FieldError[], field: string | null, message: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of errors) {
    if (typeof e.field === 'string' && !(e.field in map)) map[e.field] = fieldMessage(e.message);
  }
  // 409 (a duplicate number) and 403 (a wrong password) name one field
  // without an errors list.
  if (field !== null && !(field in map)) map[field] = fieldMessage(message);
  return map;
}

/** "a=1&b=x&b=y", leaving out null, undefined and "". */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values as QueryValue[]) {
      if (one === null || one === undefined || one === '') continue;
      p.append(k, String(one));
    }
  }
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

/** A quoted ETag from a version number (or an ETag passed through). */
export function etagOf(version: number | string): string {
  return typeof version === 'number' ? `"${version}"` : version;
}

/** A random Idempotency-Key (UUID v4 shaped). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface ApiClientOptions {
  /** '/api/v1' */
  base?: string;
  /** for tests */
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const base = options.base ?? '/api/v1';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let csrfToken: string | null = null;
  let unauthorized: ((error: ApiError) => void) | null = null;

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const m = method.toUpperCase();
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    } else if (m === 'POST' || m === 'PUT' || m === 'PATCH') {
      // An empty body still needs a length (Kore answers 411 without).
      body = '';
    }
    if (WRITE_METHODS.has(m) && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
    if (opts.ifMatch !== undefined) headers['If-Match'] = etagOf(opts.ifMatch);
    if (opts.idempotencyKey !== undefined) headers['Idempotency-Key'] = opts.idempotencyKey;

    let res: Response;
    try {
      res = await doFetch(base + path + buildQuery(opts.query), {
        method: m,
        headers,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: opts.signal,
      });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw ApiError.network(e);
    }

    let parsed: unknown = undefined;
    if (res.status !== 204 && res.status !== 304) {
      const text = await res.text();
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
    }
    if (!res.ok) {
      const err = ApiError.fromResponse(res.status, parsed, res.headers);
      if (res.status === 401 && !opts.anonymous && unauthorized) unauthorized(err);
      throw err;
    }
    return { status: res.status, data: parsed as T, etag: res.headers.get('ETag'), headers: res.headers };
  }

  return {
    request,
    get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
    post: <T>(path: string, opts?: RequestOptions) => request<T>('POST', path, opts),
    patch: <T>(path: string, opts?: RequestOptions) => request<T>('PATCH', path, opts),
    del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
    /**
     * The URL of a GET for the browser to follow itself (a download link):
     * the session cookie goes with it, as with every request here.
     */
    href: (path: string, query?: Query) => base + path + buildQuery(query),
    /** From POST /login and GET /me (null for tokens, and after logout). */
    setCsrfToken(token: string | null) {
      csrfToken = token;
    },
    /** Called with the error of any 401 on a request that needs a session. */
    onUnauthorized(handler: ((error: ApiError) => void) | null) {
      unauthorized = handler;
    },
  };
}

export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's client. */
export const api: ApiClient = createApiClient();
