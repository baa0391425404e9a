// Webhooks: subscriptions, their event catalog and their delivery log
// (Integrations → Webhooks). A signing secret comes back only from create
// and rotate.
import { api } from './client';
import type {
  ListOf,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEventType,
  WebhookUpdate,
  WebhookWithSecret,
} from './types';

const path = (id: string) => ({ path: { id } });

export async function listWebhooks(signal?: AbortSignal): Promise<ListOf<Webhook>> {
  return (await api.get('/webhooks', { signal, params: { query: { per_page: 100 } } })).data;
}

export async function getWebhook(id: string, signal?: AbortSignal): Promise<Webhook> {
  return (await api.get('/webhooks/{id}', { signal, params: path(id) })).data;
}

/** The event types to pick from. */
export async function listWebhookEventTypes(signal?: AbortSignal): Promise<WebhookEventType[]> {
  return (await api.get('/webhooks/events', { signal })).data.data;
}

/** A URL that already has a webhook is a 409 naming the field "url". */
export async function createWebhook(body: WebhookCreate): Promise<WebhookWithSecret> {
  return (await api.post('/webhooks', { body })).data;
}

export async function updateWebhook(id: string, body: WebhookUpdate): Promise<Webhook> {
  return (await api.patch('/webhooks/{id}', { body, params: path(id) })).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await api.del('/webhooks/{id}', { params: path(id) });
}

/** A new secret; the old one keeps signing for overlapSeconds (24 h by default). */
export async function rotateWebhookSecret(id: string, overlapSeconds?: number): Promise<WebhookWithSecret> {
  return (
    await api.post('/webhooks/{id}/rotate-secret', {
      params: path(id),
      body: overlapSeconds === undefined ? {} : { overlap_seconds: overlapSeconds },
    })
  ).data;
}

export async function testWebhook(id: string): Promise<WebhookDelivery> {
  return (await api.post('/webhooks/{id}/test', { params: path(id) })).data;
}

export interface DeliveryListParams {
  status?: 'pending' | 'delivered' | 'failed' | undefined;
  page?: number;
  per_page?: number;
}

export async function listWebhookDeliveries(id: string, p: DeliveryListParams, signal?: AbortSignal): Promise<ListOf<WebhookDelivery>> {
  return (
    await api.get('/webhooks/{id}/deliveries', {
      signal,
      params: { path: { id }, query: { status: p.status, page: p.page, per_page: p.per_page } },
    })
  ).data;
}

export async function getWebhookDelivery(id: string, deliveryId: string, signal?: AbortSignal): Promise<WebhookDeliveryDetail> {
  return (await api.get('/webhooks/{id}/deliveries/{delivery_id}', { signal, params: { path: { id, delivery_id: deliveryId } } })).data;
}

/** Sends a delivery again (or a waiting one now). */
export async function retryWebhookDelivery(id: string, deliveryId: string): Promise<WebhookDelivery> {
  return (await api.post('/webhooks/{id}/deliveries/{delivery_id}/retry', { params: { path: { id, delivery_id: deliveryId } } })).data;
}
