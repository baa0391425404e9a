import type { ComponentChildren } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { IconMore } from './icons';

export interface MenuItem {
  id: string;
  label: string;
  icon?: ComponentChildren;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** a line above this item */
  separator?: boolean;
}

interface MenuProps {
  /** the button's accessible name ("More actions") */
  label: string;
  items: MenuItem[];
  /** the button's content; a kebab by default */
  trigger?: ComponentChildren;
  align?: 'start' | 'end';
  triggerClass?: string;
}

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ArrowDown open it
 * on the first item, ArrowUp on the last; arrows, Home and End move; Enter
 * picks; Esc and Tab close it and focus goes back to the button.
 */
export function Menu({ label, items, trigger, align = 'end', triggerClass }: MenuProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = `menu${useId()}`;
  const enabled = items.map((it, i) => (it.disabled ? -1 : i)).filter((i) => i >= 0);

  const openAt = (which: 'first' | 'last') => {
    setActive(which === 'first' ? (enabled[0] ?? 0) : (enabled[enabled.length - 1] ?? 0));
    setOpen(true);
  };
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  // A layout effect: focus is in the menu before the next key is handled,
  // so a letter typed right after Enter already goes to the type-ahead.
  useLayoutEffect(() => {
    if (!open) return;
    const el = list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active];
    el?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!list.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const move = (delta: number) => {
    const pos = enabled.indexOf(active);
    const next = enabled[(pos + delta + enabled.length) % enabled.length];
    if (next !== undefined) setActive(next);
  };

  const pick = (item: MenuItem) => {
    if (item.disabled) return;
    close(true);
    item.onSelect();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openAt('first');
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      openAt('last');
    }
  };

  const onListKey = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(-1);
        break;
      case 'Home':
        e.preventDefault();
        setActive(enabled[0] ?? 0);
        break;
      case 'End':
        e.preventDefault();
        setActive(enabled[enabled.length - 1] ?? 0);
        break;
      case 'Escape':
        e.preventDefault();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
      case 'Enter':
      case ' ': {
        e.preventDefault();
        const item = items[active];
        if (item) pick(item);
        break;
      }
      default: {
        // type-ahead: the next item starting with the letter
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const k = e.key.toLowerCase();
          const pos = enabled.indexOf(active);
          const order = [...enabled.slice(pos + 1), ...enabled.slice(0, pos + 1)];
          const hit = order.find((i) => items[i]!.label.toLowerCase().startsWith(k));
          if (hit !== undefined) setActive(hit);
        }
      }
    }
  };

  return (
    <div class="menu">
      <button
        ref={button}
        type="button"
        class={triggerClass ?? 'btn btn--secondary btn--icon'}
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? id : undefined}
        aria-label={trigger ? undefined : label}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onButtonKey}
      >
        {trigger ?? <IconMore size={18} />}
      </button>
      {open ? (
        <ul ref={list} id={id} role="menu" aria-label={label} class={`menu__list menu__list--${align}`} onKeyDown={onListKey}>
          {items.map((it, i) => (
            <li key={it.id} role="none" class={it.separator ? 'menu__sep' : undefined}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                class={`menu__item${it.danger ? ' menu__item--danger' : ''}`}
                aria-disabled={it.disabled ? 'true' : undefined}
                data-menu-id={it.id}
                onClick={() => pick(it)}
                onMouseEnter={() => !it.disabled && setActive(i)}
              >
                {it.icon ? <span class="menu__icon" aria-hidden="true">{it.icon}</span> : null}
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
