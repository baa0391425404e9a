import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { SettingRow } from '../../lib/settings/registry';
import { SettingsOverrides, type SettingsPatch } from './settings-overrides';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const ALL: SettingRow['levels'] = ['company', 'group', 'client'];
const rows = (): SettingRow[] => [
  { key: 'currency', type: 'currency', section: 'general', levels: ALL, values: [], value: 'EUR', source: 'group' },
  { key: 'payment_terms', type: 'integer', section: 'general', levels: ALL, values: [], value: 30, source: 'client' },
  { key: 'send_reminders', type: 'boolean', section: 'reminders', levels: ALL, values: [], value: true, source: 'default' },
  { key: 'client_number_pattern', type: 'pattern', section: 'numbers', levels: ['company', 'group'], values: [], value: '{$counter}', source: 'default' },
];

const row = (key: string) => root.querySelector<HTMLElement>(`li[data-setting="${key}"]`)!;
const button = (el: HTMLElement, name: string) => [...el.querySelectorAll('button')].find((b) => b.textContent === name)!;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

function mount(onPatch: (p: SettingsPatch) => Promise<void>, readOnly = false) {
  act(() => render(<SettingsOverrides level="client" rows={rows()} groupName="Wholesale" readOnly={readOnly} onPatch={onPatch} />, root));
}

describe('settings overrides', () => {
  it('lists the keys a client may set, each with its value and source', () => {
    mount(async () => undefined);
    expect(row('client_number_pattern')).toBeNull();
    expect(row('currency').querySelector('[data-source]')!.textContent).toMatch(/^From group/);
    expect(row('currency').querySelector('[data-source]')!.getAttribute('title')).toBe('Inherited from the group Wholesale');
    expect(row('payment_terms').querySelector('[data-source]')!.textContent).toMatch(/^Client/);
    expect(row('payment_terms').textContent).toContain('30 days');
    expect(root.textContent).toContain('1 setting is overridden for this client.');
  });

  it('overrides a key with the parsed value of its input', async () => {
    const onPatch = vi.fn(async () => undefined);
    mount(onPatch);
    act(() => button(row('currency'), 'Override').click());
    const input = row('currency').querySelector<HTMLInputElement>('input')!;
    expect(input.value).toBe('EUR');
    act(() => {
      input.value = 'gbp';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => {
      row('currency').querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    });
    await flush();
    expect(onPatch).toHaveBeenCalledWith({ currency: 'GBP' });
    expect(row('currency').querySelector('form')).toBeNull();
  });

  it('does not send a value of the wrong shape, and shows the API’s error for its key', async () => {
    const onPatch = vi.fn(async () => {
      throw new ApiError({ status: 422, code: 'validation_failed', message: 'm', errors: [{ field: 'payment_terms', code: 'out_of_range', message: 'setting "payment_terms" must be between 0 and 3650, not 9000' }] });
    });
    mount(onPatch);
    act(() => button(row('payment_terms'), 'Change').click());
    const input = row('payment_terms').querySelector<HTMLInputElement>('input')!;
    const submit = () => act(async () => void row('payment_terms').querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })));
    act(() => {
      input.value = 'soon';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await submit();
    expect(onPatch).not.toHaveBeenCalled();
    expect(row('payment_terms').querySelector('.field__error')!.textContent).toBe('Enter a whole number, such as 14');
    act(() => {
      input.value = '9000';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await submit();
    await flush();
    expect(onPatch).toHaveBeenCalledWith({ payment_terms: 9000 });
    expect(row('payment_terms').querySelector('.field__error')!.textContent).toBe('Must be between 0 and 3650, not 9000');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('clears an override with an explicit null', async () => {
    const onPatch = vi.fn(async () => undefined);
    mount(onPatch);
    expect(button(row('currency'), 'Clear')).toBeUndefined();
    await act(async () => button(row('payment_terms'), 'Clear').click());
    await flush();
    expect(onPatch).toHaveBeenCalledWith({ payment_terms: null });
  });

  it('offers no actions to members', () => {
    mount(async () => undefined, true);
    expect(root.querySelectorAll('.override__actions')).toHaveLength(0);
    expect(root.textContent).toContain('Only owners and admins can change settings.');
  });
});
