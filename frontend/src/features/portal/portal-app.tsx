import './portal.css';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { getPortal, getPortalMe, onPortalSessionEnded, portalLogout, type PortalInfo, type PortalMe } from '../../api/portal';
import { EmptyState } from '../../components/ui/empty-state';
import { LoadingBlock } from '../../components/ui/spinner';
import { useStore } from '../../lib/store';
import { PortalDashboard } from './portal-dashboard';
import { PortalDocumentsPage } from './portal-documents-page';
import { PortalLayout } from './portal-layout';
import { PortalLinkPage } from './portal-link-page';
import { PortalHome, PortalLoginPage, PortalRequestPage } from './portal-login-page';
import { PortalProfilePage } from './portal-profile-page';
import { PortalRegisterPage } from './portal-register-page';
import { endPortalSession, lastPortal, portalMe, startPortalSession } from './portal-session';

/** Pages before sign-in; the rest need a contact's session. */
const PUBLIC = new Set(['login', 'forgot', 'email-link', 'register', 'welcome', 'reset', 'magic', 'confirm', 'enter']);

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

/**
 * The client portal (/portal/<company slug>/...): its own layout, session
 * and sign-in, apart from the admin app. Pages: login, forgot,
 * email-link, register, the link pages (welcome, reset, magic, confirm,
 * enter), the overview and the details.
 */
export function PortalApp() {
  const { path, route } = useLocation();
  const parts = path.split('/').filter(Boolean); // ['portal', slug, page?]
  const slug = parts[1];
  const page = parts[2] ?? '';
  const me = useStore(portalMe);
  const [info, setInfo] = useState<PortalInfo | null | undefined>(undefined);

  useEffect(() => {
    if (!slug) return;
    setInfo(undefined);
    const ac = new AbortController();
    getPortal(slug, ac.signal).then(setInfo, () => {
      if (!ac.signal.aborted) setInfo(null);
    });
    return () => ac.abort();
  }, [slug]);

  // Pages that need a session: find out once whether the browser has one.
  useEffect(() => {
    if (!slug || PUBLIC.has(page) || me !== undefined) return;
    getPortalMe(slug).then(startPortalSession, () => endPortalSession());
  }, [slug, page, me]);

  useEffect(() => {
    onPortalSessionEnded(() => {
      endPortalSession();
      route(`/portal/${slug}/login`, true);
    });
    return () => onPortalSessionEnded(null);
  }, [slug]);

  const signedIn = (m: PortalMe) => {
    startPortalSession(m);
    route(`/portal/${m.company.slug}`, true);
  };
  const signOut = async () => {
    try {
      await portalLogout(slug!);
    } catch {
      /* the session is gone either way */
    }
    endPortalSession();
    route(`/portal/${slug}/login`, true);
  };

  const frame = (children: preact.ComponentChildren, withMe = false) => (
    <PortalLayout company={info?.name} me={withMe ? me : null} slug={slug} path={path} onSignOut={signOut}>
      {children}
    </PortalLayout>
  );

  if (!slug) return frame(<PortalHome last={lastPortal()} />);
  if (info === undefined) return frame(<LoadingBlock label="Opening the portal…" />);
  if (info === null) {
    return frame(
      <EmptyState title="There is no client portal here">The address may be mistyped; the link in your email leads to the right place.</EmptyState>,
    );
  }
  switch (page) {
    case 'login':
      return frame(<PortalLoginPage info={info} onSignedIn={signedIn} />);
    case 'forgot':
      return frame(<PortalRequestPage info={info} kind="reset" />);
    case 'email-link':
      return frame(<PortalRequestPage info={info} kind="magic" />);
    case 'register':
      return frame(info.registration ? <PortalRegisterPage info={info} /> : <EmptyState title="Registration is closed">Ask {info.name} for an invitation.</EmptyState>);
    case 'welcome':
    case 'reset':
      return frame(<PortalLinkPage key={page} info={info} withPassword onSignedIn={signedIn} />);
    case 'magic':
    case 'confirm':
    case 'enter':
      return frame(<PortalLinkPage key={page} info={info} withPassword={false} onSignedIn={signedIn} />);
    default:
      break;
  }
  if (me === undefined) return frame(<LoadingBlock label="Opening the portal…" />);
  if (me === null || me.company.slug !== slug) return <Redirect to={`/portal/${slug}/login`} />;
  if (page === '') return frame(<PortalDashboard me={me} onMe={startPortalSession} />, true);
  if (page === 'profile') return frame(<PortalProfilePage me={me} onMe={startPortalSession} />, true);
  if (page === 'documents') return frame(<PortalDocumentsPage me={me} />, true);
  return frame(<EmptyState title="This page does not exist">Go back to <a href={`/portal/${slug}`}>your overview</a>.</EmptyState>, true);
}
