import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks what can be checked without a server: both filled in, an email that looks like one. */
export function validatePortalLogin(email: string, password: string): Record<string, string> {
  const e: Record<string, string> = {};
  if (!email.trim()) e.email = 'Enter your email address';
  else if (!EMAIL.test(email.trim())) e.email = 'Enter an email address like name@example.com';
  if (!password) e.password = 'Enter your password';
  return e;
}

/**
 * The contacts' sign-in page. The portal API arrives with the portal issue;
 * until then the form checks its input and says plainly that signing in
 * is not available yet (it never pretends to succeed).
 */
export function PortalLoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [tried, setTried] = useState(false);

  useEffect(() => {
    document.title = 'Sign in · Client portal';
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    const errs = validatePortalLogin(email, password);
    setErrors(errs);
    setTried(Object.keys(errs).length === 0);
  };

  return (
    <div class="portal-card">
      <h1 class="portal-card__title">Sign in</h1>
      <p class="portal-card__subtitle">See your invoices, documents and details with the email your contact at the business has on file.</p>
      {tried ? (
        <Alert tone="info" title="Client portal sign-in is not open yet" assertive>
          The client portal is being built. When it opens, the business you work with will let you know, and this page will sign you in.
        </Alert>
      ) : null}
      <form class="auth__form" onSubmit={submit} noValidate>
        <Field label="Email" error={errors.email}>
          {(c) => <TextInput {...c} type="email" name="email" autoComplete="username" inputMode="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" error={errors.password}>
          {(c) => <TextInput {...c} type="password" name="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <Button type="submit" variant="primary" block>
          Sign in
        </Button>
      </form>
      <p class="auth__foot">
        Staff of the business? <a href="/login">Sign in to clientd</a>
      </p>
    </div>
  );
}
