import type { ComponentChildren } from 'preact';
import type { Address, ClientFull } from '../../api/types';
import { Badge } from '../../components/ui/badge';
import { countryName } from '../../lib/countries';
import { customLabels, shownCustomFields } from '../../lib/custom-fields';
import { formatDateTime, personName, websiteHref, websiteLabel } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { getSettings } from '../../api/settings';
import { listUsers, userLabel } from '../../api/users';
import { StatusBadge } from './status-badge';

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  const empty = children === '' || children === null || children === undefined;
  return (
    <div class="dl__row">
      <dt class="dl__term">{label}</dt>
      <dd class="dl__desc">{empty ? <span class="muted">—</span> : children}</dd>
    </div>
  );
}

export function addressLines(a: Address): string[] {
  const cityLine = [a.postal_code, a.city].filter(Boolean).join(' ');
  return [a.address1, a.address2, cityLine, a.state, countryName(a.country)].filter((x) => x && x.trim() !== '');
}

function AddressBlock({ a }: { a: Address }) {
  const lines = addressLines(a);
  if (lines.length === 0) return <p class="muted">No address.</p>;
  return (
    <address class="address">
      {lines.map((l, i) => (
        <span key={i}>{l}</span>
      ))}
    </address>
  );
}

/** The assigned user by name (the id in the tooltip); a user no longer active by id. */
function AssignedUser({ id }: { id: string }) {
  const users = useResource('users-for-select', (signal) => listUsers(signal));
  const u = users.data?.data.find((x) => x.id === id);
  if (u) return <span title={u.email}>{userLabel(u)}</span>;
  if (!users.data && !users.error) return <span class="muted">…</span>;
  return <span class="muted" title={id}>A user no longer active</span>;
}

export function DetailsTab({ client: c, groupName }: { client: ClientFull; groupName: string | null }) {
  const company = useResource('company-settings', (signal) => getSettings(signal));
  const customs = shownCustomFields(customLabels(company.data, 'client'), [c]);
  return (
    <div class="details">
      <section class="card" aria-labelledby="d-client">
        <h2 class="card__title" id="d-client">
          Client
        </h2>
        <dl class="dl">
          <Row label="Name">{c.name}</Row>
          <Row label="Number">{c.number}</Row>
          <Row label="ID number">{c.id_number}</Row>
          <Row label="VAT number">{c.vat_number}</Row>
          <Row label="Website">
            {c.website ? (
              <a href={websiteHref(c.website)} target="_blank" rel="noopener noreferrer">
                {websiteLabel(c.website)}
              </a>
            ) : (
              ''
            )}
          </Row>
          <Row label="Phone">{c.phone}</Row>
          <Row label="Group">{c.group ? <a href={`/groups/${c.group}`}>{groupName ?? 'The client’s group'}</a> : ''}</Row>
          <Row label="Assigned user">{c.assigned_user ? <AssignedUser id={c.assigned_user} /> : ''}</Row>
        </dl>
      </section>

      <section class="card" aria-labelledby="d-addr">
        <h2 class="card__title" id="d-addr">
          Addresses
        </h2>
        <div class="address-grid">
          <div>
            <h3 class="subhead">Billing</h3>
            <AddressBlock a={c.address} />
          </div>
          <div>
            <h3 class="subhead">Shipping</h3>
            <AddressBlock a={c.shipping_address} />
          </div>
        </div>
      </section>

      <section class="card details__contacts" aria-labelledby="contacts" id="contacts-section">
        <h2 class="card__title" id="contacts">
          Contacts <span class="card__count">{c.contacts.length}</span>
        </h2>
        {c.contacts.length === 0 ? (
          <p class="muted">No contacts.</p>
        ) : (
          <div class="table-wrap">
            <table class="table table--plain">
              <caption class="sr-only">Contacts of {c.display_name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Receives emails</th>
                </tr>
              </thead>
              <tbody>
                {c.contacts.map((k) => (
                  <tr key={k.id}>
                    <td class="table__primary" data-label="Name">
                      <span class="contact-name">
                        {personName({ first_name: k.first_name, last_name: k.last_name }) || <span class="muted">No name</span>}
                        {k.is_primary ? <Badge tone="accent">Primary</Badge> : null}
                      </span>
                    </td>
                    <td data-label="Email">{k.email ? <a href={`mailto:${k.email}`}>{k.email}</a> : <span class="muted">—</span>}</td>
                    <td data-label="Phone">{k.phone || <span class="muted">—</span>}</td>
                    <td data-label="Receives emails">{k.send_email ? 'Yes' : 'No'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {customs.length > 0 ? (
        <section class="card" aria-labelledby="d-custom">
          <h2 class="card__title" id="d-custom">
            Custom fields
          </h2>
          <dl class="dl">
            {customs.map((f) => (
              <Row key={f.key} label={f.label}>
                {c[f.key]}
              </Row>
            ))}
          </dl>
        </section>
      ) : null}

      <section class="card" aria-labelledby="d-notes">
        <h2 class="card__title" id="d-notes">
          Notes
        </h2>
        <dl class="dl">
          <Row label="Public notes">{c.public_notes ? <span class="prewrap">{c.public_notes}</span> : ''}</Row>
          <Row label="Private notes">{c.private_notes ? <span class="prewrap">{c.private_notes}</span> : ''}</Row>
        </dl>
      </section>

      <section class="card" aria-labelledby="d-record">
        <h2 class="card__title" id="d-record">
          Record
        </h2>
        <dl class="dl">
          <Row label="Status">
            <StatusBadge status={c.status} />
          </Row>
          <Row label="Created">{formatDateTime(c.created_at)}</Row>
          <Row label="Last changed">{formatDateTime(c.updated_at)}</Row>
          {c.archived_at ? <Row label="Archived">{formatDateTime(c.archived_at)}</Row> : null}
          {c.deleted_at ? <Row label="Deleted">{formatDateTime(c.deleted_at)}</Row> : null}
          <Row label="Public id">
            <span class="mono">{c.id}</span>
          </Row>
        </dl>
      </section>
    </div>
  );
}
