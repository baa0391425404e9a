import './clients.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Client, ClientStatus } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { ConfirmDialog } from '../../components/ui/dialog';
import { Menu } from '../../components/ui/menu';
import { EmptyState } from '../../components/ui/empty-state';
import { IconArchive, IconDownload, IconPlus, IconRestore, IconSearch, IconTrash, IconUpload, IconUsers, IconX } from '../../components/ui/icons';
import { Select, TextInput } from '../../components/ui/input';
import { Pagination } from '../../components/ui/pagination';
import { Segmented } from '../../components/ui/segmented';
import { ProgressBar } from '../../components/ui/spinner';
import { Table, type Column } from '../../components/ui/table';
import { describeError } from '../../lib/errors';
import { formatDate, formatDateTime, isNegative, personName } from '../../lib/format';
import { formatCurrency } from '../../lib/money';
import { useScrollMemory } from '../../lib/scroll-memory';
import { can, isAdmin, useSession } from '../../lib/session';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { bulkAction, listClients, type BulkResult, type LifecycleAction } from '../../api/clients';
import { getGroup, listAllGroups } from '../../api/groups';
import { exportHref, type ExportQuery } from '../../api/imports';
import {
  NO_GROUP,
  PER_PAGE,
  SORT_CHOICES,
  listQueryString,
  nextSort,
  parseListQuery,
  toApiParams,
  withChange,
  type ListState,
  type StatusFilter,
} from './list-state';
import { StatusBadge } from './status-badge';

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
  { value: 'deleted', label: 'Deleted' },
  { value: 'all', label: 'All' },
];

const PAST: Record<string, string> = { archive: 'archived', restore: 'restored', delete: 'deleted', assign_group: 'moved' };

/** "3 clients archived · 1 already archived · 1 failed" */
export function bulkSummary(r: BulkResult): { title: string; message?: string; failed: number } {
  const n = (k: 'changed' | 'unchanged' | 'error') => r.results.filter((x) => x.result === k).length;
  const changed = n('changed');
  const unchanged = n('unchanged');
  const failed = n('error');
  const title = `${changed} client${changed === 1 ? '' : 's'} ${PAST[r.action]}`;
  const rest = [unchanged ? `${unchanged} already ${PAST[r.action]}` : '', failed ? `${failed} could not be ${PAST[r.action]}: ${r.results.find((x) => x.error)?.error?.message ?? ''}` : '']
    .filter(Boolean)
    .join('. ');
  return rest ? { title, message: `${rest}.`, failed } : { title, failed };
}

/** The export takes the list's filters and sort, without the page. */
export function exportQuery(p: ReturnType<typeof toApiParams>): ExportQuery {
  return { q: p.q, status: p.status?.join(','), sort: p.sort, group: p.group };
}

// The file comes as an attachment: the page stays where it is.
function download(href: string) {
  window.location.assign(href);
}

export function ClientListPage() {
  const { query, route, url } = useLocation();
  const me = useSession();
  const state = parseListQuery(query);
  const go = (next: ListState, replace = false) => route(`/clients${listQueryString(next)}`, replace);

  // The search box: typed text goes to the URL (and the API) 300 ms after
  // the last key; the URL changing by itself (back, forward) updates the box.
  const [text, setText] = useState(state.q);
  const pushed = useRef(state.q);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.q !== pushed.current) {
      pushed.current = state.q;
      setText(state.q);
    }
  }, [state.q]);
  useEffect(() => {
    const q = text.trim();
    if (q === state.q.trim()) return;
    const t = setTimeout(() => {
      pushed.current = q;
      go(withChange(state, { q }), true);
    }, 300);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    document.title = 'Clients · clientd';
    // "/" jumps to the search box, as in most web apps.
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !t.closest('input, textarea, select, [contenteditable], dialog')) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const params = toApiParams(state);
  const key = JSON.stringify(params);
  const list = useResource(key, (signal) => listClients(params, signal));
  const rows = list.data?.data ?? [];
  const pg = list.data?.meta.pagination;

  // A page past the end (after deleting the last clients of it): go to the last page.
  useEffect(() => {
    if (pg && pg.total_pages > 0 && state.page > pg.total_pages) go({ ...state, page: pg.total_pages }, true);
  }, [pg?.total_pages, state.page]);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [key]);
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // the groups by name: the Group column and the group filter
  const groups = useResource('groups-for-select', (signal) => listAllGroups(signal));
  const groupNames = useMemo(() => new Map((groups.data?.data ?? []).map((g) => [g.id, g.name])), [groups.data]);
  const filterGroup = state.group && state.group !== NO_GROUP ? state.group : null;
  const groupRes = useResource(filterGroup && groups.data && !groupNames.has(filterGroup) ? filterGroup : null, (signal) => getGroup(filterGroup ?? '', signal));
  const groupName = filterGroup ? (groupNames.get(filterGroup) ?? (groupRes.data?.id === filterGroup ? groupRes.data.name : null)) : null;

  // Back to this list returns to where it was scrolled.
  useScrollMemory(url, Boolean(list.data) && !list.loading);

  const selectedRows = useMemo(() => rows.filter((r) => selected.has(r.id)), [rows, selected]);
  const has = (s: ClientStatus) => selectedRows.some((r) => r.status === s);
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someOnPage = rows.some((r) => selected.has(r.id));
  const mayEdit = can(me, 'clients.edit');

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  const runBulk = async (action: LifecycleAction, ids: string[], undoable = true) => {
    setBusy(action);
    try {
      const r = await bulkAction(action, ids);
      const s = bulkSummary(r);
      const changedIds = r.results.filter((x) => x.result === 'changed').map((x) => x.id);
      const undo =
        undoable && changedIds.length > 0 && action !== 'restore'
          ? { label: 'Undo', run: () => void runBulk('restore', changedIds, false) }
          : undefined;
      if (s.failed > 0 && changedIds.length === 0) toastError(s.title, s.message);
      else toastSuccess(s.title, s.message, undo);
      setSelected(new Set());
      list.reload();
    } catch (e) {
      const d = describeError(e);
      toastError(d.title, d.message);
    } finally {
      setBusy(null);
      setConfirmDelete(false);
    }
  };

  const columns: Column<Client>[] = [
    {
      key: 'select',
      control: true,
      width: '2.75rem',
      header: (
        <Checkbox
          label="Select all clients on this page"
          srLabel
          checked={allOnPage}
          indeterminate={someOnPage && !allOnPage}
          disabled={rows.length === 0}
          onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())}
        />
      ),
      cell: (c) => (
        <Checkbox label={`Select ${c.display_name || c.number}`} srLabel checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} />
      ),
    },
    {
      key: 'name',
      header: 'Client',
      sort: 'name',
      primary: true,
      cell: (c) => (
        <div class="client-cell">
          <a class="client-cell__name" href={`/clients/${c.id}`}>
            {c.display_name || <span class="muted">Unnamed client</span>}
          </a>
          {c.status !== 'active' ? <StatusBadge status={c.status} /> : null}
          {c.primary_contact?.email ? <span class="client-cell__sub">{c.primary_contact.email}</span> : null}
        </div>
      ),
    },
    { key: 'number', header: 'Number', sort: 'number', label: 'Number', cell: (c) => <span class="tabular">{c.number}</span> },
    {
      key: 'group',
      header: 'Group',
      label: 'Group',
      cell: (c) =>
        c.group ? (
          <a class="client-cell__group" href={`/groups/${c.group}`}>
            {groupNames.get(c.group) ?? (groups.data ? 'A group' : '…')}
          </a>
        ) : (
          <span class="muted">—</span>
        ),
    },
    {
      key: 'contact',
      header: 'Primary contact',
      hideOnPhone: true,
      // its email is under the client's name already: the column gives way to Group on narrower screens
      wideOnly: true,
      cell: (c) =>
        c.primary_contact ? (
          <div class="client-cell">
            <span>{personName({ first_name: c.primary_contact.first_name, last_name: c.primary_contact.last_name }) || '—'}</span>
            {c.primary_contact.phone ? <span class="client-cell__sub">{c.primary_contact.phone}</span> : null}
          </div>
        ) : (
          <span class="muted">—</span>
        ),
    },
    {
      key: 'balance',
      header: 'Balance',
      sort: 'balance',
      align: 'right',
      label: 'Balance',
      cell: (c) => <span class={`num${isNegative(c.balance) ? ' num--negative' : ''}`}>{formatCurrency(c.balance, c.currency)}</span>,
    },
    { key: 'paid', header: 'Paid to date', align: 'right', label: 'Paid to date', cell: (c) => <span class="num">{formatCurrency(c.paid_to_date, c.currency)}</span> },
    {
      key: 'created',
      header: 'Created',
      sort: 'created_at',
      align: 'right',
      label: 'Created',
      hideOnPhone: true,
      cell: (c) => (
        <time dateTime={c.created_at} title={formatDateTime(c.created_at)} class="nowrap">
          {formatDate(c.created_at)}
        </time>
      ),
    },
  ];

  const firstLoad = list.loading && !list.data;
  const empty = !list.loading && !list.error && list.data && rows.length === 0;
  const total = pg?.total;

  return (
    <div class="page">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Clients</h1>
          <p class="page-header__sub" aria-live="polite">
            {total === undefined
              ? '\u00a0'
              : `${total.toLocaleString()} ${state.status === 'all' ? '' : `${state.status} `}client${total === 1 ? '' : 's'}${state.group === NO_GROUP ? ' in no group' : state.group ? ` in ${groupName ?? 'the group'}` : ''}${state.q ? ` matching “${state.q}”` : ''}`}
          </p>
        </div>
        <div class="page-header__actions clients-actions">
          <Menu
            label="Export the clients"
            triggerClass="btn btn--secondary"
            trigger={
              <>
                <IconDownload size={16} />
                <span class="btn__label">Export</span>
              </>
            }
            items={[
              { id: 'csv', label: 'CSV (UTF-8)', onSelect: () => download(exportHref(exportQuery(params))) },
              { id: 'excel', label: 'CSV for Excel (UTF-8 with BOM)', onSelect: () => download(exportHref(exportQuery(params), true)) },
            ]}
          />
          {isAdmin(me) ? (
            <ButtonLink href="/clients/import" icon={<IconUpload size={16} />}>
              Import
            </ButtonLink>
          ) : null}
          {can(me, 'clients.create') ? (
            <ButtonLink href="/clients/new" variant="primary" icon={<IconPlus size={16} />}>
              New client
            </ButtonLink>
          ) : null}
        </div>
      </header>

      <section class="card card--flush clients-list" aria-label="Client list">
        <div class="toolbar">
          <div class="toolbar__search">
            <label class="sr-only" for="client-search">
              Search clients
            </label>
            <TextInput
              id="client-search"
              inputRef={searchRef}
              type="search"
              placeholder="Search name, number, email, phone…"
              autoComplete="off"
              spellcheck={false}
              maxLength={100}
              value={text}
              leading={<IconSearch size={16} />}
              trailing={
                text ? (
                  <button type="button" class="input-clear" aria-label="Clear search" onClick={() => { setText(''); searchRef.current?.focus(); }}>
                    <IconX size={14} />
                  </button>
                ) : (
                  <kbd class="kbd" aria-hidden="true">/</kbd>
                )
              }
              onInput={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && text) {
                  e.preventDefault();
                  setText('');
                }
              }}
            />
          </div>
          <div class="toolbar__group">
            <label class="sr-only" for="client-group">
              Group
            </label>
            <Select id="client-group" class="input--sm" value={state.group ?? ''} onChange={(e) => go(withChange(state, { group: e.currentTarget.value || undefined }))}>
              <option value="">All groups</option>
              <option value={NO_GROUP}>No group</option>
              {filterGroup && !groupNames.has(filterGroup) ? <option value={filterGroup}>{groupName ?? 'The group'}</option> : null}
              {(groups.data?.data ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </Select>
          </div>
          <Segmented label="Status" value={state.status} options={STATUS_OPTIONS} onChange={(status) => go(withChange(state, { status }))} />
        </div>

        {/* A phone has no column headers: its sort and select-all are here (and only here at that width). */}
        <div class="list-phonebar">
          <Checkbox
            label="Select all on this page"
            checked={allOnPage}
            indeterminate={someOnPage && !allOnPage}
            disabled={rows.length === 0}
            onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())}
          />
          <div class="list-phonebar__sort">
            <label class="field__label" for="client-sort">
              Sort
            </label>
            <Select id="client-sort" class="input--sm" value={state.sort} onChange={(e) => go(withChange(state, { sort: e.currentTarget.value as ListState['sort'] }))}>
              {SORT_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </div>
        </div>

        {selected.size > 0 ? (
          <div class="bulkbar" role="region" aria-label="Bulk actions">
            <span class="bulkbar__count">
              <strong>{selected.size}</strong> selected
            </span>
            <div class="bulkbar__actions">
              {mayEdit && has('active') ? (
                <Button size="sm" icon={<IconArchive size={15} />} loading={busy === 'archive'} disabled={busy !== null} onClick={() => runBulk('archive', [...selected])}>
                  Archive
                </Button>
              ) : null}
              {mayEdit && (has('archived') || has('deleted')) ? (
                <Button size="sm" icon={<IconRestore size={15} />} loading={busy === 'restore'} disabled={busy !== null} onClick={() => runBulk('restore', [...selected])}>
                  Restore
                </Button>
              ) : null}
              {can(me, 'clients.edit') && (has('active') || has('archived')) ? (
                <Button size="sm" variant="danger-ghost" icon={<IconTrash size={15} />} disabled={busy !== null} onClick={() => setConfirmDelete(true)}>
                  Delete
                </Button>
              ) : null}
              <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())} disabled={busy !== null}>
                Clear selection
              </Button>
            </div>
          </div>
        ) : null}

        <ProgressBar active={list.loading && !firstLoad} label="Loading clients" />

        {list.error ? (
          <div class="card__pad">
            <Alert tone="danger" title="The clients could not be loaded" assertive actions={<Button size="sm" onClick={list.reload}>Try again</Button>}>
              {describeError(list.error).title}.
            </Alert>
          </div>
        ) : empty ? (
          <ListEmpty state={state} groupName={groupName} onClear={() => { setText(''); pushed.current = ''; go(withChange(state, { q: '' })); }} onShowAll={() => go(withChange(state, { status: 'all' }))} />
        ) : (
          <Table
            caption="Clients"
            columns={columns}
            rows={rows}
            rowKey={(c) => c.id}
            sort={state.sort}
            onSort={(k) => go(withChange(state, { sort: nextSort(state.sort, k) }))}
            rowClass={(c) => (selected.has(c.id) ? 'table__row--selected' : undefined)}
            onRowClick={(c) => route(`/clients/${c.id}`)}
            skeletonRows={firstLoad ? 8 : undefined}
            busy={list.loading && !firstLoad}
          />
        )}

        {pg && rows.length > 0 ? (
          <div class="card__foot">
            <Pagination
              page={pg.current_page}
              totalPages={pg.total_pages}
              total={pg.total}
              perPage={pg.per_page}
              hrefFor={(p) => `/clients${listQueryString({ ...state, page: p })}`}
              perPageOptions={PER_PAGE}
              onPerPage={(n) => go(withChange(state, { perPage: n }))}
              noun={['client', 'clients']}
            />
          </div>
        ) : null}
      </section>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${selected.size} client${selected.size === 1 ? '' : 's'}?`}
        confirmLabel="Delete"
        danger
        busy={busy === 'delete'}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => runBulk('delete', [...selected])}
      >
        <p>Deleted clients leave every list but the Deleted one. You can restore them from there until they are purged.</p>
      </ConfirmDialog>
    </div>
  );
}

function ListEmpty({ state, groupName, onClear, onShowAll }: { state: ListState; groupName: string | null; onClear: () => void; onShowAll: () => void }) {
  if (state.group === NO_GROUP && !state.q) {
    return (
      <EmptyState icon={<IconUsers size={22} />} title={`Every ${state.status === 'all' ? '' : `${state.status} `}client is in a group`}>
        Clients join a group on their form, or from the group’s page.
      </EmptyState>
    );
  }
  if (state.group && !state.q) {
    return (
      <EmptyState icon={<IconUsers size={22} />} title={`No ${state.status === 'all' ? '' : `${state.status} `}clients in ${groupName ?? 'this group'}`}>
        Add clients from the group’s page, or choose the group on a client’s form.
      </EmptyState>
    );
  }
  if (state.q) {
    return (
      <EmptyState
        icon={<IconSearch size={22} />}
        title={`No clients match “${state.q}”`}
        action={
          <>
            <Button onClick={onClear}>Clear search</Button>
            {state.status !== 'all' ? <Button variant="ghost" onClick={onShowAll}>Search all statuses</Button> : null}
          </>
        }
      >
        Search looks in names, numbers, ID and VAT numbers, phone numbers, and the names, emails and phone numbers of contacts.
      </EmptyState>
    );
  }
  if (state.status === 'archived') {
    return (
      <EmptyState icon={<IconArchive size={22} />} title="No archived clients">
        Archived clients leave the active list but keep their history. Archive a client from its menu, or select several in the Active list.
      </EmptyState>
    );
  }
  if (state.status === 'deleted') {
    return (
      <EmptyState icon={<IconTrash size={22} />} title="No deleted clients">
        Deleted clients wait here, restorable, until they are purged.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon={<IconUsers size={22} />}
      title="No clients yet"
      action={
        <ButtonLink href="/clients/new" variant="primary" icon={<IconPlus size={16} />}>
          Add your first client
        </ButtonLink>
      }
    >
      Clients are the people and companies you invoice. Add one with its contacts to get started.
    </EmptyState>
  );
}
