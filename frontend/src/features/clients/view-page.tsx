import './clients.css';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError } from '../../api/client';
import type { ClientFull } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { IconArchive, IconArrowLeft, IconEdit, IconMerge, IconRestore, IconTrash, IconX } from '../../components/ui/icons';
import { Menu, type MenuItem } from '../../components/ui/menu';
import { Skeleton } from '../../components/ui/spinner';
import { TabPanel, Tabs } from '../../components/ui/tabs';
import { describeError } from '../../lib/errors';
import { formatDate, personName } from '../../lib/format';
import { can, isAdmin, isOwner, useSession } from '../../lib/session';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { ActivityTab } from './activity-tab';
import { changeStatus, getClient, type LifecycleAction } from '../../api/clients';
import { getGroup } from '../../api/groups';
import { DetailsTab } from './details-tab';
import { MergeDialog } from './merge-dialog';
import { OverviewTab } from './overview-tab';
import { PurgeDialog } from './purge-dialog';
import { SettingsTab } from './settings-tab';
import { StatusBadge } from './status-badge';

/** The tabs of the client frame. */
export const CLIENT_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'details', label: 'Details' },
  { id: 'activity', label: 'Activity' },
  { id: 'ledger', label: 'Ledger' },
  { id: 'documents', label: 'Documents' },
  { id: 'settings', label: 'Settings' },
] as const;
export type ClientTab = (typeof CLIENT_TABS)[number]['id'];

export function tabHref(id: string, tab: ClientTab): string {
  return tab === 'overview' ? `/clients/${id}` : `/clients/${id}/${tab}`;
}

type Pending = null | 'delete' | 'merge' | 'purge';

/** What a tab that another feature provides is given. */
export interface ClientTabProps {
  client: ClientFull;
  /** the tab changed the client (a posting moves its balance): reload it */
  onChanged: () => void;
}

export interface ClientViewPageProps {
  /**
   * The Ledger tab. It belongs to the ledger feature, which this one
   * never imports: the app passes it in (see app.tsx).
   */
  ledgerTab: ComponentType<ClientTabProps>;
  /** The Documents tab (the documents feature's), passed in the same way. */
  documentsTab: ComponentType<ClientTabProps>;
}

const DONE: Record<LifecycleAction, string> = { archive: 'Client archived', restore: 'Client restored', delete: 'Client deleted' };

export function ClientViewPage({ ledgerTab: LedgerTab, documentsTab: DocumentsTab }: ClientViewPageProps) {
  const { params } = useRoute();
  const { route } = useLocation();
  const me = useSession();
  const id = params.id ?? '';
  const tab = (params.tab ?? 'overview') as ClientTab;
  const knownTab = CLIENT_TABS.some((t) => t.id === tab);
  const res = useResource(id, (signal) => getClient(id, signal));
  const client = res.data && res.data.id === id ? res.data : undefined;
  const [pending, setPending] = useState<Pending>(null);
  const [working, setWorking] = useState<LifecycleAction | null>(null);
  const groupId = client?.group ?? null;
  const group = useResource(groupId, (signal) => getGroup(groupId ?? '', signal));
  const groupName = group.data && group.data.id === groupId ? group.data.name : null;

  useEffect(() => {
    if (client) document.title = `${client.display_name || client.number} · Clients · clientd`;
  }, [client?.display_name, client?.number]);

  useEffect(() => {
    if (tab === 'details' && window.location.hash === '#contacts' && client) {
      document.getElementById('contacts-section')?.scrollIntoView({ block: 'start' });
    }
  }, [tab, Boolean(client)]);

  const lifecycle = async (action: LifecycleAction) => {
    if (!client) return;
    setWorking(action);
    try {
      const next = await changeStatus(client.id, action, client.version);
      res.setData(next);
      toastSuccess(DONE[action], undefined, action === 'archive' ? { label: 'Undo', run: () => void lifecycleOn(next, 'restore') } : undefined);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toastError('This client changed in the meantime', 'It has been reloaded: check it and try again.');
        res.reload();
      } else {
        const d = describeError(e);
        toastError(d.title, d.message);
      }
    } finally {
      setWorking(null);
      setPending(null);
    }
  };

  // Undo from a toast acts on the state the toast was made for.
  const lifecycleOn = async (c: ClientFull, action: LifecycleAction) => {
    try {
      const next = await changeStatus(c.id, action, c.version);
      res.setData(next);
      toastSuccess(DONE[action]);
    } catch (e) {
      const d = describeError(e);
      toastError(d.title, d.message);
      res.reload();
    }
  };

  if (res.error && !client) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <div class="page">
        <EmptyState
          title={notFound ? 'Client not found' : 'The client could not be loaded'}
          action={
            <>
              {!notFound ? <Button onClick={res.reload}>Try again</Button> : null}
              <ButtonLink href="/clients" variant={notFound ? 'primary' : 'secondary'}>
                Back to clients
              </ButtonLink>
            </>
          }
        >
          {notFound ? 'It may have been purged, or the link is wrong.' : describeError(res.error).title}
        </EmptyState>
      </div>
    );
  }

  if (!client) {
    return (
      <div class="page" aria-busy="true">
        <div class="page-header">
          <div class="page-header__text">
            <Skeleton width="8rem" height={12} />
            <Skeleton width="16rem" height={26} />
            <Skeleton width="12rem" height={12} />
          </div>
        </div>
        <div class="overview">
          <div class="card">
            <Skeleton height={80} />
          </div>
          <div class="card">
            <Skeleton height={80} />
          </div>
        </div>
        <span class="sr-only" role="status">
          Loading client…
        </span>
      </div>
    );
  }

  const mayEdit = can(me, 'clients.edit');
  const items: MenuItem[] = [];
  if (mayEdit && client.status !== 'deleted') items.push({ id: 'edit', label: 'Edit', icon: <IconEdit size={16} />, onSelect: () => route(`/clients/${client.id}/edit`) });
  if (mayEdit && client.status === 'active') items.push({ id: 'archive', label: 'Archive', icon: <IconArchive size={16} />, onSelect: () => void lifecycle('archive') });
  if (mayEdit && client.status !== 'active') items.push({ id: 'restore', label: 'Restore', icon: <IconRestore size={16} />, onSelect: () => void lifecycle('restore') });
  if (isAdmin(me) && client.status !== 'deleted')
    items.push({ id: 'merge', label: 'Merge into another client…', icon: <IconMerge size={16} />, onSelect: () => setPending('merge') });
  if (mayEdit && client.status !== 'deleted') items.push({ id: 'delete', label: 'Delete…', icon: <IconTrash size={16} />, danger: true, separator: true, onSelect: () => setPending('delete') });
  if (isOwner(me)) items.push({ id: 'purge', label: 'Purge for good…', icon: <IconX size={16} />, danger: true, separator: client.status === 'deleted', onSelect: () => setPending('purge') });

  const counts: Partial<Record<ClientTab, number>> = { activity: client.counts.activity, ledger: client.counts.ledger_entries, documents: client.counts.documents };
  const tabs = CLIENT_TABS.map((t) => ({ id: t.id, label: t.label, href: tabHref(client.id, t.id), count: counts[t.id] }));
  const contactNames = Object.fromEntries(client.contacts.map((c) => [c.id, personName(c)]));
  const primary = client.primary_contact;

  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/clients" class="crumbs__back">
          <IconArrowLeft size={14} />
          Clients
        </a>
      </nav>
      <header class="page-header page-header--client">
        <div class="client-head">
          <span class="client-head__avatar" aria-hidden="true">
            {(client.display_name || client.number).slice(0, 1).toUpperCase()}
          </span>
          <div class="page-header__text">
            <h1 class="page-header__title">
              {client.display_name || <span class="muted">Unnamed client</span>} <StatusBadge status={client.status} />
            </h1>
            <p class="page-header__sub">
              <span>No. {client.number}</span>
              {client.group ? (
                <span>
                  Group <a href={`/groups/${client.group}`}>{groupName ?? (group.error ? 'unavailable' : '…')}</a>
                </span>
              ) : null}
              {primary?.email ? <span>{primary.email}</span> : null}
              <span>Client since {formatDate(client.created_at)}</span>
            </p>
          </div>
        </div>
        <div class="page-header__actions">
          {mayEdit && client.status !== 'deleted' ? (
            <ButtonLink href={`/clients/${client.id}/edit`} icon={<IconEdit size={16} />}>
              Edit
            </ButtonLink>
          ) : null}
          {items.length > 0 ? <Menu label="Client actions" items={items} /> : null}
        </div>
      </header>

      {client.status !== 'active' ? (
        <Alert
          tone={client.status === 'deleted' ? 'danger' : 'warning'}
          title={client.status === 'deleted' ? 'This client is deleted' : 'This client is archived'}
          actions={
            mayEdit ? (
              <Button size="sm" icon={<IconRestore size={15} />} loading={working === 'restore'} onClick={() => lifecycle('restore')}>
                Restore
              </Button>
            ) : undefined
          }
        >
          {client.status === 'deleted'
            ? 'It is hidden from every list but Deleted. Restore it to work with it again, or purge it for good.'
            : 'It is hidden from the active list and keeps its history. Restore it to make it active again.'}
        </Alert>
      ) : null}

      <Tabs label="Client sections" tabs={tabs} active={knownTab ? tab : 'overview'} idBase="client" />
      <TabPanel idBase="client" active={knownTab ? tab : 'overview'}>
        {!knownTab ? (
          <EmptyState title="This section does not exist" action={<ButtonLink href={tabHref(client.id, 'overview')}>Go to the overview</ButtonLink>} compact />
        ) : tab === 'details' ? (
          <DetailsTab client={client} groupName={groupName} />
        ) : tab === 'settings' ? (
          <SettingsTab client={client} groupName={groupName} onChanged={res.reload} />
        ) : tab === 'ledger' ? (
          <LedgerTab key={client.id} client={client} onChanged={res.reload} />
        ) : tab === 'documents' ? (
          <DocumentsTab key={client.id} client={client} onChanged={res.reload} />
        ) : tab === 'activity' ? (
          <ActivityTab clientId={client.id} version={client.version} contactNames={contactNames} currency={client.currency} />
        ) : (
          <OverviewTab client={client} />
        )}
      </TabPanel>

      <ConfirmDialog
        open={pending === 'delete'}
        title={`Delete ${client.display_name || `client ${client.number}`}?`}
        confirmLabel="Delete client"
        danger
        busy={working === 'delete'}
        onCancel={() => setPending(null)}
        onConfirm={() => lifecycle('delete')}
      >
        <p>The client leaves every list but Deleted and keeps its contacts and history. You can restore it until it is purged.</p>
      </ConfirmDialog>
      <MergeDialog
        open={pending === 'merge'}
        source={client}
        onClose={() => setPending(null)}
        onMerged={(target) => {
          setPending(null);
          toastSuccess(`Merged into ${target.display_name || target.number}`, `${client.display_name || client.number} was deleted; its contacts moved.`);
          route(`/clients/${target.id}`);
        }}
      />
      <PurgeDialog
        open={pending === 'purge'}
        client={client}
        onClose={() => setPending(null)}
        onPurged={() => {
          setPending(null);
          toastSuccess('Client purged', `${client.display_name || client.number} is gone for good.`);
          route('/clients', true);
        }}
      />
    </div>
  );
}
