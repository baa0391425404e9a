// The signed-in contact of the portal (undefined: not known yet; null:
// nobody), and the company's portal the browser used last (so /portal
// alone finds the way back to the sign-in page).
import { setPortalCsrf, type PortalMe } from '../../api/portal';
import { createStore } from '../../lib/store';

export const portalMe = createStore<PortalMe | null | undefined>(undefined);

const LAST = 'clientd.portal.last';

export function startPortalSession(me: PortalMe): void {
  if (me.csrf_token) setPortalCsrf(me.csrf_token);
  try {
    localStorage.setItem(LAST, me.company.slug);
  } catch {
    /* private mode: nothing to remember */
  }
  portalMe.set(me);
}

export function endPortalSession(): void {
  setPortalCsrf(null);
  portalMe.set(null);
}

export function lastPortal(): string | null {
  try {
    return localStorage.getItem(LAST);
  } catch {
    return null;
  }
}

/** The secret of a link page (after "#"), taken out of the address bar at once. */
export function takeLinkSecret(): string {
  const s = window.location.hash.replace(/^#/, '');
  if (s !== '') history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return s;
}
