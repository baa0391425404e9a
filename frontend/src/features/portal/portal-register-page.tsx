import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { registerClient, type PortalInfo, type PortalRegistration } from '../../api/portal';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';

const LABELS: Record<string, string> = {
  name: 'Company name', first_name: 'First name', last_name: 'Last name', phone: 'Phone',
  website: 'Website', vat_number: 'VAT number', address1: 'Address', city: 'City',
  postal_code: 'Postal code', country: 'Country (2 letters, e.g. DE)',
};
const ORDER = ['first_name', 'last_name', 'name', 'phone', 'website', 'vat_number', 'address1', 'postal_code', 'city', 'country'];

/** Self-registration, with the fields the company's setting shows. */
export function PortalRegisterPage({ info }: { info: PortalInfo }) {
  const fields = ORDER.filter((k) => info.registration_fields?.[k]?.visible);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `Register · ${info.name}`;
  }, []);

  const set = (k: string) => (e: { currentTarget: HTMLInputElement }) => setValues({ ...values, [k]: e.currentTarget.value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const errs: Record<string, string> = {};
    for (const k of fields) if (info.registration_fields?.[k]?.required && !(values[k] ?? '').trim()) errs[k] = `Enter your ${LABELS[k]!.toLowerCase()}`;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test((values.email ?? '').trim())) errs.email = 'Enter an email address like name@example.com';
    if ([...(values.password ?? '')].length < 8) errs.password = 'Use at least 8 characters';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const body: Record<string, string> = { email: values.email!.trim(), password: values.password! };
    for (const k of fields) if ((values[k] ?? '').trim() !== '') body[k] = values[k]!.trim();
    if (values.homepage) body.homepage = values.homepage;
    setBusy(true);
    try {
      setDone(await registerClient(info.slug, body as PortalRegistration));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(err.fieldErrors);
      else if (err instanceof ApiError && err.status === 429) setFailure('Too many registrations from here. Try again later.');
      else setFailure(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div class="portal-card">
        <h1 class="portal-card__title">Check your email</h1>
        <Alert tone="success">{done}</Alert>
      </div>
    );
  }
  return (
    <div class="portal-card">
      <h1 class="portal-card__title">Register with {info.name}</h1>
      {failure ? <Alert tone="danger" title={failure} assertive /> : null}
      <form class="auth__form" onSubmit={submit} noValidate>
        {fields.map((k) => (
          <Field key={k} label={LABELS[k]} error={errors[k]} required={info.registration_fields?.[k]?.required}>
            {(c) => <TextInput {...c} name={k} value={values[k] ?? ''} onInput={set(k)} />}
          </Field>
        ))}
        <Field label="Email" error={errors.email} required>
          {(c) => <TextInput {...c} type="email" name="email" autoComplete="username" value={values.email ?? ''} onInput={set('email')} />}
        </Field>
        <Field label="Password" error={errors.password} required hint="At least 8 characters">
          {(c) => <TextInput {...c} type="password" name="password" autoComplete="new-password" value={values.password ?? ''} onInput={set('password')} />}
        </Field>
        {/* For robots only: people never see or fill it. */}
        <div class="portal-hp" aria-hidden="true">
          <label>
            Homepage <input type="text" name="homepage" tabIndex={-1} autoComplete="off" value={values.homepage ?? ''} onInput={set('homepage')} />
          </label>
        </div>
        <Button type="submit" variant="primary" block loading={busy}>
          Register
        </Button>
      </form>
      <p class="auth__foot">
        Already registered? <a href={`/portal/${info.slug}/login`}>Sign in</a>
      </p>
    </div>
  );
}
