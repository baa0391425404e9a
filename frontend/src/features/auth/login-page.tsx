import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import type { Me } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { Logo } from '../../components/layout/logo';
import { describeError } from '../../lib/errors';
import { login } from '../../api/session';

interface LoginPageProps {
  /** called with the new session; the shell stores it and moves on */
  onSignedIn: (me: Me) => void;
}

/** Where to go after signing in: only paths of this app, never another site. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login') || next.startsWith('/api/')) return '/clients';
  return next;
}

function retryText(seconds: number | null): string {
  if (seconds === null) return 'Wait a few minutes, then try again.';
  const m = Math.ceil(seconds / 60);
  return seconds < 90 ? `Try again in ${seconds} seconds.` : `Try again in ${m} minutes.`;
}

export function LoginPage({ onSignedIn }: LoginPageProps) {
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message?: string; tone?: 'danger' | 'warning' } | null>(null);
  const [forgot, setForgot] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · clientd';
    emailRef.current?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!email.trim()) fe.email = 'Enter your email address';
    if (!password) fe.password = 'Enter your password';
    setFieldErrors(fe);
    if (Object.keys(fe).length > 0) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await login(email.trim(), password);
      onSignedIn(me);
    } catch (err) {
      setBusy(false);
      setPassword('');
      if (err instanceof ApiError && err.status === 401) {
        // The server warns before the attempt that would pause the account.
        setError(err.detail
          ? { title: 'Email or password is incorrect', message: err.detail, tone: 'warning' }
          : { title: 'Email or password is incorrect', message: 'Check both and try again.' });
        if (err.detail) setForgot(true);
      } else if (err instanceof ApiError && err.status === 429) {
        setError({ title: 'Too many attempts', message: `Sign-in is paused for this account. ${retryText(err.retryAfter)}` });
        setForgot(true);
      } else if (err instanceof ApiError && err.status === 422) {
        setFieldErrors(err.fieldErrors);
      } else {
        setError(describeError(err));
      }
    }
  };

  return (
    <main class="auth" id="main">
      <div class="auth__card">
        <div class="auth__brand">
          <Logo />
        </div>
        <h1 class="auth__title">Sign in to clientd</h1>
        <p class="auth__subtitle">Client management for your business.</p>
        {query.expired === '1' && !error ? (
          <Alert tone="info" title="Your session has ended">
            Sign in again to continue where you left off.
          </Alert>
        ) : null}
        {error ? (
          <Alert tone={error.tone ?? 'danger'} title={error.title} assertive>
            {error.message}
          </Alert>
        ) : null}
        <form class="auth__form" onSubmit={submit} noValidate>
          <Field label="Email" error={fieldErrors.email}>
            {(c) => (
              <TextInput
                {...c}
                inputRef={emailRef}
                type="email"
                name="email"
                autoComplete="username"
                inputMode="email"
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Password" error={fieldErrors.password}>
            {(c) => (
              <TextInput {...c} type="password" name="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            )}
          </Field>
          <Button type="submit" variant="primary" block loading={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p class="auth__forgot">
          <button type="button" class="link-button" aria-expanded={forgot} aria-controls="forgot-help" onClick={() => setForgot(!forgot)}>
            Forgot password?
          </button>
        </p>
        {forgot ? (
          <div id="forgot-help">
            <Alert tone="info" title="Resetting a password">
              Password resets by email are not available yet. An owner of your business, or whoever runs clientd for
              it, can set a new password on the server:
              <code class="auth__command">clientd set-password --email {email.trim() || 'you@example.com'}</code>
              The new password works at once: it lifts a pause, and signs the account out everywhere else.
            </Alert>
          </div>
        ) : null}
        <p class="auth__foot">
          A client of this business? <a href="/portal/login">Go to the client portal</a>
        </p>
      </div>
    </main>
  );
}
