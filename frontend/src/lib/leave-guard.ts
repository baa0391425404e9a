// Unsaved edits are not lost without a word. While a screen has some
// (useLeaveGuard(true)), leaving it asks first: reloading or closing the
// tab (the browser's own beforeunload question), a link in the app (the
// sidebar, the breadcrumbs, Cancel) and Back (the app's question, shown by
// the LeaveDialog that app.tsx renders once).
//
// Links are caught before the router sees them (a capture listener on the
// document). Back cannot be cancelled, so while edits are unsaved the
// screen's URL is in the history twice: Back takes away the copy on top
// (the router sees the same URL and stays), and the question asks whether
// to go back for real. Saving or undoing the edits takes the copy away
// again; a screen that navigates after saving uses leaveScreen(), which
// leaves the history as if the copy had never been there.
import { useEffect } from 'preact/hooks';
import { createStore } from './store';

export interface LeaveQuestion {
  /** what is not saved, for the question ("your changes to this client") */
  what: string;
  stay: () => void;
  leave: () => void;
}

/** The question being asked, or null: the LeaveDialog shows it. */
export const leaveStore = createStore<LeaveQuestion | null>(null);

interface Guard {
  what: string;
  /** links to these URLs stay on the same screen (its tabs), so they need no question */
  allows: (url: string) => boolean;
}

const guards: Guard[] = [];
let router: ((url: string, replace: boolean) => void) | null = null;
let installed = false;
/** the URL the copy in the history is of, while there is one */
let copyOf: string | null = null;
/** a history.back() of our own is under way: its popstate is not the user's */
let ownBack = false;
/** where to go once that back is done (leaveScreen) */
let pending: string | null = null;

const KEY = 'clientdLeaveGuard';
const here = () => location.pathname + location.search;
const onCopy = () => typeof history.state === 'object' && history.state !== null && KEY in history.state;
const top = (): Guard | undefined => guards[guards.length - 1];

/** How the guard moves to a URL the user chose to go to anyway (app.tsx gives the router's route). */
export function setLeaveRouter(route: ((url: string, replace: boolean) => void) | null): void {
  router = route;
}

/**
 * Goes to `url` after a save, as the router would (in place of the
 * screen when `replace`, after it otherwise), whether or not the guard's
 * copy of the screen is in the history: the copy is taken away first.
 */
export function leaveScreen(url: string, replace: boolean): void {
  const go = router ?? ((u: string) => location.assign(u));
  if (!onCopy()) {
    go(url, replace);
  } else if (!replace) {
    go(url, true); // in place of the copy: the screen's own entry stays before it
  } else {
    // back to the screen's own entry, then in its place
    pending = url;
    ownBack = true;
    history.back();
  }
  copyOf = null;
}

function pushCopy(): void {
  copyOf = here();
  history.pushState({ [KEY]: copyOf }, '', copyOf);
}

function dropCopy(): void {
  if (onCopy() && pending === null) {
    ownBack = true;
    history.back();
  }
  copyOf = null;
}

function ask(g: Guard, stay: () => void, leave: () => void): void {
  leaveStore.set({
    what: g.what,
    stay: () => {
      leaveStore.set(null);
      stay();
    },
    leave: () => {
      leaveStore.set(null);
      guards.length = 0; // the screen goes: nothing of it is guarded any more
      copyOf = null;
      leave();
    },
  });
}

function linkOf(e: MouseEvent): HTMLAnchorElement | null {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement && Boolean(n.href));
  if (!a || a.origin !== location.origin || a.download || !/^(_?self)?$/i.test(a.target)) return null;
  const href = a.getAttribute('href') ?? '';
  return href.startsWith('#') ? null : a;
}

function onClick(e: MouseEvent): void {
  const g = top();
  if (!g) return;
  const a = linkOf(e);
  if (!a) return;
  const url = a.pathname + a.search;
  if (url === here() || g.allows(url)) return;
  e.preventDefault();
  e.stopPropagation();
  ask(g, () => undefined, () => {
    // the copy on top of the history makes way for where the user goes
    if (router) router(url, onCopy());
    else location.assign(url);
  });
}

function onPop(): void {
  if (ownBack) {
    ownBack = false;
    if (pending !== null) {
      const url = pending;
      pending = null;
      (router ?? ((u: string) => location.assign(u)))(url, true);
    }
    return;
  }
  const g = top();
  if (!g || copyOf === null || onCopy()) return;
  if (here() !== copyOf) return;
  // Back took the copy away: the user means to leave the screen
  ask(g, pushCopy, () => history.back());
}

function onBeforeUnload(e: BeforeUnloadEvent): void {
  if (guards.length === 0) return;
  e.preventDefault();
  e.returnValue = '';
}

function install(): void {
  if (installed) return;
  installed = true;
  document.addEventListener('click', onClick, true);
  window.addEventListener('popstate', onPop);
  window.addEventListener('beforeunload', onBeforeUnload);
}

/**
 * While `active`, leaving the screen asks first. `what` says what would be
 * lost; `allows` names the URLs that keep the screen (its own tabs).
 */
export function useLeaveGuard(active: boolean, what: string, allows: (url: string) => boolean = () => false): void {
  useEffect(() => {
    if (!active) return;
    install();
    if (pending !== null) return; // leaving after a save: nothing to guard any more
    const g: Guard = { what, allows };
    guards.push(g);
    if (copyOf === null) pushCopy();
    return () => {
      const i = guards.indexOf(g);
      if (i >= 0) guards.splice(i, 1);
      if (guards.length === 0) dropCopy();
    };
  }, [active, what]);
}
