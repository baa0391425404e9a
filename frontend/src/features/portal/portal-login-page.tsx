import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import { portalLogin, requestMagicLink, requestReset, type PortalInfo, type PortalMe } from '../../api/portal';
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

function problem(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429) return `Too many attempts. Try again in ${Math.ceil((e.retryAfter ?? 60) / 60)} minutes.`;
    return [e.message.charAt(0).toUpperCase() + e.message.slice(1), e.detail].filter(Boolean).join('. ');
  }
  return 'Something went wrong. Try again.';
}

/** The contacts' sign-in page of a company's portal. */
export function PortalLoginPage({ info, onSignedIn }: { info: PortalInfo; onSignedIn: (me: PortalMe) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `Sign in · ${info.name}`;
  }, [info.name]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = validatePortalLogin(email, password);
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      onSignedIn(await portalLogin(info.slug, email.trim(), password));
    } catch (err) {
      setFailure(problem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="portal-card">
      <h1 class="portal-card__title">Sign in</h1>
      <p class="portal-card__subtitle">Your balance, statements and details at {info.name}.</p>
      {failure ? <Alert tone="danger" title={failure} assertive /> : null}
      <form class="auth__form" onSubmit={submit} noValidate>
        <Field label="Email" error={errors.email}>
          {(c) => <TextInput {...c} type="email" name="email" autoComplete="username" inputMode="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" error={errors.password}>
          {(c) => <TextInput {...c} type="password" name="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <Button type="submit" variant="primary" block loading={busy}>
          Sign in
        </Button>
      </form>
      <p class="auth__foot">
        <a href={`/portal/${info.slug}/forgot`}>Forgot your password?</a>
        {info.magic_links ? (
          <>
            {' · '}
            <a href={`/portal/${info.slug}/email-link`}>Email me a sign-in link</a>
          </>
        ) : null}
      </p>
      {info.registration ? (
        <p class="auth__foot">
          New here? <a href={`/portal/${info.slug}/register`}>Register</a>
        </p>
      ) : null}
    </div>
  );
}

/** "Forgot your password?" and "Email me a sign-in link": one email field, the same answer for anyone. */
export function PortalRequestPage({ info, kind }: { info: PortalInfo; kind: 'reset' | 'magic' }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = kind === 'reset' ? 'Forgot your password?' : 'Sign in with a link';

  useEffect(() => {
    document.title = `${title} · ${info.name}`;
  }, [title]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    if (!EMAIL.test(email.trim())) {
      setError('Enter an email address like name@example.com');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      setDone(await (kind === 'reset' ? requestReset : requestMagicLink)(info.slug, email.trim()));
    } catch (err) {
      setFailure(problem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="portal-card">
      <h1 class="portal-card__title">{title}</h1>
      <p class="portal-card__subtitle">
        {kind === 'reset'
          ? 'We email you a link to choose a new password. It works once, for an hour.'
          : 'We email you a link that signs you in. It works once, for 10 minutes.'}
      </p>
      {done ? <Alert tone="success" title="Check your email">{done}</Alert> : null}
      {failure ? <Alert tone="danger" title={failure} assertive /> : null}
      {done ? null : (
        <form class="auth__form" onSubmit={submit} noValidate>
          <Field label="Email" error={error}>
            {(c) => <TextInput {...c} type="email" name="email" autoComplete="username" inputMode="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Button type="submit" variant="primary" block loading={busy}>
            Send the link
          </Button>
        </form>
      )}
      <p class="auth__foot">
        <a href={`/portal/${info.slug}/login`}>Back to sign in</a>
      </p>
    </div>
  );
}

/** /portal without a company: the way back to the last portal, or where to look. */
export function PortalHome({ last }: { last: string | null }) {
  const { route } = useLocation();
  useEffect(() => {
    if (last) route(`/portal/${last}/login`, true);
  }, [last]);
  return (
    <div class="portal-card">
      <h1 class="portal-card__title">Client portal</h1>
      <p class="portal-card__subtitle">
        Open the link in the invitation email the business sent you: it leads to its portal. Its address looks like /portal/business-name.
      </p>
    </div>
  );
}
