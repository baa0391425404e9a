import { ApiError } from '../../api/client';
import type { ClientFull, SettingsPatch } from '../../api/types';
import { SettingsOverrides } from '../../components/settings/settings-overrides';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { isAdmin, useSession } from '../../lib/session';
import { settingRows } from '../../lib/settings/registry';
import { useResource } from '../../lib/use-resource';
import { getClientSettings, updateClientSettings } from '../../api/clients';

interface SettingsTabProps {
  client: ClientFull;
  /** the client's group's name, for "From group" badges */
  groupName: string | null;
  /** a settings change makes a new client version: the page reloads the client */
  onChanged: () => void;
}

/**
 * The client's settings: each key's value in effect and where it comes
 * from (client, group, company, default), overridden or cleared key by
 * key. Changes carry the version read (If-Match); a stale one reloads.
 */
export function SettingsTab({ client, groupName, onChanged }: SettingsTabProps) {
  const me = useSession();
  // Keyed on the version too: a change made elsewhere means a new ETag.
  const res = useResource(`${client.id}:${client.version}`, (signal) => getClientSettings(client.id, signal));
  const data = res.data;

  const patch = async (p: SettingsPatch) => {
    try {
      const next = await updateClientSettings(client.id, p, data?.etag ?? null);
      res.setData(next);
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        // The values (and the ETag) shown are stale: show the current ones
        // before the error, so that trying again works.
        const fresh = await getClientSettings(client.id).catch(() => null);
        if (fresh) res.setData(fresh);
        onChanged();
      }
      throw e;
    }
  };

  if (res.error && !data) {
    return (
      <Alert tone="danger" title="The settings could not be loaded" assertive actions={<Button size="sm" onClick={res.reload}>Try again</Button>}>
        {describeError(res.error).title}.
      </Alert>
    );
  }
  if (!data) return <LoadingBlock label="Loading settings…" />;

  return (
    <div class="client-settings">
      <p class="client-settings__intro muted">
        {client.group ? (
          <>
            Values come from this client, else from its group{' '}
            <a href={`/groups/${client.group}`}>{groupName ?? 'group'}</a>, else from the <a href="/settings">company settings</a>, else the built-in default.
          </>
        ) : (
          <>
            This client is in no group: values come from this client, else from the <a href="/settings">company settings</a>, else the built-in default.
          </>
        )}
      </p>
      <SettingsOverrides level="client" rows={settingRows(data.settings)} groupName={groupName} readOnly={!isAdmin(me)} onPatch={patch} />
    </div>
  );
}
