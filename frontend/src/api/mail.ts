// The outbox (GET /mail, /mail/{id}: admins) and what puts mail in it or
// lets staff into the portal: a contact's invitation and the one-minute
// link that opens the client portal as the contact.
import { api } from './client';
import type { components } from './schema';
import type { ListOf } from './types';

type Schemas = components['schemas'];
export type Mail = Schemas['Mail'];
export type MailFull = Schemas['MailFull'];
export type Invitation = Schemas['Invitation'];
export type PortalLink = Schemas['PortalLink'];

export async function listMail(page: number, status: 'queued' | 'sent' | 'failed' | undefined, signal?: AbortSignal): Promise<ListOf<Mail>> {
  return (await api.get('/mail', { params: { query: { page, per_page: 25, status } }, signal })).data as ListOf<Mail>;
}

export async function getMail(id: string, signal?: AbortSignal): Promise<MailFull> {
  return (await api.get('/mail/{id}', { params: { path: { id } }, signal })).data;
}

export async function inviteContact(client: string, contact: string): Promise<Invitation> {
  return (await api.post('/clients/{id}/contacts/{contact_id}/invitation', { params: { path: { id: client, contact_id: contact } } })).data;
}

export async function portalLinkFor(client: string, contact: string): Promise<PortalLink> {
  return (await api.post('/clients/{id}/contacts/{contact_id}/portal-link', { params: { path: { id: client, contact_id: contact } } })).data;
}
