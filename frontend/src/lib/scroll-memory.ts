// Where a list was scrolled to, so that Back returns to the same place:
// remembered per URL (path and query) as the user scrolls, kept for the
// tab's session, and restored once the list's rows are there again.
import { useEffect, useRef } from 'preact/hooks';

const PREFIX = 'clientd.scroll:';
const memory = new Map<string, number>();

// The URL the last Back or Forward went to (listened for before the
// router's own listener, which is added when the app mounts).
let popUrl: string | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    popUrl = location.pathname + location.search;
  });
}

/** Whether the app arrived at `url` by Back or Forward (not by a link or a new route). */
export function cameBack(url: string): boolean {
  return popUrl === url;
}

function saved(key: string): number {
  if (memory.has(key)) return memory.get(key)!;
  try {
    const v = Number(sessionStorage.getItem(PREFIX + key));
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function save(key: string, y: number): void {
  memory.set(key, y);
  try {
    sessionStorage.setItem(PREFIX + key, String(Math.round(y)));
  } catch {
    /* storage off: the in-memory copy serves this page load */
  }
}

/**
 * A new screen starts at the top; one reached by Back or Forward is left
 * to restore its own place (useScrollMemory). For the app's shell.
 */
export function useScrollReset(url: string): void {
  useEffect(() => {
    if (!cameBack(url)) window.scrollTo(0, 0);
  }, [url]);
}

/**
 * Remembers the window's scroll position under `key` while the screen
 * shows it, and, when the screen was reached by Back or Forward, scrolls
 * back to it once `ready` (its rows are rendered).
 */
export function useScrollMemory(key: string, ready: boolean): void {
  const restore = useRef(cameBack(key));
  const done = useRef(false);
  const current = useRef(key);
  current.current = key;

  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      // until the rows are back, a scroll is the browser clamping the page, not the user;
      // after the URL changed, it is the next screen's (the router may keep this one a moment)
      if (frame || !done.current) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (location.pathname + location.search === current.current) save(current.current, window.scrollY);
      });
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      window.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    const y = restore.current ? saved(key) : 0;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  }, [ready]);
}
