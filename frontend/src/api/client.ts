// The one door to the clientd API. Every request of the web app goes
// through call() below (or upload(), for a file); nothing else in the app
// calls fetch, and only the
// resource modules beside this file (clients.ts, groups.ts, ledger.ts ...)
// call the client.
//
// Requests are typed by path and method from the generated schema
// (schema.d.ts, from openapi.yaml) through openapi-fetch: a path the API
// does not have, a method it does not take, a query or header parameter
// it does not declare, or a body or answer field of the wrong shape fails
// `tsc`. The answer's type comes with the path; nobody picks it by hand.
//
// It adds the base path and JSON headers, sends the session's CSRF token
// on writes, and turns every failure into an ApiError: the API's error
// envelope (status, code, message, detail, hint, field, errors[]) with a
// `fieldErrors` map for forms. A 401 on a request that needs a session also
// calls the session-expired handler, so the app can send the user back to
// the login page from wherever they were. If-Match and Idempotency-Key are
// header parameters of the operations that take them (etagOf() quotes a
// version, newIdempotencyKey() makes a key). Nothing is retried here: a
// caller that retries (the ledger dialog) reuses its Idempotency-Key.
import createClient, { createFinalURL, defaultPathSerializer, type ParamsOption, type RequestBodyOption } from 'openapi-fetch';
import type { HttpMethod, PathsWithMethod, Readable, SuccessResponse } from 'openapi-typescript-helpers';
import type { paths } from './schema';
import type { ErrorBody, FieldError } from './types';

/** The API's base path; the schema's paths carry it, call sites leave it out. */
export const API_BASE = '/api/v1';

/** The API's paths without the base path: '/clients/{id}' for '/api/v1/clients/{id}'. */
export type Paths = { [K in keyof paths as K extends `${typeof API_BASE}${infer Rest}` ? Rest : never]: paths[K] };

export type Method = Extract<HttpMethod, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

/** The paths that take `M`, e.g. PathsWith<'post'> includes '/clients/{id}/archive'. */
export type PathsWith<M extends Method> = PathsWithMethod<Paths, M>;

/** The operation object of a path and method. */
export type Operation<P extends keyof Paths, M extends Method> = Paths[P][M];

/** What a successful answer of the operation carries (undefined for a 204). */
export type ResponseOf<P extends PathsWith<M>, M extends Method> = Readable<SuccessResponse<Responses<Operation<P, M>>, `${string}/json`>>;

type Responses<O> = O extends { responses: infer R extends Record<string | number, unknown> } ? R : never;

/** The operation's parameters: { path?, query?, header? }. */
export type ParamsOf<P extends PathsWith<M>, M extends Method> = NonNullable<ParamsOption<Operation<P, M>>['params']>;

/** The operation's query parameters. */
export type QueryOf<P extends PathsWith<M>, M extends Method> = NonNullable<ParamsOf<P, M>['query']>;

/** The options of one call: the operation's params and body, as the schema declares them, and ours. */
export type CallInit<O> = ParamsOption<O> &
  RequestBodyOption<O> & {
    signal?: AbortSignal | undefined;
    /** a 401 is an answer here (a wrong password), not an expired session */
    anonymous?: boolean;
  };

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The init argument: required when the operation has a required parameter or body. */
export type CallArgs<O> = RequiredKeys<CallInit<O>> extends never ? [init?: CallInit<O>] : [init: CallInit<O>];

export interface ApiResponse<T> {
  status: number;
  /** the parsed JSON body; undefined for 204 */
  data: T;
  /** the ETag header, e.g. "\"3\"" */
  etag: string | null;
  headers: Headers;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, unknown>;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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

/** "?a=1&b=x&b=y", leaving out null, undefined and "" ("" when nothing is left). */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const values: unknown[] = Array.isArray(v) ? v : [v];
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

/** The options of an upload. */
export interface UploadInit {
  signal?: AbortSignal | undefined;
  /** bytes sent so far, of the whole body */
  onProgress?: (sent: number, total: number) => void;
}

export interface ApiClientOptions {
  /** '/api/v1' */
  base?: string;
  /** for tests: answers the Request the client built */
  fetch?: (request: Request) => Promise<Response>;
}

// What call() hands openapi-fetch, past the types (they were checked at the call site).
interface LooseInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  signal?: AbortSignal | undefined;
  anonymous?: boolean;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createApiClient(options: ApiClientOptions = {}) {
  const base = options.base ?? API_BASE;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  let csrfToken: string | null = null;
  let unauthorized: ((error: ApiError) => void) | null = null;

  // openapi-fetch builds the URL (path parameters, our query rules) and
  // the Request; the answer is read as text and parsed here, so an answer
  // that is not JSON is an ApiError, never a SyntaxError.
  const client = createClient<paths>({
    baseUrl: base,
    credentials: 'same-origin',
    cache: 'no-store',
    querySerializer: (q) => buildQuery(q as Query),
    bodySerializer: (body) => body,
    async fetch(request) {
      try {
        return await send(request);
      } catch (e) {
        if (isAbort(e)) throw e;
        throw ApiError.network(e);
      }
    },
  });

  async function call(method: Method, path: string, init: LooseInit = {}): Promise<ApiResponse<unknown>> {
    const m = method.toUpperCase();
    const headers: Record<string, string | null> = { Accept: 'application/json' };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
    } else if (BODY_METHODS.has(m)) {
      // An empty body still needs a length (Kore answers 411 without),
      // and is no JSON document.
      body = '';
      headers['Content-Type'] = null;
    }
    if (WRITE_METHODS.has(m) && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;

    const r = (await client.request(method, path as never, {
      params: init.params,
      body,
      headers,
      signal: init.signal,
      parseAs: 'text',
    } as never)) as { data?: unknown; error?: unknown; response: Response };
    const res = r.response;
    const answer = res.ok ? parseJson(r.data) : typeof r.error === 'string' ? parseJson(r.error) : r.error;
    return finish(res.status, res.ok, answer, res.headers, init.anonymous);
  }

  // The end of every request: the answer as ApiResponse, or an ApiError
  // (a 401 on a request that needs a session also tells the app).
  // `body` is the answer parsed (undefined when it was no JSON).
  function finish(status: number, ok: boolean, body: unknown, headers: Headers, anonymous: boolean | undefined): ApiResponse<unknown> {
    if (!ok) {
      const err = ApiError.fromResponse(status, body, headers);
      if (status === 401 && !anonymous && unauthorized) unauthorized(err);
      throw err;
    }
    return { status, data: body, etag: headers.get('ETag'), headers };
  }

  // A multipart POST through XMLHttpRequest, which (unlike fetch) says
  // how much of the body has gone.
  function xhrUpload(url: string, form: FormData, headers: Record<string, string>, init: UploadInit): Promise<ApiResponse<unknown>> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.withCredentials = true;
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      const onAbort = () => xhr.abort();
      init.signal?.addEventListener('abort', onAbort, { once: true });
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) init.onProgress?.(e.loaded, e.total);
      };
      xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
      xhr.onerror = () => reject(ApiError.network(new Error('upload failed')));
      xhr.onload = () => {
        init.signal?.removeEventListener('abort', onAbort);
        const h = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const i = line.indexOf(':');
          if (i > 0) h.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        try {
          resolve(finish(xhr.status, xhr.status >= 200 && xhr.status < 300, parseJson(xhr.responseText), h, false));
        } catch (e) {
          reject(e);
        }
      };
      if (init.signal?.aborted) {
        reject(new DOMException('The upload was aborted', 'AbortError'));
        return;
      }
      xhr.send(form);
    });
  }

  function typed<M extends Method>(method: M) {
    return <P extends PathsWith<M>>(path: P, ...init: CallArgs<Operation<P, M>>) =>
      call(method, path, init[0] as LooseInit | undefined) as Promise<ApiResponse<ResponseOf<P, M>>>;
  }

  return {
    get: typed('get'),
    post: typed('post'),
    put: typed('put'),
    patch: typed('patch'),
    del: typed('delete'),
    /**
     * The URL of a GET for the browser to follow itself (a download link):
     * the session cookie goes with it, as with every request here.
     */
    href<P extends PathsWith<'get'>>(path: P, params?: ParamsOf<P, 'get'>): string {
      return createFinalURL(path, {
        baseUrl: base,
        params: (params ?? {}) as { query?: Record<string, unknown>; path?: Record<string, unknown> },
        querySerializer: (q) => buildQuery(q as Query),
        pathSerializer: defaultPathSerializer,
      });
    },
    /**
     * A multipart/form-data POST (a file upload). The browser sets the
     * Content-Type with its boundary. With `onProgress`, and in a browser,
     * it goes through XMLHttpRequest to report the bytes sent.
     */
    async upload<P extends PathsWith<'post'>>(path: P, form: FormData, init: UploadInit & { params?: ParamsOf<P, 'post'> } = {}): Promise<ApiResponse<ResponseOf<P, 'post'>>> {
      const url = createFinalURL(path, {
        baseUrl: base,
        params: (init.params ?? {}) as { query?: Record<string, unknown>; path?: Record<string, unknown> },
        querySerializer: (q) => buildQuery(q as Query),
        pathSerializer: defaultPathSerializer,
      });
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
      if (init.onProgress && !options.fetch && typeof XMLHttpRequest !== 'undefined') {
        return (await xhrUpload(url, form, headers, init)) as ApiResponse<ResponseOf<P, 'post'>>;
      }
      const request = new Request(new URL(url, globalThis.location?.href ?? 'http://localhost/'), {
        method: 'POST',
        body: form,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(init.signal ? { signal: init.signal } : {}),
      });
      let res: Response;
      try {
        res = await send(request);
      } catch (e) {
        if (isAbort(e)) throw e;
        throw ApiError.network(e);
      }
      return finish(res.status, res.ok, parseJson(await res.text()), res.headers, false) as ApiResponse<ResponseOf<P, 'post'>>;
    },
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

/** The app's client: only the resource modules in src/api/ use it. */
export const api: ApiClient = createApiClient();
