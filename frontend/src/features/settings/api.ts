// The company's settings and the preview of the next client number,
// typed from openapi.yaml, through the one API client.
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import type { EffectiveSettings, SettingsPatch } from '../../api/types';

export async function getSettings(signal?: AbortSignal): Promise<EffectiveSettings> {
  return (await api.get<EffectiveSettings>('/settings', { signal })).data;
}

/** A value sets a key for the company; null resets it to the built-in default. */
export async function updateSettings(patch: SettingsPatch): Promise<EffectiveSettings> {
  return (await api.patch<EffectiveSettings>('/settings', { body: patch })).data;
}

type PreviewOp = paths['/api/v1/settings/client-number-preview']['get'];
export type NumberPreview = PreviewOp['responses'][200]['content']['application/json'];
export type PreviewQuery = NonNullable<PreviewOp['parameters']['query']>;

/** The number the next client would get; unsaved pattern, padding and counter preview as if saved (400 names the bad one). */
export async function previewClientNumber(q: PreviewQuery, signal?: AbortSignal): Promise<NumberPreview> {
  return (await api.get<NumberPreview>('/settings/client-number-preview', { signal, query: { ...q } })).data;
}
