import { describe, expect, it } from 'vitest';
import type { WebhookEventType } from '../../api/types';
import { deliveryStatus, eventsSummary, eventsToSelection, groupByEntity, selectionToEvents, webhookStatus } from './webhooks-format';

const catalog: WebhookEventType[] = [
  { type: 'client.created', entity: 'client', description: '' },
  { type: 'client.updated', entity: 'client', description: '' },
  { type: 'contact.created', entity: 'contact', description: '' },
  { type: 'ledger_entry.created', entity: 'ledger_entry', description: '' },
];

describe('webhooks format', () => {
  it('says what state a webhook is in', () => {
    expect(webhookStatus({ status: 'active', disabled_reason: null }).tone).toBe('success');
    expect(webhookStatus({ status: 'disabled', disabled_reason: 'gone' }).label).toBe('Disabled: receiver gone');
    expect(webhookStatus({ status: 'disabled', disabled_reason: 'failing' }).tone).toBe('danger');
  });

  it('colours deliveries: delivered, retrying, queued, failed', () => {
    expect(deliveryStatus({ status: 'delivered', attempts: 1 })).toEqual({ tone: 'success', label: 'Delivered' });
    expect(deliveryStatus({ status: 'pending', attempts: 2 })).toEqual({ tone: 'warning', label: 'Retrying' });
    expect(deliveryStatus({ status: 'pending', attempts: 0 })).toEqual({ tone: 'info', label: 'Queued' });
    expect(deliveryStatus({ status: 'failed', attempts: 3 })).toEqual({ tone: 'danger', label: 'Failed' });
  });

  it('summarises events', () => {
    expect(eventsSummary(['*'])).toBe('All events');
    expect(eventsSummary(['client.*'])).toBe('All client events');
    expect(eventsSummary(['client.created', 'ledger_entry.*'])).toBe('client.created, all ledger entry events');
  });

  it('turns a selection into patterns: whole entities as <entity>.*, everything as *', () => {
    expect(groupByEntity(catalog).map((g) => g.entity)).toEqual(['client', 'contact', 'ledger_entry']);
    expect(selectionToEvents(new Set(['client.created', 'client.updated', 'contact.created']), catalog, false))
      .toEqual(['client.*', 'contact.*']);
    expect(selectionToEvents(new Set(['client.created']), catalog, false)).toEqual(['client.created']);
    expect(selectionToEvents(new Set(), catalog, true)).toEqual(['*']);
    expect(selectionToEvents(new Set(), catalog, false)).toEqual([]);
  });

  it('reads patterns back into a selection', () => {
    expect([...eventsToSelection(['client.*'], catalog).selected]).toEqual(['client.created', 'client.updated']);
    expect(eventsToSelection(['*'], catalog).all).toBe(true);
    expect([...eventsToSelection(['contact.created'], catalog).selected]).toEqual(['contact.created']);
  });
});
