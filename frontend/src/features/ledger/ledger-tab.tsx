import './ledger.css';
import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ClientFull, LedgerEntry, LedgerRange } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Badge, type BadgeTone } from '../../components/ui/badge';
import { Button, ButtonLink } from '../../components/ui/button';
import { DateInput } from '../../components/ui/date-input';
import { EmptyState } from '../../components/ui/empty-state';
import { IconBanknote, IconBook, IconDownload, IconPlusMinus } from '../../components/ui/icons';
import { Select } from '../../components/ui/input';
import { Skeleton } from '../../components/ui/spinner';
import { Table, type Column } from '../../components/ui/table';
import { formatDay } from '../../lib/days';
import { describeError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatCurrency, isZeroAmount } from '../../lib/money';
import { can, useSession } from '../../lib/session';
import { toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { getLedgerSummary, listLedger, listLedgerKinds, statementHref } from '../../api/ledger';
import { LedgerChart } from './ledger-chart';
import { LedgerEntryDialog, type EntryDialogMode } from './ledger-entry-dialog';
import { LEDGER_KINDS, kindLabel, kindsLabel } from '../../lib/ledger-kinds';
import {
  hasFilters,
  ledgerQueryString,
  listQuery,
  parseLedgerQuery,
  rangeLabel,
  rangeProblem,
  rangeQuery,
  type LedgerFilters,
} from './ledger-filters';

interface LedgerTabProps {
  client: ClientFull;
  /** a posting changes the client (balance, paid to date, counts): the page reloads it */
  onChanged: () => void;
}

const KIND_TONE: Record<string, BadgeTone> = { invoice: 'accent', payment: 'success', credit: 'info', refund: 'warning' };

interface Loaded {
  key: string;
  entries: LedgerEntry[];
  cursor: string | null;
  total: number;
  range: LedgerRange;
}

/**
 * The entries of the filters, newest first, 25 at a time ("Show older
 * entries" follows the cursor). `key` changes with the filters and with
 * the client's number of entries, so a posting (which reloads the client)
 * reloads the list; null asks for nothing (a range that cannot be).
 */
function useLedgerList(clientId: string, filters: LedgerFilters, key: string | null) {
  const first = useResource<Loaded>(key, (signal) =>
    listLedger(clientId, listQuery(filters), null, signal).then((r) => ({
      key: key ?? '',
      entries: r.data,
      cursor: r.meta.next_cursor,
      total: r.meta.pagination.total,
      range: r.meta.ledger,
    })),
  );
  const [more, setMore] = useState(false);
  const [moreError, setMoreError] = useState<{ of: Loaded; error: unknown } | null>(null);
  const shown = useRef(first.data);
  shown.current = first.data;

  const loadMore = async () => {
    const d = first.data;
    if (!d?.cursor || more) return;
    setMore(true);
    setMoreError(null);
    try {
      const r = await listLedger(clientId, listQuery(filters), d.cursor);
      // the filters changed or the list was reloaded meanwhile: drop the page
      if (shown.current !== d) return;
      first.setData({ ...d, entries: [...d.entries, ...r.data], cursor: r.meta.next_cursor });
    } catch (e) {
      setMoreError({ of: d, error: e });
    } finally {
      setMore(false);
    }
  };

  const error = first.error ?? (moreError && moreError.of === first.data ? moreError.error : null);
  return { data: first.data ?? null, error, loading: first.loading, more, loadMore, reload: first.reload };
}

/** The entries' columns: every amount in the currency stored with its entry. */
function columns(): Column<LedgerEntry>[] {
  const money = (e: LedgerEntry, v: string, signed = false) => formatCurrency(v, e.currency, { signed });
  return [
    {
      key: 'date',
      header: 'Date',
      cell: (e) => (
        <time dateTime={e.occurred_at} title={formatDateTime(e.occurred_at)}>
          {formatDate(e.occurred_at)}
        </time>
      ),
      width: '8.5rem',
    },
    { key: 'kind', header: 'Kind', cell: (e) => <Badge tone={KIND_TONE[e.kind] ?? 'neutral'}>{kindLabel(e.kind)}</Badge>, width: '9rem' },
    { key: 'reference', header: 'Reference', cell: (e) => (e.reference ? <span class="ledger-text">{e.reference}</span> : null) },
    { key: 'notes', header: 'Notes', cell: (e) => (e.notes ? <span class="ledger-text ledger-text--notes">{e.notes}</span> : null) },
    {
      key: 'amount',
      header: 'Amount',
      align: 'right',
      cell: (e) => <span class={`num${e.amount.startsWith('-') ? ' num--credit' : ''}`}>{money(e, e.amount, true)}</span>,
    },
    { key: 'balance', header: 'Balance', align: 'right', cell: (e) => <span class="num ledger-balance">{money(e, e.balance_after)}</span> },
    {
      key: 'paid',
      header: 'Paid to date',
      align: 'right',
      // only where it changed: payments, refunds and merges (an empty cell is no line on a phone)
      cell: (e) => (isZeroAmount(e.paid_to_date_change) ? null : <span class="num">{money(e, e.paid_to_date_after)}</span>),
    },
  ];
}

/** A money figure; `undefined` while it loads, null where there is none. */
function Stat({ label, value, currency, sub, testId }: { label: string; value: string | null | undefined; currency: string; sub?: string; testId: string }) {
  return (
    <div class="stat">
      <dt class="stat__label">{label}</dt>
      <dd class={`stat__value num${value?.startsWith('-') ? ' num--negative' : ''}`} data-testid={testId}>
        {value === undefined ? <Skeleton width="6rem" height={24} /> : formatCurrency(value, currency)}
      </dd>
      {sub ? <dd class="stat__sub">{sub}</dd> : null}
    </div>
  );
}

/** Why the ledger takes no entries from this user now, or null. */
function blockedReason(client: ClientFull, mayEdit: boolean): string | null {
  if (!mayEdit) return 'Recording entries needs the permission to edit clients.';
  if (client.status === 'archived') return 'Archived clients take no entries: restore the client to record payments and post adjustments.';
  if (client.status === 'deleted') return 'Deleted clients take no entries: restore the client first.';
  return null;
}

/**
 * The client's ledger: the balance and paid to date (the client's own
 * fields, which the ledger keeps equal to its entries), the range's
 * opening and closing balance, the balance over time, the entries, the
 * CSV statement, and the dialogs that post. Filters live in the URL.
 */
export function LedgerTab({ client, onChanged }: LedgerTabProps) {
  const { query, route } = useLocation();
  const me = useSession();
  const filters = parseLedgerQuery(query);
  const problem = rangeProblem(filters);
  const count = client.counts.ledger_entries;
  const listKey = problem ? null : `${client.id}${ledgerQueryString(filters)}#${count}`;
  const list = useLedgerList(client.id, filters, listKey);
  const summaryKey = problem ? null : `${client.id}|${filters.from}|${filters.to}#${count}`;
  const summary = useResource(summaryKey, (signal) => getLedgerSummary(client.id, rangeQuery(filters), signal));
  const [dialog, setDialog] = useState<EntryDialogMode | null>(null);
  const [posted, setPosted] = useState<string | null>(null);
  // the rules the dialogs post by: asked for once per page load (api/ledger.ts)
  const kinds = useResource('ledger-kinds', () => listLedgerKinds());
  const blocked = blockedReason(client, can(me, 'clients.edit'));
  const kindsFailed = blocked === null && !kinds.data && kinds.error !== null;
  const mayPost = blocked === null && kinds.data !== undefined;
  const describedBy = blocked || kindsFailed ? 'ledger-blocked' : undefined;
  const go = (next: LedgerFilters) => route(`/clients/${client.id}/ledger${ledgerQueryString(next)}`);

  const onPosted = (entry: LedgerEntry) => {
    const mode = dialog;
    setDialog(null);
    setPosted(entry.id);
    // in the currency the entry was stored in
    const inEntry = (v: string) => formatCurrency(v, entry.currency);
    const size = inEntry(entry.amount.replace(/^-/, ''));
    toastSuccess(
      mode === 'payment' ? `Payment of ${size} recorded` : `${kindLabel(entry.kind)} of ${size} posted`,
      `Balance ${inEntry(entry.balance_after)}, paid to date ${inEntry(entry.paid_to_date_after)}.`,
    );
    onChanged();
  };

  const data = list.data;
  // no range while the dates cannot be asked for: the balances would be stale
  const range = problem ? null : (summary.data?.range ?? data?.range);
  // the ledger's currency (the client's, which its first entry fixed), as the API says it
  const currency = range?.currency ?? client.currency;
  const empty = count === 0 && !hasFilters(filters);
  const actions = (
    <div class="ledger-bar__actions">
      {problem ? (
        <Button icon={<IconDownload size={16} />} disabled>
          Statement (CSV)
        </Button>
      ) : (
        <ButtonLink href={statementHref(client.id, rangeQuery(filters))} download icon={<IconDownload size={16} />}>
          Statement (CSV)
        </ButtonLink>
      )}
      <Button icon={<IconPlusMinus size={16} />} disabled={!mayPost} aria-describedby={describedBy} onClick={() => setDialog('other')}>
        Post adjustment
      </Button>
      <Button variant="primary" icon={<IconBanknote size={16} />} disabled={!mayPost} aria-describedby={describedBy} onClick={() => setDialog('payment')}>
        Record payment
      </Button>
    </div>
  );

  return (
    <div class="ledger">
      <div class="ledger-bar">
        <fieldset class="ledger-range">
          <legend class="sr-only">Date range</legend>
          <div class="ledger-range__field">
            <label class="field__label" for="ledger-from">
              From
            </label>
            <DateInput id="ledger-from" value={filters.from} max={filters.to || undefined} onCommit={(from) => go({ ...filters, from })} />
          </div>
          <div class="ledger-range__field">
            <label class="field__label" for="ledger-to">
              To
            </label>
            <DateInput id="ledger-to" value={filters.to} min={filters.from || undefined} onCommit={(to) => go({ ...filters, to })} />
          </div>
          {filters.from || filters.to ? (
            <Button variant="ghost" size="sm" class="ledger-range__clear" onClick={() => go({ ...filters, from: '', to: '' })}>
              All dates
            </Button>
          ) : null}
        </fieldset>
        {actions}
      </div>
      {kindsFailed ? (
        <p class="ledger-blocked muted" id="ledger-blocked">
          The kinds of entry could not be loaded, so nothing can be posted yet.{' '}
          <Button variant="ghost" size="sm" onClick={kinds.reload}>
            Try again
          </Button>
        </p>
      ) : null}
      {blocked ? (
        <p class="ledger-blocked muted" id="ledger-blocked">
          {blocked}
        </p>
      ) : null}
      {problem ? <Alert tone="warning" title={problem} /> : null}

      <section class="card" aria-labelledby="ledger-standing-title">
        <h2 class="card__title" id="ledger-standing-title">
          Standing <span class="card__count">{rangeLabel(filters, formatDay)}</span>
        </h2>
        <dl class="stats ledger-stats">
          <Stat label="Balance" value={client.balance} currency={client.currency} sub="now" testId="ledger-balance" />
          <Stat label="Paid to date" value={client.paid_to_date} currency={client.currency} sub="now" testId="ledger-paid" />
          <Stat label="Opening balance" value={range === null ? null : range?.opening_balance} currency={currency} sub={filters.from ? `before ${formatDay(filters.from)}` : 'before the first entry'} testId="ledger-opening" />
          <Stat label="Closing balance" value={range === null ? null : range?.closing_balance} currency={currency} sub={filters.to ? `end of ${formatDay(filters.to)}` : 'after the latest entry'} testId="ledger-closing" />
        </dl>
      </section>

      {problem ? null : empty ? (
        <EmptyState icon={<IconBook size={22} />} title="No ledger entries yet">
          Record the payments this client makes, and post what it owed when you started as an opening balance (under Post adjustment). Every entry is kept for good.
        </EmptyState>
      ) : (
        <>
          <LedgerChart summary={summary.data} error={summary.error} loading={summary.loading} currency={currency} onRetry={summary.reload} />
          <LedgerEntries
            list={list}
            data={data}
            filters={filters}
            posted={posted}
            onKinds={(kinds) => go({ ...filters, kinds })}
            onClear={() => go({ from: '', to: '', kinds: [] })}
          />
        </>
      )}

      {kinds.data ? (
        <LedgerEntryDialog
          open={dialog !== null}
          mode={dialog ?? 'payment'}
          client={client}
          kinds={kinds.data}
          onClose={() => setDialog(null)}
          onPosted={onPosted}
          onConflict={onChanged}
        />
      ) : null}
    </div>
  );
}

interface EntriesProps {
  list: ReturnType<typeof useLedgerList>;
  data: Loaded | null;
  filters: LedgerFilters;
  /** the entry just posted, highlighted */
  posted: string | null;
  onKinds: (kinds: LedgerFilters['kinds']) => void;
  onClear: () => void;
}

function KindFilter({ filters, onKinds }: Pick<EntriesProps, 'filters' | 'onKinds'>) {
  const value = filters.kinds.join(',');
  return (
    <div class="ledger-kind">
      <label class="field__label" for="ledger-kind">
        Kind
      </label>
      <Select id="ledger-kind" class="input--sm" value={value} onChange={(e) => onKinds(parseLedgerQuery({ kind: e.currentTarget.value }).kinds)}>
        <option value="">All kinds</option>
        {LEDGER_KINDS.map((k) => (
          <option key={k.id} value={k.id}>
            {kindsLabel([k.id])}
          </option>
        ))}
        {filters.kinds.length > 1 ? <option value={value}>{kindsLabel(filters.kinds)}</option> : null}
      </Select>
    </div>
  );
}

function LedgerEntries({ list, data, filters, posted, onKinds, onClear }: EntriesProps) {
  const rows = data?.entries ?? [];
  const first = data === null;
  return (
    <section class="card card--flush" aria-labelledby="ledger-entries-title">
      <div class="toolbar">
        <h2 class="card__title ledger-entries__title" id="ledger-entries-title">
          Entries {data ? <span class="card__count">{data.total}</span> : null}
        </h2>
        <KindFilter filters={filters} onKinds={onKinds} />
      </div>
      {list.error && !data ? (
        <div class="card__pad">
          <Alert tone="danger" title="The entries could not be loaded" assertive actions={<Button size="sm" onClick={list.reload}>Try again</Button>}>
            {describeError(list.error).title}.
          </Alert>
        </div>
      ) : data && rows.length === 0 ? (
        <EmptyState title="No entries match these filters" action={<Button onClick={onClear}>Show all entries</Button>} compact>
          {filters.kinds.length > 0 ? kindsLabel(filters.kinds) : 'Entries of any kind'} · {rangeLabel(filters, formatDay)}
        </EmptyState>
      ) : (
        <Table
          caption={`Ledger entries, newest first${filters.kinds.length ? ` (${kindsLabel(filters.kinds).toLowerCase()})` : ''}`}
          columns={columns()}
          rows={rows}
          rowKey={(e) => e.id}
          rowClass={(e) => (e.id === posted ? 'ledger-row--new' : undefined)}
          skeletonRows={first ? 4 : undefined}
          busy={list.loading && !first}
        />
      )}
      {data && rows.length > 0 ? (
        <div class="card__foot ledger-entries__foot">
          <span class="muted">
            {rows.length === data.total ? `All ${data.total} ${data.total === 1 ? 'entry' : 'entries'}` : `${rows.length} of ${data.total} entries`}
          </span>
          {data.cursor ? (
            <Button size="sm" onClick={list.loadMore} loading={list.more}>
              Show older entries
            </Button>
          ) : null}
        </div>
      ) : null}
      {list.error && data ? <Alert tone="danger" title={describeError(list.error).title} /> : null}
    </section>
  );
}
