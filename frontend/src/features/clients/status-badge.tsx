import type { ClientStatus } from '../../api/types';
import { Badge } from '../../components/ui/badge';

const TONE = { active: 'success', archived: 'warning', deleted: 'danger' } as const;
const LABEL = { active: 'Active', archived: 'Archived', deleted: 'Deleted' } as const;

export function StatusBadge({ status }: { status: ClientStatus }) {
  return (
    <Badge tone={TONE[status]} dot>
      {LABEL[status]}
    </Badge>
  );
}
