import { Field } from '../../components/ui/field';
import { Select } from '../../components/ui/input';
import { useResource } from '../../lib/use-resource';
import { listUsers, userLabel } from '../../api/users';

interface UserSelectProps {
  id: string;
  /** the user's id, "" for none */
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The client's assigned user, chosen from the company's active users (GET /users). */
export function UserSelect({ id, value, onChange, error, disabled }: UserSelectProps) {
  const res = useResource('users-for-select', (signal) => listUsers(signal));
  const users = res.data?.data ?? [];
  const known = value === '' || users.some((u) => u.id === value);
  const hint = res.error
    ? 'The users could not be loaded; the assigned user stays as it is.'
    : 'Members who may see only their own clients also see the clients assigned to them.';
  return (
    <Field label="Assigned user" error={error} hint={hint} id={id}>
      {(c) => (
        <Select {...c} value={value} disabled={disabled || Boolean(res.error)} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">Nobody</option>
          {!known ? <option value={value}>{res.loading ? 'Loading users…' : 'A user no longer active'}</option> : null}
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name.trim() ? `${userLabel(u)} (${u.email})` : u.email}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
