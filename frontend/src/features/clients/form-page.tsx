import './clients.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, newIdempotencyKey } from '../../api/client';
import type { ClientFull } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Field } from '../../components/ui/field';
import { IconArrowLeft, IconCopy, IconRefresh } from '../../components/ui/icons';
import { Select, TextInput, Textarea } from '../../components/ui/input';
import { LoadingBlock } from '../../components/ui/spinner';
import { completeWebsite } from '../../lib/contact-formats';
import { countries } from '../../lib/countries';
import { customLabels, shownCustomFields } from '../../lib/custom-fields';
import { describeError } from '../../lib/errors';
import { fieldLabel } from '../../lib/field-errors';
import { leaveScreen, useLeaveGuard } from '../../lib/leave-guard';
import { toastInfo, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { createClient, getClient, updateClient } from '../../api/clients';
import { getSettings } from '../../api/settings';
import { contactInputId, ContactsEditor } from './contacts-editor';
import { GroupSelect } from './group-select';
import { UserSelect } from './user-select';
import {
  createPayload,
  emptyForm,
  formFromClient,
  idempotencyFor,
  isDirty,
  localErrors,
  patchPayload,
  placeErrors,
  type AddressValues,
  type ClientFormValues,
  type PlacedErrors,
  type TextField,
} from './form-model';

const NO_ERRORS: PlacedErrors = { fields: {}, contacts: {}, other: [] };

const LABELS: Record<string, string> = {
  name: 'Name',
  group: 'Group',
  assigned_user: 'Assigned user',
  number: 'Number',
  id_number: 'ID number',
  vat_number: 'VAT number',
  website: 'Website',
  phone: 'Phone',
  public_notes: 'Public notes',
  private_notes: 'Private notes',
  address: 'Billing address',
  shipping_address: 'Shipping address',
  address1: 'Street',
  address2: 'Street, line 2',
  postal_code: 'Postal code',
  state: 'State / region',
  first_name: 'First name',
  last_name: 'Last name',
  contacts: 'Contact',
};

function inputId(path: string): string {
  return `cf-${path.replace(/\./g, '-')}`;
}

/** Where the error summary's link for an API field path points. */
function targetId(path: string, contactKeys: string[]): string {
  const m = /^contacts\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (m) {
    const key = contactKeys[Number(m[1])];
    if (key) return contactInputId(key, m[2] ?? 'first_name');
  }
  return inputId(path);
}

function Section({ title, text, children, id }: { title: string; text: string; children: ComponentChildren; id?: string }) {
  const hid = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-h`;
  return (
    <section class="form-section" aria-labelledby={hid}>
      <div class="form-section__intro">
        <h2 class="form-section__title" id={hid}>
          {title}
        </h2>
        <p class="form-section__text">{text}</p>
      </div>
      <div class="card form-section__body">{children}</div>
    </section>
  );
}

export function ClientFormPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id;
  const editing = id !== undefined;

  const [client, setClient] = useState<ClientFull | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [original, setOriginal] = useState<ClientFormValues | null>(editing ? null : emptyForm());
  const [values, setValues] = useState<ClientFormValues | null>(editing ? null : emptyForm());
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [contactKeys, setContactKeys] = useState<string[]>([]);
  const [formError, setFormError] = useState<{ title: string; message?: string } | null>(null);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const [reloading, setReloading] = useState(false);
  const idem = useRef<{ json: string; key: string } | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const countryList = useMemo(() => countries(), []);
  // the names of the custom fields (the company's settings): a field without one is hidden
  const company = useResource('company-settings', (signal) => getSettings(signal));
  const changed = values !== null && original !== null && isDirty(original, values);
  useLeaveGuard(changed, editing ? 'your changes to this client' : 'the new client');

  // A new client starts at its name.
  useEffect(() => {
    if (!editing) document.getElementById(inputId('name'))?.focus();
  }, []);

  const adopt = (c: ClientFull) => {
    const v = formFromClient(c);
    setClient(c);
    setOriginal(v);
    setValues(formFromClient(c));
  };

  useEffect(() => {
    document.title = editing ? 'Edit client · clientd' : 'New client · clientd';
    if (!editing) return;
    const ac = new AbortController();
    getClient(id, ac.signal)
      .then(adopt)
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setLoadError(e);
      });
    return () => ac.abort();
  }, [id]);

  useEffect(() => {
    if (client) document.title = `Edit ${client.display_name || client.number} · clientd`;
  }, [client?.id]);

  if (loadError) {
    const notFound = loadError instanceof ApiError && loadError.status === 404;
    return (
      <div class="page">
        <EmptyState title={notFound ? 'Client not found' : 'The client could not be loaded'} action={<ButtonLink href="/clients">Back to clients</ButtonLink>}>
          {notFound ? 'It may have been purged, or the link is wrong.' : describeError(loadError).title}
        </EmptyState>
      </div>
    );
  }
  if (!values || !original) return <LoadingBlock label="Loading client…" />;

  const v = values;
  const setText = (f: TextField, x: string) => setValues({ ...v, [f]: x });
  const setAddr = (which: 'address' | 'shipping_address', k: keyof AddressValues, x: string) => setValues({ ...v, [which]: { ...v[which], [k]: x } });
  const err = (path: string) => errors.fields[path];
  const dirty = editing ? isDirty(original, v) : true;

  const focusSoon = (el: () => HTMLElement | null) => setTimeout(() => el()?.focus(), 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    setFormError(null);
    const payload = editing ? patchPayload(original, v) : createPayload(v);
    if (editing && Object.keys(payload.body).length === 0) {
      toastInfo('Nothing changed', 'There was nothing to save.');
      route(`/clients/${id}`);
      return;
    }
    // what the API would refuse anyway is said before anything is sent
    const local = localErrors(payload.body);
    if (Object.keys(local).length > 0) {
      setErrors(placeErrors(local, payload.contactKeys));
      setContactKeys(payload.contactKeys);
      focusSoon(() => summaryRef.current);
      return;
    }
    setSaving(true);
    try {
      let saved: ClientFull;
      if (editing) {
        saved = await updateClient(id, payload.body, client!.version);
      } else {
        idem.current = idempotencyFor(JSON.stringify(payload.body), idem.current, newIdempotencyKey);
        saved = await createClient(payload.body, idem.current.key);
      }
      setErrors(NO_ERRORS);
      toastSuccess(editing ? 'Client saved' : 'Client created', saved.display_name || `Number ${saved.number}`);
      // as the router would (a new client's form gives way to the client)
      leaveScreen(`/clients/${saved.id}`, !editing);
    } catch (x) {
      setSaving(false);
      if (x instanceof ApiError && x.status === 412) {
        setStale(true);
        focusSoon(() => staleRef.current);
        return;
      }
      if (x instanceof ApiError && Object.keys(x.fieldErrors).length > 0 && (x.status === 422 || x.status === 409)) {
        setErrors(placeErrors(x.fieldErrors, payload.contactKeys));
        setContactKeys(payload.contactKeys);
        focusSoon(() => summaryRef.current);
        return;
      }
      setFormError(describeError(x));
      focusSoon(() => summaryRef.current);
    }
  };

  const reloadLatest = async () => {
    if (!editing) return;
    setReloading(true);
    try {
      const c = await getClient(id);
      adopt(c);
      setStale(false);
      setErrors(NO_ERRORS);
      toastInfo('Loaded the latest version', 'Make your changes again, then save.');
    } catch (x) {
      setFormError(describeError(x));
    } finally {
      setReloading(false);
    }
  };

  const errorList: [string, string][] = [
    ...Object.entries(errors.fields),
    ...Object.entries(errors.contacts).flatMap(([key, errs]) => {
      const i = contactKeys.indexOf(key);
      return Object.entries(errs).map(([f, m]): [string, string] => [`contacts[${i}]${f ? `.${f}` : ''}`, m]);
    }),
    ...errors.other,
  ];

  const text = (
    f: TextField,
    label: string,
    opts: { type?: 'text' | 'tel' | 'url'; hint?: string; placeholder?: string; auto?: string; required?: boolean; onBlur?: (value: string) => string } = {},
  ) => (
    <Field label={label} error={err(f)} hint={opts.hint} id={inputId(f)}>
      {(c) => (
        <TextInput
          {...c}
          type={opts.type ?? 'text'}
          value={v[f]}
          placeholder={opts.placeholder}
          autoComplete={opts.auto ?? 'off'}
          onInput={(e) => setText(f, e.currentTarget.value)}
          onBlur={opts.onBlur ? (e) => {
            const next = opts.onBlur!(e.currentTarget.value);
            if (next !== e.currentTarget.value) setText(f, next);
          } : undefined}
          inputMode={opts.type === 'tel' ? 'tel' : opts.type === 'url' ? 'url' : undefined}
        />
      )}
    </Field>
  );

  const customs = shownCustomFields(customLabels(company.data, 'client'), [v]);
  const contactLabels = customLabels(company.data, 'contact');

  const address = (which: 'address' | 'shipping_address') => (
    <div class="grid grid--2">
      <Field label="Street" error={err(`${which}.address1`)} id={inputId(`${which}.address1`)} class="grid__full">
        {(c) => <TextInput {...c} value={v[which].address1} autoComplete="off" onInput={(e) => setAddr(which, 'address1', e.currentTarget.value)} />}
      </Field>
      <Field label="Street, line 2" error={err(`${which}.address2`)} id={inputId(`${which}.address2`)} class="grid__full">
        {(c) => <TextInput {...c} value={v[which].address2} autoComplete="off" onInput={(e) => setAddr(which, 'address2', e.currentTarget.value)} />}
      </Field>
      <Field label="Postal code" error={err(`${which}.postal_code`)} id={inputId(`${which}.postal_code`)}>
        {(c) => <TextInput {...c} value={v[which].postal_code} autoComplete="off" onInput={(e) => setAddr(which, 'postal_code', e.currentTarget.value)} />}
      </Field>
      <Field label="City" error={err(`${which}.city`)} id={inputId(`${which}.city`)}>
        {(c) => <TextInput {...c} value={v[which].city} autoComplete="off" onInput={(e) => setAddr(which, 'city', e.currentTarget.value)} />}
      </Field>
      <Field label="State / region" error={err(`${which}.state`)} id={inputId(`${which}.state`)}>
        {(c) => <TextInput {...c} value={v[which].state} autoComplete="off" onInput={(e) => setAddr(which, 'state', e.currentTarget.value)} />}
      </Field>
      <Field label="Country" error={err(`${which}.country`)} id={inputId(`${which}.country`)}>
        {(c) => (
          <Select {...c} value={v[which].country} onChange={(e) => setAddr(which, 'country', e.currentTarget.value)}>
            <option value="">—</option>
            {countryList.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </div>
  );

  const backHref = editing ? `/clients/${id}` : '/clients';
  const title = editing ? `Edit ${client?.display_name || `client ${client?.number ?? ''}`}` : 'New client';

  return (
    <div class="page page--form">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={backHref} class="crumbs__back">
          <IconArrowLeft size={14} />
          {editing ? client?.display_name || 'Client' : 'Clients'}
        </a>
      </nav>
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">{title}</h1>
          <p class="page-header__sub">{editing ? `Number ${client?.number}` : 'Only what you fill in is saved; the number is generated when left empty.'}</p>
        </div>
      </header>

      {stale ? (
        <div ref={staleRef} tabIndex={-1} class="focus-target">
          <Alert
            tone="warning"
            assertive
            title="Someone else changed this client while you were editing"
            actions={
              <>
                <Button size="sm" variant="primary" icon={<IconRefresh size={15} />} loading={reloading} onClick={reloadLatest}>
                  Reload the latest version
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setStale(false)}>
                  Keep my edits for now
                </Button>
              </>
            }
          >
            Your changes were not saved, so nothing of theirs was overwritten. Reload to see the current version (your unsaved edits are discarded), then make your changes again.
          </Alert>
        </div>
      ) : null}

      <div ref={summaryRef} tabIndex={-1} class="focus-target">
        {errorList.length > 0 ? (
          <Alert tone="danger" title={`Fix ${errorList.length === 1 ? 'this field' : `these ${errorList.length} fields`} to save`}>
            <ul class="error-summary">
              {errorList.map(([path, msg]) => (
                <li key={path}>
                  <a
                    href={`#${targetId(path, contactKeys)}`}
                    onClick={(e) => {
                      const el = document.getElementById(targetId(path, contactKeys));
                      if (el) {
                        e.preventDefault();
                        el.focus();
                        el.scrollIntoView({ block: 'center' });
                      }
                    }}
                  >
                    {fieldLabel(path, LABELS)}
                  </a>
                  : {msg}
                </li>
              ))}
            </ul>
          </Alert>
        ) : formError ? (
          <Alert tone="danger" title={formError.title} assertive>
            {formError.message}
          </Alert>
        ) : null}
      </div>

      <form class="client-form" onSubmit={submit} noValidate aria-busy={saving ? 'true' : 'false'}>
        <Section title="Client" text="The company or person you invoice. Without a name, the primary contact's name is shown.">
          <div class="grid grid--2">
            <div class="grid__full">{text('name', 'Name', { placeholder: 'Acme Ltd', auto: 'organization' })}</div>
            {text('number', 'Number', { hint: editing ? 'Unique in your company.' : 'Leave empty to use the next free number.' })}
            {text('id_number', 'ID number', { hint: "The client's id in another system." })}
            {text('vat_number', 'VAT number')}
            {text('phone', 'Phone', { type: 'tel', hint: 'Digits, with +, spaces, dots, dashes, slashes or parentheses as you like; "ext. 12" for an extension.' })}
            <div class="grid__full">
              {text('website', 'Website', { type: 'url', placeholder: 'https://', hint: 'An http(s) address; "https://" is added to a bare domain.', onBlur: completeWebsite })}
            </div>
            <div class="grid__full">
              <GroupSelect id={inputId('group')} value={v.group} onChange={(group) => setValues({ ...v, group })} error={err('group')} disabled={saving} />
            </div>
            <div class="grid__full">
              <UserSelect id={inputId('assigned_user')} value={v.assigned_user} onChange={(assigned_user) => setValues({ ...v, assigned_user })} error={err('assigned_user')} disabled={saving} />
            </div>
          </div>
        </Section>

        <Section title="Contacts" id="contacts-sec" text="The people at this client. The primary contact is shown in lists and receives emails first.">
          <ContactsEditor rows={v.contacts} onChange={(contacts) => setValues({ ...v, contacts })} errors={errors.contacts} disabled={saving} customLabels={contactLabels} />
        </Section>

        <Section title="Billing address" text="Printed on invoices.">
          {address('address')}
        </Section>

        <Section title="Shipping address" text="Where goods go, if not to the billing address.">
          <div class="section-tools">
            <Button size="sm" variant="ghost" icon={<IconCopy size={15} />} onClick={() => setValues({ ...v, shipping_address: { ...v.address } })}>
              Copy the billing address
            </Button>
          </div>
          {address('shipping_address')}
        </Section>

        <Section title="Notes" text="Public notes can appear on documents the client sees; private notes never leave your team.">
          <div class="grid">
            {(['public_notes', 'private_notes'] as const).map((f) => (
              <Field key={f} label={f === 'public_notes' ? 'Public notes' : 'Private notes'} error={err(f)} id={inputId(f)}>
                {(c) => <Textarea {...c} rows={4} value={v[f]} onInput={(e) => setText(f, e.currentTarget.value)} />}
              </Field>
            ))}
          </div>
        </Section>

        {customs.length > 0 ? (
          <Section title="Custom fields" text="The fields your company named in its settings.">
            <div class="grid grid--2">
              {customs.map((f) =>
                f.unnamed ? (
                  <div key={f.key}>{text(f.key, f.label, { hint: 'This field has no name in the settings, so it is hidden; clear it, or name it under Settings › Custom fields.' })}</div>
                ) : (
                  <div key={f.key}>{text(f.key, f.label)}</div>
                ),
              )}
            </div>
          </Section>
        ) : null}

        <div class="form-actions">
          <span class="form-actions__status muted" aria-live="polite">
            {saving ? 'Saving…' : editing && dirty ? 'Unsaved changes' : ''}
          </span>
          <ButtonLink href={backHref} variant="ghost">
            Cancel
          </ButtonLink>
          <Button type="submit" variant="primary" loading={saving} disabled={editing && !dirty && !saving}>
            {editing ? 'Save changes' : 'Create client'}
          </Button>
        </div>
      </form>
    </div>
  );
}
