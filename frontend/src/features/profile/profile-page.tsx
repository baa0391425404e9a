import './profile.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Profile } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useLeaveGuard } from '../../lib/leave-guard';
import { sessionStore } from '../../lib/session';
import { toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { changePassword, getProfile, updateProfile } from '../../api/profile';
import { passwordProblems, type PasswordDraft } from './password-model';

const ROLE: Record<Profile['role'], string> = {
  owner: 'Owner: may do everything, purge clients included',
  admin: 'Admin: may do everything but purge clients',
  member: 'Member: what your permissions allow',
};

/**
 * The signed-in user's own account: the name others see (and the top bar
 * shows), the email it signs in with, and a new password for the current
 * one. A password change signs out every other session of the account.
 */
export function ProfilePage() {
  const res = useResource('profile', (signal) => getProfile(signal));
  useEffect(() => {
    document.title = 'Profile · clientd';
  }, []);

  if (res.error && !res.data) {
    return (
      <div class="page">
        <EmptyState title="Your profile could not be loaded" action={<Button onClick={res.reload}>Try again</Button>}>
          {describeError(res.error).title}
        </EmptyState>
      </div>
    );
  }
  if (!res.data) return <LoadingBlock label="Loading your profile…" />;

  return (
    <div class="page page--form">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Profile</h1>
          <p class="page-header__sub">Your own account at {sessionStore.get()?.company.name ?? 'your company'}.</p>
        </div>
      </header>
      <div class="profile">
        <NameCard profile={res.data} onSaved={res.setData} />
        <PasswordCard />
      </div>
    </div>
  );
}

function NameCard({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => void }) {
  const [name, setName] = useState(profile.name);
  const [error, setError] = useState<string | undefined>(undefined);
  const [failed, setFailed] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const changed = name.trim() !== profile.name;
  useLeaveGuard(changed, 'your name');

  const save = async (e: Event) => {
    e.preventDefault();
    if (!changed || saving) return;
    setSaving(true);
    setError(undefined);
    setFailed(null);
    try {
      const p = await updateProfile(name.trim());
      onSaved(p);
      setName(p.name);
      // the top bar shows the new name at once
      sessionStore.set((me) => (me ? { ...me, user: { ...me.user, name: p.name } } : me));
      toastSuccess('Name saved', p.name ? `You are ${p.name} now.` : 'Your email stands for your name.');
    } catch (x) {
      if (x instanceof ApiError && x.fieldErrors.name) setError(x.fieldErrors.name);
      else setFailed(x);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card profile__card" aria-labelledby="profile-account-title">
      <h2 class="card__title" id="profile-account-title">
        Account
      </h2>
      <form class="profile__form" onSubmit={save} noValidate>
        <Field label="Name" error={error} hint="Shown to your team in the app and in the history of what you change. Leave it empty to go by your email." id="profile-name">
          {(c) => <TextInput {...c} value={name} maxLength={200} autoComplete="name" onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <dl class="dl profile__facts">
          <div class="dl__row">
            <dt class="dl__term">Email</dt>
            <dd class="dl__desc">
              {profile.email}
              <span class="profile__note">You sign in with it; an owner changes it with the clientd command.</span>
            </dd>
          </div>
          <div class="dl__row">
            <dt class="dl__term">Role</dt>
            <dd class="dl__desc">{ROLE[profile.role]}</dd>
          </div>
          <div class="dl__row">
            <dt class="dl__term">Last sign-in</dt>
            <dd class="dl__desc">{profile.last_login_at ? formatDateTime(profile.last_login_at) : 'Never'}</dd>
          </div>
        </dl>
        {failed ? (
          <Alert tone="danger" title={describeError(failed).title} assertive>
            {describeError(failed).message}
          </Alert>
        ) : null}
        <div class="profile__actions">
          <span class="profile__status muted" aria-live="polite">
            {saving ? 'Saving…' : changed ? 'Unsaved changes' : ''}
          </span>
          <Button type="submit" variant="primary" loading={saving} disabled={!changed && !saving}>
            Save name
          </Button>
        </div>
      </form>
    </section>
  );
}

const EMPTY: PasswordDraft = { current: '', next: '', again: '' };

function PasswordCard() {
  const [draft, setDraft] = useState<PasswordDraft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof PasswordDraft, string>>>({});
  const [failed, setFailed] = useState<{ title: string; message?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  useLeaveGuard(draft.next !== '' || draft.again !== '', 'your new password');

  const set = (k: keyof PasswordDraft, v: string) => {
    setDraft((d) => ({ ...d, [k]: v }));
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    setFailed(null);
    const local = passwordProblems(draft);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      document.getElementById(`profile-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const r = await changePassword(draft.current, draft.next);
      setDraft(EMPTY);
      setErrors({});
      toastSuccess(
        'Password changed',
        r.sessions_ended > 0 ? `${r.sessions_ended} other session${r.sessions_ended === 1 ? ' was' : 's were'} signed out. Your API tokens keep working.` : 'You stay signed in here. Your API tokens keep working.',
      );
    } catch (x) {
      if (x instanceof ApiError && x.status === 429) {
        setFailed({ title: 'Too many wrong passwords', message: `Password checks for your account are paused${x.retryAfter ? ` for ${Math.ceil(x.retryAfter / 60)} minute${Math.ceil(x.retryAfter / 60) === 1 ? '' : 's'}` : ''}. They count as failed sign-ins too.` });
      } else if (x instanceof ApiError && x.fieldErrors.current_password) {
        setErrors({ current: 'That is not your current password' });
        document.getElementById('profile-current')?.focus();
      } else if (x instanceof ApiError && x.fieldErrors.new_password) {
        setErrors({ next: x.fieldErrors.new_password });
        document.getElementById('profile-next')?.focus();
      } else {
        setFailed(describeError(x));
      }
      statusRef.current?.scrollIntoView({ block: 'nearest' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card profile__card" aria-labelledby="profile-password-title">
      <h2 class="card__title" id="profile-password-title">
        Password
      </h2>
      <form class="profile__form" onSubmit={submit} noValidate>
        <p class="muted">Changing it signs you out everywhere else. Wrong current passwords count as failed sign-ins: after five, checks pause for 15 minutes.</p>
        <Field label="Current password" error={errors.current} id="profile-current">
          {(c) => <TextInput {...c} type="password" autoComplete="current-password" value={draft.current} onInput={(e) => set('current', e.currentTarget.value)} />}
        </Field>
        <Field label="New password" error={errors.next} hint="8 to 256 characters; a few words make a good one." id="profile-next">
          {(c) => <TextInput {...c} type="password" autoComplete="new-password" value={draft.next} onInput={(e) => set('next', e.currentTarget.value)} />}
        </Field>
        <Field label="New password, again" error={errors.again} id="profile-again">
          {(c) => <TextInput {...c} type="password" autoComplete="new-password" value={draft.again} onInput={(e) => set('again', e.currentTarget.value)} />}
        </Field>
        <div ref={statusRef}>
          {failed ? (
            <Alert tone="danger" title={failed.title} assertive>
              {failed.message}
            </Alert>
          ) : null}
        </div>
        <div class="profile__actions">
          <Button type="submit" variant="primary" loading={saving}>
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}
