import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingRow } from '../../lib/settings/registry';
import type { Draft } from '../../lib/settings/values';
import { SettingControl } from './setting-control';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const show = (type: SettingRow['type'], draft: Draft, opts: { key?: string; values?: string[]; onChange?: (d: Draft) => void } = {}) =>
  act(() => render(<SettingControl row={{ key: opts.key ?? 'k', type, values: opts.values ?? [] }} draft={draft} onChange={opts.onChange ?? (() => undefined)} id="c" />, root));

describe('setting controls', () => {
  it('picks the control by type', () => {
    show('boolean', true);
    expect(root.querySelector('input[role="switch"]')!.getAttribute('id')).toBe('c');
    show('enum', 'b', { values: ['a', 'b'] });
    expect([...root.querySelectorAll('option')].map((o) => o.value)).toEqual(['a', 'b']);
    show('currency', 'EUR');
    expect(root.querySelector('input')!.getAttribute('list')).toBe('c-choices');
    expect(root.querySelector('datalist#c-choices option[value="EUR"]')).not.toBeNull();
    show('integer', '14', { key: 'payment_terms' });
    expect(root.querySelector('.input-unit__text')!.textContent).toBe('days');
  });

  it('edits a flag matrix with switches, keeping required fields visible', () => {
    const onChange = vi.fn();
    show('object', JSON.stringify({ phone: { required: false, visible: false } }), { onChange });
    const boxes = root.querySelectorAll<HTMLInputElement>('table input[type="checkbox"]');
    expect(boxes).toHaveLength(2);
    act(() => boxes[1]!.click()); // "required"
    expect(JSON.parse(onChange.mock.calls[0]![0] as string)).toEqual({ phone: { required: true, visible: true } });
  });

  it('edits label slots one input each', () => {
    const onChange = vi.fn();
    show('object', '{}', { key: 'custom_fields', onChange });
    const inputs = root.querySelectorAll<HTMLInputElement>('input');
    expect(inputs).toHaveLength(8);
    act(() => {
      inputs[0]!.value = 'Region';
      inputs[0]!.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(JSON.parse(onChange.mock.calls[0]![0] as string)).toEqual({ client1: 'Region' });
  });

  it('keeps a value outside an enum visible rather than silently showing another', () => {
    show('enum', 'ZZ', { values: ['a', 'b'] });
    expect([...root.querySelectorAll('option')].map((o) => o.value)).toEqual(['ZZ', 'a', 'b']);
    expect(root.querySelector<HTMLSelectElement>('select')!.value).toBe('ZZ');
  });

  it('falls back to JSON text for an object of no known shape, or a draft that is not JSON', () => {
    show('object', '{"a": [1, 2]}');
    expect(root.querySelector('textarea')).not.toBeNull();
    show('object', '{not json');
    expect(root.querySelector('textarea')!.value).toBe('{not json');
  });
});
