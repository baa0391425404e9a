import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { changePassword, getPortalClient, updatePortalClient, updateProfile, type PortalClient, type PortalMe } from '../../api/portal';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { LoadingBlock } from '../../components/ui/spinner';
import { toastSuccess } from '../../lib/toast';

type Values = Record<string, string>;

const CLIENT_FIELDS: [string, string][] = [
  ['name', 'Company name'], ['website', 'Website'], ['phone', 'Phone'], ['vat_number', 'VAT number'],
];
const ADDRESS_FIELDS: [string, string][] = [
  ['address1', 'Street'], ['address2', 'More'], ['postal_code', 'Postal code'], ['city', 'City'],
  ['state', 'State or region'], ['country', 'Country (2 letters)'],
];

function clientValues(c: PortalClient): Values {
  const v: Values = { name: c.name, website: c.website, phone: c.phone, vat_number: c.vat_number };
  for (const [k] of ADDRESS_FIELDS) v[`address.${k}`] = String((c.address as Record<string, unknown>)[k] ?? '');
  return v;
}

/** The client's details the company lets contacts edit, the contact's own name and phone, and its password. */
export function PortalProfilePage({ me, onMe }: { me: PortalMe; onMe: (me: PortalMe) => void }) {
  const slug = me.company.slug;
  const can = (f: string) => me.editable_fields.includes(f);
  const [client, setClient] = useState<PortalClient | null>(null);
  const [cv, setCv] = useState<Values>({});
  const [cErr, setCErr] = useState<Values>({});
  const [pv, setPv] = useState<Values>({ first_name: me.contact.first_name, last_name: me.contact.last_name, phone: me.contact.phone });
  const [pw, setPw] = useState<Values>({ current: '', next: '' });
  const [pwErr, setPwErr] = useState<Values>({});
  const [busy, setBusy] = useState('');

  useEffect(() => {
    document.title = `Details · ${me.company.name}`;
    getPortalClient(slug).then((c) => {
      setClient(c);
      setCv(clientValues(c));
    });
  }, [me.client.id]);

  const saveClient = async (e: Event) => {
    e.preventDefault();
    if (!client) return;
    const body: Record<string, unknown> = {};
    for (const [k] of CLIENT_FIELDS) if (can(k) && cv[k] !== clientValues(client)[k]) body[k] = cv[k];
    if (can('address')) {
      const a: Record<string, string | null> = {};
      for (const [k] of ADDRESS_FIELDS) if (cv[`address.${k}`] !== clientValues(client)[`address.${k}`]) a[k] = k === 'country' ? (cv[`address.${k}`] || null) : cv[`address.${k}`]!;
      if (Object.keys(a).length > 0) body.address = a;
    }
    setBusy('client');
    try {
      const c = await updatePortalClient(slug, body);
      setClient(c);
      setCv(clientValues(c));
      setCErr({});
      toastSuccess('Your details are saved');
    } catch (err) {
      if (err instanceof ApiError) setCErr(err.fieldErrors);
    } finally {
      setBusy('');
    }
  };

  const saveProfile = async (e: Event) => {
    e.preventDefault();
    setBusy('profile');
    try {
      onMe(await updateProfile(slug, { first_name: pv.first_name!, last_name: pv.last_name!, phone: pv.phone! }));
      toastSuccess('Your name and phone are saved');
    } finally {
      setBusy('');
    }
  };

  const savePassword = async (e: Event) => {
    e.preventDefault();
    if ([...(pw.next ?? '')].length < 8) {
      setPwErr({ password: 'Use at least 8 characters' });
      return;
    }
    setBusy('password');
    try {
      await changePassword(slug, pw.current!, pw.next!);
      setPw({ current: '', next: '' });
      setPwErr({});
      toastSuccess('Your password is changed');
    } catch (err) {
      if (err instanceof ApiError) setPwErr(err.status === 403 ? { password: err.message } : err.fieldErrors);
    } finally {
      setBusy('');
    }
  };

  if (!client) return <LoadingBlock label="Loading your details…" />;
  const field = (k: string, label: string) => (
    <Field key={k} label={label} error={cErr[k] ?? cErr[k.replace(/^address\./, 'address.')]}>
      {(c) => <TextInput {...c} name={k} value={cv[k] ?? ''} disabled={!can(k.startsWith('address.') ? 'address' : k)} onInput={(e) => setCv({ ...cv, [k]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <div class="portal-page">
      <h1 class="portal-page__title">Your details</h1>
      <form class="portal-section portal-form" onSubmit={saveClient} aria-labelledby="client-title">
        <h2 id="client-title">{client.display_name}</h2>
        <p class="portal-muted">What you cannot change here, {me.company.name} can change for you.</p>
        {CLIENT_FIELDS.map(([k, l]) => field(k, l))}
        <h3>Address</h3>
        {ADDRESS_FIELDS.map(([k, l]) => field(`address.${k}`, l))}
        <Button type="submit" variant="primary" loading={busy === 'client'}>
          Save details
        </Button>
      </form>
      <form class="portal-section portal-form" onSubmit={saveProfile} aria-labelledby="me-title">
        <h2 id="me-title">You</h2>
        <p class="portal-muted">You sign in as {me.contact.email}.</p>
        {(['first_name', 'last_name', 'phone'] as const).map((k) => (
          <Field key={k} label={{ first_name: 'First name', last_name: 'Last name', phone: 'Phone' }[k]}>
            {(c) => <TextInput {...c} name={`me-${k}`} value={pv[k] ?? ''} onInput={(e) => setPv({ ...pv, [k]: e.currentTarget.value })} />}
          </Field>
        ))}
        <Button type="submit" variant="secondary" loading={busy === 'profile'}>
          Save name and phone
        </Button>
      </form>
      {me.impersonated_by ? (
        <Alert tone="info" title="Staff cannot change a contact's password">Send the contact an invitation instead.</Alert>
      ) : (
        <form class="portal-section portal-form" onSubmit={savePassword} aria-labelledby="pw-title">
          <h2 id="pw-title">Password</h2>
          <Field label="Current password" error={pwErr.current_password}>
            {(c) => <TextInput {...c} type="password" autoComplete="current-password" value={pw.current ?? ''} onInput={(e) => setPw({ ...pw, current: e.currentTarget.value })} />}
          </Field>
          <Field label="New password" error={pwErr.password}>
            {(c) => <TextInput {...c} type="password" autoComplete="new-password" value={pw.next ?? ''} onInput={(e) => setPw({ ...pw, next: e.currentTarget.value })} />}
          </Field>
          <Button type="submit" variant="secondary" loading={busy === 'password'}>
            Change password
          </Button>
        </form>
      )}
    </div>
  );
}
