import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Menu } from './menu';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function key(el: Element, k: string) {
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });
}

describe('menu button (keyboard)', () => {
  it('opens on Enter at the first item, moves with arrows and letters, skips disabled items, picks with Enter', () => {
    const picked = vi.fn();
    act(() => {
      render(
        <Menu
          label="Client actions"
          items={[
            { id: 'edit', label: 'Edit', onSelect: () => picked('edit') },
            { id: 'archive', label: 'Archive', onSelect: () => picked('archive'), disabled: true },
            { id: 'restore', label: 'Restore', onSelect: () => picked('restore') },
            { id: 'delete', label: 'Delete…', onSelect: () => picked('delete') },
          ]}
        />,
        root,
      );
    });
    const button = root.querySelector('button')!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    key(button, 'Enter');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const menu = root.querySelector('[role="menu"]')!;
    expect(document.activeElement?.textContent).toBe('Edit');
    key(menu, 'ArrowDown');
    expect(document.activeElement?.textContent).toBe('Restore');
    key(menu, 'End');
    expect(document.activeElement?.textContent).toBe('Delete…');
    key(menu, 'ArrowDown');
    expect(document.activeElement?.textContent).toBe('Edit');
    key(menu, 'r');
    expect(document.activeElement?.textContent).toBe('Restore');
    key(menu, 'Enter');
    expect(picked).toHaveBeenCalledWith('restore');
    expect(root.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('closes on Escape and gives focus back to the button', () => {
    act(() => {
      render(<Menu label="More" items={[{ id: 'a', label: 'A', onSelect: () => undefined }]} />, root);
    });
    const button = root.querySelector('button')!;
    key(button, 'ArrowUp');
    key(root.querySelector('[role="menu"]')!, 'Escape');
    expect(root.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
