import { useEffect } from 'preact/hooks';
import { Alert } from '../../components/ui/alert';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What the sign-in form will check without a server: both filled in, an
 * email that looks like one. (The form itself opens with the portal.)
 */
export function validatePortalLogin(email: string, password: string): Record<string, string> {
  const e: Record<string, string> = {};
  if (!email.trim()) e.email = 'Enter your email address';
  else if (!EMAIL.test(email.trim())) e.email = 'Enter an email address like name@example.com';
  if (!password) e.password = 'Enter your password';
  return e;
}

/**
 * The contacts' sign-in page. The portal API arrives with the portal issue;
 * until then the page says so at once, and asks for no email or password
 * that it could only turn away.
 */
export function PortalLoginPage() {
  useEffect(() => {
    document.title = 'Sign in · Client portal';
  }, []);

  return (
    <div class="portal-card">
      <h1 class="portal-card__title">Sign in</h1>
      <p class="portal-card__subtitle">See your invoices, documents and details with the email your contact at the business has on file.</p>
      <Alert tone="info" title="Client portal sign-in is not open yet">
        The client portal is being built. When it opens, the business you work with will let you know, and you will sign in here with your email address.
      </Alert>
      <p class="auth__foot">
        Staff of the business? <a href="/login">Sign in to clientd</a>
      </p>
    </div>
  );
}
