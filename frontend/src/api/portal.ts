// The client portal's API (/api/v1/portal/{company}/...), for the portal's
// pages. Contacts have a session of their own (the clientd_portal cookie)
// with its own CSRF token, so the portal uses a client of its own: its
// token and its "session ended" handler never mix with staff's.
import { createApiClient, type ApiError, type ResponseOf } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type PortalInfo = Schemas['PortalInfo'];
export type PortalMe = Schemas['PortalMeFields'] & { csrf_token?: string };
export type PortalClient = Schemas['PortalClient'];
export type PortalLinkInfo = Schemas['PortalLinkInfo'];
export type PortalRegistration = Schemas['PortalRegistration'];
export type PortalLedgerPage = ResponseOf<'/portal/{company}/ledger', 'get'>;

const portal = createApiClient();
const at = (company: string) => ({ path: { company } });

/** The session's CSRF token (from sign-in, a link or /me); null after sign-out. */
export function setPortalCsrf(token: string | null): void {
  portal.setCsrfToken(token);
}

/** Called with the error of any 401 on a portal request that needs a session. */
export function onPortalSessionEnded(handler: ((e: ApiError) => void) | null): void {
  portal.onUnauthorized(handler);
}

export async function getPortal(company: string, signal?: AbortSignal): Promise<PortalInfo> {
  return (await portal.get('/portal/{company}', { params: at(company), signal, anonymous: true })).data;
}

export async function portalLogin(company: string, email: string, password: string): Promise<PortalMe> {
  return (await portal.post('/portal/{company}/login', { params: at(company), body: { email, password }, anonymous: true })).data;
}

export async function portalLogout(company: string): Promise<void> {
  await portal.post('/portal/{company}/logout', { params: at(company), anonymous: true });
}

export async function requestReset(company: string, email: string): Promise<string> {
  return (await portal.post('/portal/{company}/password-reset', { params: at(company), body: { email }, anonymous: true })).data.message;
}

export async function requestMagicLink(company: string, email: string): Promise<string> {
  return (await portal.post('/portal/{company}/magic-link', { params: at(company), body: { email }, anonymous: true })).data.message;
}

export async function checkLink(company: string, token: string): Promise<PortalLinkInfo> {
  return (await portal.post('/portal/{company}/links/check', { params: at(company), body: { token }, anonymous: true })).data;
}

export async function redeemLink(company: string, token: string, password?: string): Promise<PortalMe> {
  const body = password === undefined ? { token } : { token, password };
  return (await portal.post('/portal/{company}/links/redeem', { params: at(company), body, anonymous: true })).data;
}

export async function registerClient(company: string, body: PortalRegistration): Promise<string> {
  return (await portal.post('/portal/{company}/register', { params: at(company), body, anonymous: true })).data.message;
}

export async function getPortalMe(company: string, signal?: AbortSignal): Promise<PortalMe> {
  return (await portal.get('/portal/{company}/me', { params: at(company), signal, anonymous: true })).data;
}

export async function updateProfile(company: string, body: Schemas['PortalProfile']): Promise<PortalMe> {
  return (await portal.patch('/portal/{company}/me', { params: at(company), body })).data;
}

export async function changePassword(company: string, current: string, next: string): Promise<void> {
  await portal.post('/portal/{company}/me/password', { params: at(company), body: { current_password: current, password: next } });
}

export async function selectClient(company: string, client: string): Promise<PortalMe> {
  return (await portal.post('/portal/{company}/select', { params: at(company), body: { client } })).data;
}

export async function getPortalClient(company: string, signal?: AbortSignal): Promise<PortalClient> {
  return (await portal.get('/portal/{company}/client', { params: at(company), signal })).data;
}

export async function updatePortalClient(company: string, body: Schemas['ClientWrite']): Promise<PortalClient> {
  return (await portal.patch('/portal/{company}/client', { params: at(company), body })).data;
}

export async function listPortalLedger(company: string, perPage: number, signal?: AbortSignal): Promise<PortalLedgerPage> {
  return (await portal.get('/portal/{company}/ledger', { params: { path: { company }, query: { per_page: perPage } }, signal })).data;
}

/** The statement's URL, for a download link (the portal cookie goes with it). */
export function statementHref(company: string): string {
  return portal.href('/portal/{company}/statement', { path: { company } });
}

/** The documents shown to the contact's client. */
export async function listPortalDocuments(company: string, signal?: AbortSignal): Promise<Schemas['PortalDocument'][]> {
  return (await portal.get('/portal/{company}/documents', { params: at(company), signal })).data.data;
}

/** A contact's upload (where the company allows it). */
export async function uploadPortalDocument(
  company: string,
  file: File,
  onProgress?: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Schemas['PortalDocument']> {
  const form = new FormData();
  form.append('file', file, file.name);
  return (await portal.upload('/portal/{company}/documents', form, { params: at(company), onProgress, signal })).data.data[0]!;
}

/** A document's download URL (the portal cookie goes with it). */
export function portalDocumentHref(company: string, id: string, inline = false): string {
  return portal.href('/portal/{company}/documents/{id}/download', { path: { company, id }, query: inline ? { disposition: 'inline' } : {} });
}
