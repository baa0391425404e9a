import './groups.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Group } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconEdit, IconFolder, IconPlus, IconSearch, IconTrash, IconX } from '../../components/ui/icons';
import { TextInput } from '../../components/ui/input';
import { Menu } from '../../components/ui/menu';
import { Pagination } from '../../components/ui/pagination';
import { ProgressBar } from '../../components/ui/spinner';
import { Table, type Column } from '../../components/ui/table';
import { describeError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { isAdmin, useSession } from '../../lib/session';
import { toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { listGroups } from '../../api/groups';
import { DeleteGroupDialog } from './delete-dialog';
import { memberCount, overridesSummary } from './group-format';
import { GroupNameDialog } from './name-dialog';

const PER_PAGE = 50;

function listHref(q: string, page: number): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/groups?${s}` : '/groups';
}

/** Client groups: name, members, what each overrides; create, rename, delete. */
export function GroupListPage() {
  const { query, route } = useLocation();
  const me = useSession();
  const admin = isAdmin(me);
  const q = (query.q ?? '').slice(0, 100);
  const page = /^\d+$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
  const [text, setText] = useState(q);
  const searchRef = useRef<HTMLInputElement>(null);
  const [naming, setNaming] = useState<Group | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);

  useEffect(() => {
    document.title = 'Groups · clientd';
  }, []);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    const t = text.trim();
    if (t === q) return;
    const timer = setTimeout(() => route(listHref(t, 1), true), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const list = useResource(`${q}|${page}`, (signal) => listGroups({ q: q || undefined, page, per_page: PER_PAGE }, signal));
  const rows = list.data?.data ?? [];
  const pg = list.data?.meta.pagination;
  const firstLoad = list.loading && !list.data;

  const columns: Column<Group>[] = [
    {
      key: 'name',
      header: 'Group',
      primary: true,
      cell: (g) => (
        <a class="group-cell__name" href={`/groups/${g.id}`}>
          {g.name}
        </a>
      ),
    },
    {
      key: 'members',
      header: 'Members',
      label: 'Members',
      cell: (g) => (
        <span>
          <span class={g.member_count === 0 ? 'muted' : 'tabular'}>{memberCount(g.member_count)}</span>
          {g.member_counts.deleted > 0 ? <span class="muted"> · {g.member_counts.deleted.toLocaleString()} deleted</span> : null}
        </span>
      ),
    },
    {
      key: 'overrides',
      header: 'Overrides',
      label: 'Overrides',
      cell: (g) => {
        const s = overridesSummary(g.settings);
        return s ? <span>{s}</span> : <span class="muted">None</span>;
      },
    },
    {
      key: 'updated',
      header: 'Updated',
      align: 'right',
      hideOnPhone: true,
      cell: (g) => (
        <time dateTime={g.updated_at} title={formatDateTime(g.updated_at)} class="nowrap">
          {formatDate(g.updated_at)}
        </time>
      ),
    },
  ];
  if (admin) {
    columns.push({
      key: 'actions',
      header: <span class="sr-only">Actions</span>,
      control: true,
      align: 'right',
      width: '3.5rem',
      cell: (g) => (
        <Menu
          label={`Actions for ${g.name}`}
          items={[
            { id: 'rename', label: 'Rename…', icon: <IconEdit size={16} />, onSelect: () => setNaming(g) },
            { id: 'delete', label: 'Delete…', icon: <IconTrash size={16} />, danger: true, separator: true, onSelect: () => setDeleting(g) },
          ]}
        />
      ),
    });
  }

  return (
    <div class="page">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Groups</h1>
          <p class="page-header__sub" aria-live="polite">
            {pg ? `${pg.total.toLocaleString()} group${pg.total === 1 ? '' : 's'}${q ? ` matching “${q}”` : ''}` : '\u00a0'}
          </p>
        </div>
        {admin ? (
          <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setNaming('new')}>
            New group
          </Button>
        ) : null}
      </header>

      <section class="card card--flush" aria-label="Group list">
        <div class="toolbar">
          <div class="toolbar__search">
            <label class="sr-only" for="group-search">
              Search groups
            </label>
            <TextInput
              id="group-search"
              inputRef={searchRef}
              type="search"
              placeholder="Search group names…"
              autoComplete="off"
              maxLength={100}
              value={text}
              leading={<IconSearch size={16} />}
              trailing={
                text ? (
                  <button type="button" class="input-clear" aria-label="Clear search" onClick={() => { setText(''); searchRef.current?.focus(); }}>
                    <IconX size={14} />
                  </button>
                ) : undefined
              }
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </div>
        </div>
        <ProgressBar active={list.loading && !firstLoad} label="Loading groups" />
        {list.error ? (
          <div class="card__pad">
            <Alert tone="danger" title="The groups could not be loaded" assertive actions={<Button size="sm" onClick={list.reload}>Try again</Button>}>
              {describeError(list.error).title}.
            </Alert>
          </div>
        ) : !list.loading && rows.length === 0 ? (
          q ? (
            <EmptyState icon={<IconSearch size={22} />} title={`No groups match “${q}”`} action={<Button onClick={() => setText('')}>Clear search</Button>} />
          ) : (
            <EmptyState
              icon={<IconFolder size={22} />}
              title="No groups yet"
              action={admin ? <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setNaming('new')}>New group</Button> : undefined}
            >
              Groups give clients shared settings (a currency, a language, their own number pattern) without setting them client by client.
            </EmptyState>
          )
        ) : (
          <div class="groups-table">
            <Table
              caption="Groups"
              columns={columns}
              rows={rows}
              rowKey={(g) => g.id}
              onRowClick={(g) => route(`/groups/${g.id}`)}
              skeletonRows={firstLoad ? 4 : undefined}
              busy={list.loading && !firstLoad}
            />
          </div>
        )}
        {pg && pg.total_pages > 1 ? (
          <div class="card__foot">
            <Pagination page={pg.current_page} totalPages={pg.total_pages} total={pg.total} perPage={pg.per_page} hrefFor={(p) => listHref(q, p)} noun={['group', 'groups']} />
          </div>
        ) : null}
      </section>

      <GroupNameDialog
        open={naming !== null}
        group={naming === 'new' ? null : naming}
        onClose={() => setNaming(null)}
        onSaved={(g) => {
          const created = naming === 'new';
          setNaming(null);
          if (created) {
            toastSuccess('Group created', `Set what ${g.name} overrides below.`);
            route(`/groups/${g.id}`);
          } else {
            toastSuccess('Group renamed', g.name);
            list.reload();
          }
        }}
      />
      <DeleteGroupDialog
        group={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(g, detached) => {
          setDeleting(null);
          toastSuccess('Group deleted', detached ? `${g.name} is gone; its clients are no longer in a group.` : `${g.name} is gone.`);
          list.reload();
        }}
      />
    </div>
  );
}
