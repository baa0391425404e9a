import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { inviteContact, portalLinkFor } from '../../api/mail';
import type { ClientFull, Contact } from '../../api/types';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { formatDateTime } from '../../lib/format';
import { toastError, toastSuccess } from '../../lib/toast';

type Portal = Contact['portal'];

const WORDS: Record<Portal['status'], [string, 'neutral' | 'info' | 'success' | 'warning']> = {
  not_invited: ['Not invited', 'neutral'],
  invited: ['Invited', 'info'],
  invitation_expired: ['Invitation expired', 'warning'],
  active: ['Portal active', 'success'],
};

/**
 * A contact's client portal access, for staff: its status (and last
 * sign-in), "Send invitation", and "Client portal", which opens the portal
 * as the contact in a new tab (a one-minute, single-use link).
 */
export function ContactPortal({ client, contact }: { client: ClientFull; contact: Contact }) {
  const [portal, setPortal] = useState<Portal>(contact.portal);
  const [busy, setBusy] = useState('');
  const [word, tone] = WORDS[portal.status];
  const open = client.status === 'active';

  const invite = async () => {
    setBusy('invite');
    try {
      const r = await inviteContact(client.id, contact.id);
      setPortal(r.portal);
      toastSuccess('Invitation sent', `${contact.email} gets a link to choose a password; it works for 72 hours.`);
    } catch (e) {
      toastError('The invitation was not sent', e instanceof ApiError ? e.message : undefined);
    } finally {
      setBusy('');
    }
  };

  const enter = async () => {
    // The tab opens now (a popup blocker allows it only on the click) and
    // goes to the link once the link exists.
    const tab = window.open('', '_blank');
    setBusy('enter');
    try {
      const r = await portalLinkFor(client.id, contact.id);
      if (tab) {
        tab.opener = null;
        tab.location.href = r.path;
      } else {
        window.location.href = r.path;
      }
    } catch (e) {
      tab?.close();
      toastError('The client portal could not be opened', e instanceof ApiError ? [e.message, e.detail].filter(Boolean).join('. ') : undefined);
    } finally {
      setBusy('');
    }
  };

  return (
    <div class="contact-portal">
      <Badge tone={tone}>{word}</Badge>
      {portal.last_login_at ? <span class="contact-portal__seen">Last sign-in {formatDateTime(portal.last_login_at)}</span> : null}
      <span class="contact-portal__actions">
        {contact.email && client.status !== 'deleted' ? (
          <Button size="sm" variant="secondary" loading={busy === 'invite'} onClick={invite}>
            {portal.status === 'not_invited' ? 'Send invitation' : 'Invite again'}
          </Button>
        ) : null}
        {open ? (
          <Button size="sm" variant="ghost" loading={busy === 'enter'} onClick={enter}>
            Client portal
          </Button>
        ) : null}
      </span>
    </div>
  );
}
