import { useEffect, useState } from 'preact/hooks';
import { getPortalClient, listPortalLedger, selectClient, statementHref, type PortalClient, type PortalLedgerPage, type PortalMe } from '../../api/portal';
import { Alert } from '../../components/ui/alert';
import { LoadingBlock } from '../../components/ui/spinner';
import { formatDate } from '../../lib/format';

/** The signed-in contact's overview: the client's balance, paid to date, recent entries, the statement. */
export function PortalDashboard({ me, onMe }: { me: PortalMe; onMe: (me: PortalMe) => void }) {
  const slug = me.company.slug;
  const [client, setClient] = useState<PortalClient | null>(null);
  const [ledger, setLedger] = useState<PortalLedgerPage | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${me.client.display_name} · ${me.company.name}`;
    const ac = new AbortController();
    Promise.all([getPortalClient(slug, ac.signal), listPortalLedger(slug, 10, ac.signal)]).then(
      ([c, l]) => {
        setClient(c);
        setLedger(l);
      },
      (e) => {
        if (!ac.signal.aborted) setFailure(e instanceof Error ? e.message : 'could not load');
      },
    );
    return () => ac.abort();
  }, [me.client.id]);

  const pick = async (id: string) => onMe(await selectClient(slug, id));

  if (failure) return <Alert tone="danger" title="Your overview could not be loaded">{failure}</Alert>;
  if (!client || !ledger) return <LoadingBlock label="Loading your overview…" />;
  return (
    <div class="portal-page">
      <div class="portal-page__head">
        <div>
          <h1 class="portal-page__title">{client.display_name}</h1>
          <p class="portal-page__sub">Client number {client.number}</p>
        </div>
        {me.clients.length > 1 ? (
          <label class="portal-picker">
            <span>Client</span>
            <select aria-label="Client" value={me.client.id} onChange={(e) => void pick(e.currentTarget.value)}>
              {me.clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.display_name} ({c.number})
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div class="portal-figures">
        <div class="portal-figure">
          <span class="portal-figure__label">Balance</span>
          <span class="portal-figure__value" data-testid="portal-balance">
            {client.balance} {client.currency}
          </span>
        </div>
        <div class="portal-figure">
          <span class="portal-figure__label">Paid to date</span>
          <span class="portal-figure__value" data-testid="portal-paid">
            {client.paid_to_date} {client.currency}
          </span>
        </div>
      </div>
      <section class="portal-section" aria-labelledby="recent-title">
        <div class="portal-section__head">
          <h2 id="recent-title">Recent activity</h2>
          <a class="btn btn--secondary btn--sm" href={statementHref(slug)} download>
            Download statement (CSV)
          </a>
        </div>
        {ledger.data.length === 0 ? (
          <p class="portal-muted">Nothing yet.</p>
        ) : (
          <ul class="portal-entries">
            {ledger.data.map((e) => (
              <li key={e.id} class="portal-entry">
                <span class="portal-entry__date">{formatDate(e.occurred_at)}</span>
                <span class="portal-entry__ref">{e.reference || e.kind}</span>
                <span class="portal-entry__amount">{e.amount}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
