import { useEffect } from 'preact/hooks';
import { Route, Router, useLocation } from 'preact-iso';
import { PortalLayout } from './portal-layout';
import { PortalLoginPage } from './portal-login-page';

function ToLogin() {
  const { route } = useLocation();
  // No portal sessions exist yet: every portal page starts at sign-in.
  useEffect(() => route('/portal/login', true), []);
  return null;
}

/** The client portal area (/portal/...), with its own layout and login. */
export function PortalApp() {
  return (
    <PortalLayout>
      <Router>
        <Route path="/portal/login" component={PortalLoginPage} />
        <Route default component={ToLogin} />
      </Router>
    </PortalLayout>
  );
}
