// Sessions: sign in, sign out, and who the session is.
import { api } from '../../api/client';
import type { Me } from '../../api/types';

export async function login(email: string, password: string): Promise<Me> {
  // A 401 here means a wrong password, not an expired session.
  const r = await api.post<Me>('/login', { body: { email, password }, anonymous: true });
  return r.data;
}

export async function logout(): Promise<void> {
  await api.post<void>('/logout', { anonymous: true });
}

export async function getMe(signal?: AbortSignal): Promise<Me> {
  const r = await api.get<Me>('/me', { signal, anonymous: true });
  return r.data;
}
