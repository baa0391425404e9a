import { Field } from '../../components/ui/field';
import { Select } from '../../components/ui/input';
import { useResource } from '../../lib/use-resource';
import { listAllGroups } from '../../api/groups';

interface GroupSelectProps {
  id: string;
  /** the group's id, "" for none */
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The client's group, chosen from the company's groups. */
export function GroupSelect({ id, value, onChange, error, disabled }: GroupSelectProps) {
  const res = useResource('groups-for-select', (signal) => listAllGroups(signal));
  const groups = res.data?.data ?? [];
  const known = value === '' || groups.some((g) => g.id === value);
  const hint = res.error ? (
    'The groups could not be loaded; the group stays as it is.'
  ) : (
    <>
      The client takes the group’s settings unless it overrides them. <a href="/groups">Manage groups</a>
    </>
  );
  return (
    <Field label="Group" error={error} hint={hint} id={id}>
      {(c) => (
        <Select {...c} value={value} disabled={disabled || Boolean(res.error)} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">No group</option>
          {!known ? <option value={value}>{res.loading ? 'Loading groups…' : 'The current group'}</option> : null}
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
