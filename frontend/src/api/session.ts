// Sessions: sign in, sign out, and who the session is (POST /login,
// POST /logout, GET /me). A 401 on these is an answer (a wrong password,
// no session yet), not an expired session: they are sent as anonymous.
import { api, type ApiError } from './client';
import type { Me } from './types';

export async function login(email: string, password: string): Promise<Me> {
  return (await api.post('/login', { body: { email, password }, anonymous: true })).data;
}

export async function logout(): Promise<void> {
  await api.post('/logout', { anonymous: true });
}

export async function getMe(signal?: AbortSignal): Promise<Me> {
  return (await api.get('/me', { signal, anonymous: true })).data;
}

/** The session's CSRF token (from login or /me), sent on every write; null after sign-out. */
export function setCsrfToken(token: string | null): void {
  api.setCsrfToken(token);
}

/** Called with the error of any 401 on a request that needs a session (null: nobody). */
export function onSessionExpired(handler: ((error: ApiError) => void) | null): void {
  api.onUnauthorized(handler);
}
