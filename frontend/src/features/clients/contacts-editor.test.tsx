import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blankRow, type ContactRow } from './contacts-model';
import { ContactsEditor } from './contacts-editor';

let root: HTMLElement;
let latest: ContactRow[] = [];
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function Harness({ initial, errors = {} }: { initial: ContactRow[]; errors?: Record<string, Record<string, string>> }) {
  const [rows, setRows] = useState(initial);
  latest = rows;
  return <ContactsEditor rows={rows} onChange={setRows} errors={errors} />;
}

const click = (el: Element) => act(() => (el as HTMLElement).click());
const buttons = (name: string) => [...root.querySelectorAll('button')].filter((b) => b.textContent?.includes(name) || b.getAttribute('aria-label')?.includes(name));

describe('contacts editor', () => {
  it('adds a contact and focuses its first name', async () => {
    act(() => render(<Harness initial={[blankRow(true)]} />, root));
    click(buttons('Add contact')[0]!);
    await act(async () => undefined);
    expect(latest).toHaveLength(2);
    expect(latest[1]!.is_primary).toBe(false);
    expect((document.activeElement as HTMLInputElement).id).toBe(`cf-contact-${latest[1]!.key}-first_name`);
  });

  it('marks another contact primary through its radio', () => {
    const a = { ...blankRow(true), first_name: 'Ann' };
    const b = { ...blankRow(false), first_name: 'Bob' };
    act(() => render(<Harness initial={[a, b]} />, root));
    const radios = root.querySelectorAll<HTMLInputElement>('input[type="radio"]');
    act(() => {
      radios[1]!.click();
    });
    expect(latest.map((r) => r.is_primary)).toEqual([false, true]);
  });

  it('removing the primary contact makes the next one primary and says so', async () => {
    const a = { ...blankRow(true), first_name: 'Ann' };
    const b = { ...blankRow(false), first_name: 'Bob' };
    act(() => render(<Harness initial={[a, b]} />, root));
    click(buttons('Remove Ann')[0]!);
    await act(async () => undefined);
    expect(latest.map((r) => [r.first_name, r.is_primary])).toEqual([['Bob', true]]);
    expect(root.querySelector('[aria-live]')?.textContent).toBe('Ann removed; Bob is now primary');
  });

  it('shows the API errors of a row under its inputs', () => {
    const a = { ...blankRow(true), email: 'bad' };
    act(() => render(<Harness initial={[a]} errors={{ [a.key]: { email: 'Not a valid email address: "bad"' } }} />, root));
    const input = root.querySelector<HTMLInputElement>(`#cf-contact-${a.key}-email`)!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = input.getAttribute('aria-describedby')!;
    expect(root.querySelector(`#${CSS.escape(described)}`)?.textContent).toBe('Not a valid email address: "bad"');
  });
});
