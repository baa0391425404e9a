// API tokens: list (never their secrets), create (the secret is in that
// answer only), revoke. Members see their own; owners and admins every
// token of the company.
import { api } from './client';
import type { ListOf, Token, TokenCreated } from './types';

export async function listTokens(page: number, signal?: AbortSignal): Promise<ListOf<Token>> {
  return (await api.get('/tokens', { signal, params: { query: { page, per_page: 50 } } })).data;
}

/** `expiresAt` RFC 3339, or null for a token that does not expire. */
export async function createToken(name: string, expiresAt: string | null): Promise<TokenCreated> {
  return (await api.post('/tokens', { body: { name, expires_at: expiresAt } })).data;
}

/** Revoked tokens stop working at once; 404 when it is gone already. */
export async function revokeToken(id: string): Promise<void> {
  await api.del('/tokens/{id}', { params: { path: { id } } });
}
