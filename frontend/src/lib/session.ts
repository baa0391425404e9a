// Who is signed in (shared by the shell and every feature). `undefined`
// while the app is finding out, `null` when nobody is.
//
// The session cookie is HttpOnly, so the page cannot see whether it has
// one. A flag in localStorage remembers that a sign-in happened, so that
// a visitor who never signed in goes straight to the login page instead
// of asking GET /me and getting a 401.
import type { Me } from '../api/types';
import { createStore, useStore } from './store';

export type SessionState = Me | null | undefined;

export const sessionStore = createStore<SessionState>(undefined);

export function useSession(): SessionState {
  return useStore(sessionStore);
}

const HINT = 'clientd.signed-in';

export function rememberSignedIn(on: boolean): void {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    /* storage disabled: GET /me decides */
  }
}

export function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return true;
  }
}

/**
 * Owners and admins may do everything; members what their permissions say
 * ("clients.edit", or "clients.edit.own" for the clients they created or
 * are assigned: the API decides per client, the UI only hides what can
 * never work).
 */
export function can(me: SessionState, permission: string): boolean {
  if (!me) return false;
  if (me.user.role === 'owner' || me.user.role === 'admin') return true;
  return me.user.permissions.includes(permission) || me.user.permissions.includes(`${permission}.own`);
}

export function isOwner(me: SessionState): boolean {
  return me?.user.role === 'owner';
}

export function isAdmin(me: SessionState): boolean {
  return me?.user.role === 'owner' || me?.user.role === 'admin';
}
