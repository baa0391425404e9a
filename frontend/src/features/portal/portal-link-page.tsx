import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { checkLink, redeemLink, type PortalInfo, type PortalLinkInfo, type PortalMe } from '../../api/portal';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { LoadingBlock } from '../../components/ui/spinner';
import { takeLinkSecret } from './portal-session';

const MIN = 8;

function gone(e: unknown): string {
  if (e instanceof ApiError && e.status === 410) return 'This link has been used, has expired, or no longer works.';
  if (e instanceof ApiError && e.status === 403) return [e.message, e.detail].filter(Boolean).join(': ');
  if (e instanceof ApiError) return e.message;
  return 'Something went wrong. Try again.';
}

/**
 * A link from a mail (or staff's "Client portal"): its secret is in the
 * address's fragment, which the browser never sends; the page reads it,
 * takes it out of the address bar, and posts it. Invitation and reset
 * links ask for a password first; the others sign in at once.
 */
export function PortalLinkPage({ info, withPassword, onSignedIn }: { info: PortalInfo; withPassword: boolean; onSignedIn: (me: PortalMe) => void }) {
  const [secret] = useState(takeLinkSecret);
  const [link, setLink] = useState<PortalLinkInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(secret === '' ? 'This link is incomplete: open it from the email again.' : null);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${withPassword ? 'Choose your password' : 'Signing in'} · ${info.name}`;
    if (secret === '') return;
    if (!withPassword) {
      redeemLink(info.slug, secret).then(onSignedIn, (e) => setFailure(gone(e)));
      return;
    }
    checkLink(info.slug, secret).then(setLink, (e) => setFailure(gone(e)));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if ([...password].length < MIN) errs.password = `Use at least ${MIN} characters`;
    else if (password !== again) errs.again = 'The two passwords differ';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      onSignedIn(await redeemLink(info.slug, secret, password));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(err.fieldErrors);
      else setFailure(gone(err));
    } finally {
      setBusy(false);
    }
  };

  if (failure) {
    return (
      <div class="portal-card">
        <h1 class="portal-card__title">This link does not work</h1>
        <Alert tone="warning" title={failure}>
          Ask for a new one: <a href={`/portal/${info.slug}/forgot`}>set a new password</a>, or ask {info.name} for a new invitation.
        </Alert>
        <p class="auth__foot">
          <a href={`/portal/${info.slug}/login`}>Go to sign in</a>
        </p>
      </div>
    );
  }
  if (!withPassword || link === null) return <LoadingBlock label="Checking your link…" />;
  return (
    <div class="portal-card">
      <h1 class="portal-card__title">{link.kind === 'invitation' ? `Welcome to ${info.name}` : 'Choose a new password'}</h1>
      <p class="portal-card__subtitle">You sign in with {link.email}. Choose a password of at least {MIN} characters.</p>
      <form class="auth__form" onSubmit={submit} noValidate>
        <input type="email" name="email" autoComplete="username" value={link.email} hidden readOnly />
        <Field label="New password" error={errors.password}>
          {(c) => <TextInput {...c} type="password" name="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <Field label="The same again" error={errors.again}>
          {(c) => <TextInput {...c} type="password" name="again" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />}
        </Field>
        <Button type="submit" variant="primary" block loading={busy}>
          Save and sign in
        </Button>
      </form>
    </div>
  );
}
