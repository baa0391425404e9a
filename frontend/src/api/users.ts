// The company's users, as the people a client can be assigned to
// (GET /users: id, name, email and role of the active ones).
import { api } from './client';
import type { ListOf, UserSummary } from './types';

/** The users to choose from, by name (the first 100: companies have few). */
export async function listUsers(signal?: AbortSignal): Promise<ListOf<UserSummary>> {
  return (await api.get('/users', { signal, params: { query: { per_page: 100 } } })).data;
}

/** "Ann Lee", else the email: what a user is called in the app. */
export function userLabel(u: Pick<UserSummary, 'name' | 'email'>): string {
  return u.name.trim() || u.email;
}
