// The app: the router, the two shells (admin and client portal) and the
// session. Features plug in here; they never import each other. Where one
// screen shows another feature's part (the client page's Ledger tab), the
// page takes it as a prop and this file passes it in.
import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import type { Me } from './api/types';
import { AdminLayout } from './components/layout/admin-layout';
import { IntegrationsLayout } from './components/layout/integrations-layout';
import type { TabItem } from './components/ui/tabs';
import { LeaveDialog } from './components/layout/leave-dialog';
import { LoadingBlock } from './components/ui/spinner';
import { Toaster } from './components/ui/toast';
import { EmptyState } from './components/ui/empty-state';
import { ButtonLink } from './components/ui/button';
import { getMe, logout, onSessionExpired, setCsrfToken } from './api/session';
import { LoginPage, safeNext } from './features/auth/login-page';
import { ClientFormPage } from './features/clients/form-page';
import { ClientListPage } from './features/clients/list-page';
import { ClientViewPage, type ClientTabProps } from './features/clients/view-page';
import { ImportPage } from './features/imports/import-page';
import { LedgerTab } from './features/ledger/ledger-tab';
import { DocumentsTab } from './features/documents/documents-tab';
import { GroupListPage } from './features/groups/list-page';
import { GroupPage } from './features/groups/group-page';
import { SettingsPage } from './features/settings/settings-page';
import { TokensPage } from './features/integrations/tokens-page';
import { ProfilePage } from './features/profile/profile-page';
import { PortalApp } from './features/portal/portal-app';
import { WebhookListPage } from './features/webhooks/list-page';
import { WebhookPage } from './features/webhooks/webhook-page';
import { setLeaveRouter } from './lib/leave-guard';
import { useScrollReset } from './lib/scroll-memory';
import { EmailPage } from './features/mail/email-page';
import { can, maybeSignedIn, rememberSignedIn, sessionStore, useSession } from './lib/session';
import { dismissToast, toastInfo, toastStore } from './lib/toast';
import { useStore } from './lib/store';

function startSession(me: Me) {
  setCsrfToken(me.auth.csrf_token);
  rememberSignedIn(true);
  sessionStore.set(me);
}

function endSession() {
  setCsrfToken(null);
  rememberSignedIn(false);
  sessionStore.set(null);
}

/** Finds out once, at start, whether the browser still has a session. */
function useBootSession() {
  useEffect(() => {
    if (sessionStore.get() !== undefined) return;
    if (!maybeSignedIn()) {
      sessionStore.set(null);
      return;
    }
    const ac = new AbortController();
    getMe(ac.signal)
      .then(startSession)
      .catch(() => {
        if (!ac.signal.aborted) endSession();
      });
    return () => ac.abort();
  }, []);
}

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

function NotFound() {
  useEffect(() => {
    document.title = 'Not found · clientd';
  }, []);
  return (
    <div class="page">
      <EmptyState
        title="This page does not exist"
        action={
          <ButtonLink href="/clients" variant="primary">
            Go to clients
          </ButtonLink>
        }
      >
        The link may be old, or the address mistyped.
      </EmptyState>
    </div>
  );
}

/** Integrations' sections; each feature brings its pages. */
const INTEGRATIONS: TabItem[] = [
  { id: 'tokens', label: 'API tokens', href: '/integrations/tokens' },
  { id: 'webhooks', label: 'Webhooks', href: '/integrations/webhooks' },
];

function TokensSection() {
  return (
    <IntegrationsLayout sections={INTEGRATIONS} active="tokens">
      <TokensPage />
    </IntegrationsLayout>
  );
}

function WebhooksSection() {
  return (
    <IntegrationsLayout sections={INTEGRATIONS} active="webhooks">
      <WebhookListPage />
    </IntegrationsLayout>
  );
}

function WebhookSection() {
  return (
    <IntegrationsLayout sections={INTEGRATIONS} active="webhooks">
      <WebhookPage />
    </IntegrationsLayout>
  );
}

/** A client's Documents tab: the documents feature's, for this client. */
function ClientDocumentsTab({ client, onChanged }: ClientTabProps) {
  const me = useSession();
  return <DocumentsTab owner="client" ownerId={client.id} canEdit={can(me, 'clients.edit') && client.status !== 'deleted'} onChanged={onChanged} />;
}

/** A group's documents section, composed into the group page. */
function GroupDocuments({ groupId }: { groupId: string }) {
  const me = useSession();
  return <DocumentsTab owner="group" ownerId={groupId} canEdit={can(me, 'clients.edit')} />;
}

/** A group's page, with the documents section. */
function GroupRoute() {
  return <GroupPage documents={GroupDocuments} />;
}

/** A client's page, with the tabs other features provide. */
function ClientPage() {
  return <ClientViewPage ledgerTab={LedgerTab} documentsTab={ClientDocumentsTab} />;
}

function AdminApp() {
  useBootSession();
  const me = useSession();
  const { path, url, query, route } = useLocation();
  useScrollReset(url);

  // Any 401 from here on means the session ended (expired, revoked, or
  // signed out in another tab): back to the login page, then back here.
  useEffect(() => {
    onSessionExpired(() => {
      if (sessionStore.get() === null) return;
      endSession();
      const here = window.location.pathname + window.location.search;
      route(`/login?expired=1&next=${encodeURIComponent(here)}`, true);
    });
    return () => onSessionExpired(null);
  }, []);

  // Where a screen with unsaved edits lets the user go after asking.
  useEffect(() => {
    setLeaveRouter((url, replace) => route(url, replace));
    return () => setLeaveRouter(null);
  }, []);

  if (me === undefined) return <LoadingBlock label="Starting clientd…" />;

  if (path === '/login') {
    if (me) return <Redirect to={safeNext(query.next)} />;
    return (
      <LoginPage
        onSignedIn={(m) => {
          startSession(m);
          route(safeNext(query.next), true);
        }}
      />
    );
  }

  if (!me) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(url)}`;
    return <Redirect to={`/login${next}`} />;
  }

  const onLogout = async () => {
    try {
      await logout();
    } catch {
      /* the session is gone either way */
    }
    endSession();
    route('/login', true);
    toastInfo('You have signed out');
  };

  return (
    <AdminLayout me={me} path={path} onLogout={onLogout} onProfile={() => route('/profile')}>
      <Router>
        <Route path="/" component={() => <Redirect to="/clients" />} />
        <Route path="/clients" component={ClientListPage} />
        <Route path="/clients/new" component={ClientFormPage} />
        <Route path="/clients/import" component={ImportPage} />
        <Route path="/clients/import/:id" component={ImportPage} />
        <Route path="/clients/:id/edit" component={ClientFormPage} />
        <Route path="/clients/:id/:tab?" component={ClientPage} />
        <Route path="/groups" component={GroupListPage} />
        <Route path="/groups/:id" component={GroupRoute} />
        <Route path="/settings/:section?" component={SettingsPage} />
        <Route path="/integrations" component={() => <Redirect to="/integrations/tokens" />} />
        <Route path="/integrations/tokens" component={TokensSection} />
        <Route path="/integrations/webhooks" component={WebhooksSection} />
        <Route path="/integrations/webhooks/:id" component={WebhookSection} />
        <Route path="/profile" component={ProfilePage} />
        <Route path="/email" component={EmailPage} />
        <Route default component={NotFound} />
      </Router>
    </AdminLayout>
  );
}

function Shells() {
  const { path } = useLocation();
  if (path === '/portal' || path.startsWith('/portal/')) return <PortalApp />;
  return <AdminApp />;
}

function Toasts() {
  const toasts = useStore(toastStore);
  return (
    <>
      <Toaster toasts={toasts} onDismiss={dismissToast} />
      <LeaveDialog />
    </>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Shells />
      <Toasts />
    </LocationProvider>
  );
}
