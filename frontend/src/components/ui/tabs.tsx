import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface TabItem {
  id: string;
  label: string;
  href: string;
  count?: number | undefined;
}

interface TabsProps {
  label: string;
  tabs: TabItem[];
  active: string;
  /** prefix of the ids of the tabs and their panel */
  idBase: string;
}

/**
 * ARIA tabs whose tabs are links, so every tab has its own URL: Left/Right
 * (and Home/End) move between tabs and open them (the router follows the
 * link); only the selected tab is in the Tab order.
 */
export function Tabs({ label, tabs, active, idBase }: TabsProps) {
  const list = useRef<HTMLDivElement>(null);
  // At phone width the row scrolls: keep the selected tab in view.
  useEffect(() => {
    const el = list.current;
    const tab = el?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!el || !tab || el.scrollWidth <= el.clientWidth) return;
    const t = tab.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (t.left < box.left || t.right > box.right) el.scrollLeft += t.left - box.left - (box.width - t.width) / 2;
  }, [active]);
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const el = document.getElementById(`${idBase}-tab-${tabs[next]!.id}`);
    el?.focus();
    el?.click();
  };
  return (
    <div ref={list} class="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => {
        const on = t.id === active;
        return (
          <a
            key={t.id}
            id={`${idBase}-tab-${t.id}`}
            role="tab"
            href={t.href}
            class={on ? 'tabs__tab tabs__tab--on' : 'tabs__tab'}
            aria-selected={on ? 'true' : 'false'}
            aria-controls={`${idBase}-panel`}
            tabIndex={on ? 0 : -1}
          >
            {t.label}
            {t.count !== undefined ? <span class="tabs__count">{t.count}</span> : null}
          </a>
        );
      })}
    </div>
  );
}

export function TabPanel({ idBase, active, children }: { idBase: string; active: string; children: ComponentChildren }) {
  return (
    <div class="tabs__panel" role="tabpanel" id={`${idBase}-panel`} aria-labelledby={`${idBase}-tab-${active}`} tabIndex={0}>
      {children}
    </div>
  );
}
