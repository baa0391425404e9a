import type { ClientFull } from '../../api/types';
import { Badge } from '../../components/ui/badge';
import { IconActivity, IconBook, IconChevronRight, IconMail, IconPhone, IconUsers } from '../../components/ui/icons';
import { isNegative, personName } from '../../lib/format';
import { formatCurrency } from '../../lib/money';
import { ContactPortal } from './contact-portal';

export function ContactList({ client }: { client: ClientFull }) {
  if (client.contacts.length === 0) {
    return (
      <p class="muted">
        No contacts yet. <a href={`/clients/${client.id}/edit#contacts`}>Add one</a> so that someone receives this client's emails.
      </p>
    );
  }
  return (
    <ul class="contact-list">
      {client.contacts.map((c) => (
        <li key={c.id} class="contact-list__item">
          <div class="contact-list__head">
            <span class="contact-list__name">{personName({ first_name: c.first_name, last_name: c.last_name }) || c.email || 'Unnamed contact'}</span>
            {c.is_primary ? <Badge tone="accent">Primary</Badge> : null}
          </div>
          {c.email ? (
            <a class="contact-list__line" href={`mailto:${c.email}`}>
              <IconMail size={14} />
              <span>{c.email}</span>
            </a>
          ) : null}
          {c.phone ? (
            <a class="contact-list__line" href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>
              <IconPhone size={14} />
              <span>{c.phone}</span>
            </a>
          ) : null}
          <ContactPortal client={client} contact={c} />
        </li>
      ))}
    </ul>
  );
}

function Note({ title, hint, text }: { title: string; hint: string; text: string }) {
  return (
    <div class="note">
      <h3 class="note__title">
        {title} <span class="note__hint">{hint}</span>
      </h3>
      {text ? <p class="note__text">{text}</p> : <p class="note__text muted">None.</p>}
    </div>
  );
}

/** "US dollars (USD)": the currency's name in the reader's language, and its code. */
export function currencyName(code: string, locale?: string): string {
  try {
    const name = new Intl.DisplayNames(locale, { type: 'currency' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function OverviewTab({ client }: { client: ClientFull }) {
  const n = client.counts.ledger_entries;
  return (
    <div class="overview">
      <section class="card stat-card standing" aria-labelledby="standing-title">
        <h2 class="card__title" id="standing-title">
          Standing
        </h2>
        <dl class="stats">
          <div class="stat">
            <dt class="stat__label">Paid to date</dt>
            <dd class="stat__value num" data-testid="overview-paid">
              {formatCurrency(client.paid_to_date, client.currency)}
            </dd>
          </div>
          <div class="stat">
            <dt class="stat__label">Balance</dt>
            <dd class={`stat__value num${isNegative(client.balance) ? ' num--negative' : ''}`} data-testid="overview-balance">
              {formatCurrency(client.balance, client.currency)}
            </dd>
          </div>
        </dl>
        <div class="standing__foot">
          <p class="standing__currency">
            <span class="standing__label">Currency</span> {currencyName(client.currency)}
            {n > 0 ? <span class="muted"> · kept by its ledger</span> : null}
          </p>
          <a class="standing__link" href={`/clients/${client.id}/ledger`}>
            {n === 0 ? 'No ledger entries yet: open the ledger' : `${n.toLocaleString()} ledger ${n === 1 ? 'entry' : 'entries'}: open the ledger`}
            <IconChevronRight size={16} />
          </a>
        </div>
      </section>

      <section class="card" aria-labelledby="links-title">
        <h2 class="card__title" id="links-title">
          Related
        </h2>
        <ul class="quick-links">
          <li>
            <a class="quick-link" href={`/clients/${client.id}/activity`}>
              <IconActivity size={16} />
              <span class="quick-link__label">Activity</span>
              <span class="quick-link__count">{client.counts.activity}</span>
              <IconChevronRight size={16} />
            </a>
          </li>
          <li>
            <a class="quick-link" href={`/clients/${client.id}/ledger`}>
              <IconBook size={16} />
              <span class="quick-link__label">Ledger</span>
              <span class="quick-link__count">{client.counts.ledger_entries}</span>
              <IconChevronRight size={16} />
            </a>
          </li>
          <li>
            <a class="quick-link" href={`/clients/${client.id}/details#contacts`}>
              <IconUsers size={16} />
              <span class="quick-link__label">Contacts</span>
              <span class="quick-link__count">{client.counts.contacts}</span>
              <IconChevronRight size={16} />
            </a>
          </li>
        </ul>
      </section>

      <section class="card overview__contacts" aria-labelledby="contacts-title">
        <h2 class="card__title" id="contacts-title">
          Contacts
        </h2>
        <ContactList client={client} />
      </section>

      <section class="card overview__notes" aria-labelledby="notes-title">
        <h2 class="card__title" id="notes-title">
          Notes
        </h2>
        <Note title="Public notes" hint="visible to the client" text={client.public_notes} />
        <Note title="Private notes" hint="only your team" text={client.private_notes} />
      </section>
    </div>
  );
}
