import './groups.css';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError } from '../../api/client';
import type { EffectiveSettings, SettingsPatch } from '../../api/types';
import { SettingsOverrides } from '../../components/settings/settings-overrides';
import { Button, ButtonLink } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconArrowLeft, IconEdit, IconTrash } from '../../components/ui/icons';
import { Menu } from '../../components/ui/menu';
import { LoadingBlock, Skeleton } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { can, isAdmin, useSession } from '../../lib/session';
import { settingRows } from '../../lib/settings/registry';
import { toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { getGroup, getGroupSettings, updateGroupSettings } from '../../api/groups';
import { DeleteGroupDialog } from './delete-dialog';
import { memberCount } from './group-format';
import { GroupMembers } from './members';
import { GroupNameDialog } from './name-dialog';
import { NextNumber } from './next-number';

/**
 * One group: its name (rename, delete), its members, the number its next
 * client gets, and its settings: each key in effect for the group with
 * where it comes from, overridden or cleared key by key.
 */
interface GroupPageProps {
  /** The group's documents (the documents feature's, passed in by app.tsx). */
  documents?: ComponentType<{ groupId: string }>;
}

export function GroupPage({ documents: Documents }: GroupPageProps = {}) {
  const { params } = useRoute();
  const { route } = useLocation();
  const me = useSession();
  const admin = isAdmin(me);
  const id = params.id ?? '';
  const group = useResource(`group:${id}`, (signal) => getGroup(id, signal));
  const settings = useResource(`group-settings:${id}`, (signal) => getGroupSettings(id, signal));
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [changes, setChanges] = useState(0);
  const g = group.data && group.data.id === id ? group.data : undefined;

  useEffect(() => {
    if (g) document.title = `${g.name} · Groups · clientd`;
  }, [g?.name]);

  if (group.error && !g) {
    const notFound = group.error instanceof ApiError && group.error.status === 404;
    return (
      <div class="page">
        <EmptyState
          title={notFound ? 'Group not found' : 'The group could not be loaded'}
          action={
            <>
              {!notFound ? <Button onClick={group.reload}>Try again</Button> : null}
              <ButtonLink href="/groups" variant={notFound ? 'primary' : 'secondary'}>
                Back to groups
              </ButtonLink>
            </>
          }
        >
          {notFound ? 'It may have been deleted, or the link is wrong.' : describeError(group.error).title}
        </EmptyState>
      </div>
    );
  }

  if (!g) {
    return (
      <div class="page" aria-busy="true">
        <div class="page-header">
          <div class="page-header__text">
            <Skeleton width="6rem" height={12} />
            <Skeleton width="14rem" height={26} />
          </div>
        </div>
        <LoadingBlock label="Loading group…" />
      </div>
    );
  }

  const patch = async (p: SettingsPatch) => {
    const answer: EffectiveSettings = await updateGroupSettings(g.id, p);
    settings.setData(answer);
    setChanges((n) => n + 1);
    group.reload();
  };

  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/groups" class="crumbs__back">
          <IconArrowLeft size={14} />
          Groups
        </a>
      </nav>
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">{g.name}</h1>
          <p class="page-header__sub">
            <span>
              {memberCount(g.member_count)}
              {g.member_counts.deleted > 0 ? ` · ${g.member_counts.deleted.toLocaleString()} deleted` : ''}
            </span>
            <span>Created {formatDate(g.created_at)}</span>
          </p>
        </div>
        {admin ? (
          <div class="page-header__actions">
            <Button icon={<IconEdit size={16} />} onClick={() => setRenaming(true)}>
              Rename
            </Button>
            <Menu label="Group actions" items={[{ id: 'delete', label: 'Delete…', icon: <IconTrash size={16} />, danger: true, onSelect: () => setDeleting(true) }]} />
          </div>
        ) : null}
      </header>

      <div class="group-summary">
        <GroupMembers group={g} canAdd={can(me, 'clients.edit')} onChanged={group.reload} />
        <NextNumber groupId={g.id} version={changes} />
      </div>

      {Documents ? (
        <>
          <h2 class="group-settings__title">Documents</h2>
          <p class="group-settings__intro muted">Files for every client of the group: terms, price lists. Those shown to the clients appear in each client’s portal.</p>
          <Documents groupId={g.id} />
        </>
      ) : null}

      <h2 class="group-settings__title">Settings</h2>
      <p class="group-settings__intro muted">What the group sets applies to its clients unless a client overrides it; the rest comes from the company’s settings.</p>
      {settings.error && !settings.data ? (
        <EmptyState title="The settings could not be loaded" action={<Button onClick={settings.reload}>Try again</Button>} compact>
          {describeError(settings.error).title}
        </EmptyState>
      ) : settings.data ? (
        <SettingsOverrides level="group" rows={settingRows(settings.data)} readOnly={!admin} onPatch={patch} />
      ) : (
        <LoadingBlock label="Loading settings…" />
      )}

      <GroupNameDialog
        open={renaming}
        group={g}
        onClose={() => setRenaming(false)}
        onSaved={(next) => {
          setRenaming(false);
          group.setData(next);
          toastSuccess('Group renamed', next.name);
        }}
      />
      <DeleteGroupDialog
        group={deleting ? g : null}
        onClose={() => setDeleting(false)}
        onDeleted={(old, detached) => {
          setDeleting(false);
          toastSuccess('Group deleted', detached ? `${old.name} is gone; its clients are no longer in a group.` : `${old.name} is gone.`);
          route('/groups', true);
        }}
      />
    </div>
  );
}
