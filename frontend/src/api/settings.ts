// The company's settings and the preview of the next client number (for
// the company, or for a group that counts its own clients).
import { api, type QueryOf, type ResponseOf } from './client';
import type { EffectiveSettings, SettingsPatch } from './types';

export async function getSettings(signal?: AbortSignal): Promise<EffectiveSettings> {
  return (await api.get('/settings', { signal })).data;
}

/** A value sets a key for the company; null resets it to the built-in default. */
export async function updateSettings(patch: SettingsPatch): Promise<EffectiveSettings> {
  return (await api.patch('/settings', { body: patch })).data;
}

export type NumberPreview = ResponseOf<'/settings/client-number-preview', 'get'>;
export type PreviewQuery = QueryOf<'/settings/client-number-preview', 'get'>;

/**
 * The number the next client would get; an unsaved pattern, padding and
 * counter preview as if saved (400 names the bad one). With `group`, the
 * next member of that group.
 */
export async function previewClientNumber(query: PreviewQuery, signal?: AbortSignal): Promise<NumberPreview> {
  return (await api.get('/settings/client-number-preview', { signal, params: { query } })).data;
}
