import { useState } from 'react';
import { api, unwrap, type QueueItem, type User } from '../api/client';
import { formatDuration, formatMajor, formatSla, humanize } from '../lib/format';
import { href, navigate } from '../lib/route';
import { useLoad } from '../lib/use-api';

const STATUSES = ['OPEN', 'CLAIMED', 'SNOOZED', 'PENDING_APPROVAL', 'CLOSED'] as const;

interface Filters {
  queue: string;
  status: string;
  mine: boolean;
  breached: boolean;
  card: string;
  sort: 'priority' | 'due';
}

export function Queue({ user }: { readonly user: User }) {
  const [filters, setFilters] = useState<Filters>({
    queue: '',
    status: '',
    mine: false,
    breached: false,
    card: '',
    sort: 'priority',
  });
  const [message, setMessage] = useState<string | null>(null);
  const queues = useLoad(() => unwrap(api.GET('/v1/queues')), 'queues');
  const cases = useLoad(
    () =>
      unwrap(
        api.GET('/v1/cases', {
          params: {
            query: {
              queue: filters.queue || undefined,
              status: filters.status || undefined,
              assignee: filters.mine ? user.id : undefined,
              breached: filters.breached ? 'true' : undefined,
              card: filters.card.trim() || undefined,
              sort: filters.sort,
              limit: '100',
            },
          },
        }),
      ),
    JSON.stringify(filters),
    15_000,
  );
  const currency = queues.data?.reference_currency ?? 'EUR';
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  async function takeNext() {
    setMessage(null);
    try {
      const { data, response, error } = await api.POST('/v1/cases/next', {
        body: filters.queue ? { queues: [filters.queue] } : {},
      });
      if (response.status === 204) setMessage('Nothing to take: every case in these queues is held or snoozed.');
      else if (data !== undefined) navigate({ page: 'case', id: data.id });
      else setMessage((error as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <section>
      <div className="toolbar">
        <h2>Queue</h2>
        <button className="primary" onClick={takeNext} data-testid="take-next">
          Take next
        </button>
      </div>
      <div className="filters">
        <label>
          Queue
          <select value={filters.queue} onChange={(e) => set('queue', e.target.value)} name="queue">
            <option value="">All queues</option>
            {queues.data?.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name} ({q.sla_minutes} min SLA)
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => set('status', e.target.value)} name="status">
            <option value="">Not closed</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Card
          <input value={filters.card} onChange={(e) => set('card', e.target.value)} placeholder="card token" />
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.mine} onChange={(e) => set('mine', e.target.checked)} /> Mine
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.breached} onChange={(e) => set('breached', e.target.checked)} /> Past
          SLA
        </label>
        <label>
          Sort
          <select value={filters.sort} onChange={(e) => set('sort', e.target.value as Filters['sort'])} name="sort">
            <option value="priority">Priority (expected loss × SLA)</option>
            <option value="due">Due first</option>
          </select>
        </label>
      </div>
      {message !== null && <p className="notice">{message}</p>}
      {cases.error !== null && <p className="error">{cases.error.message}</p>}
      <table className="grid" data-testid="queue">
        <thead>
          <tr>
            <th className="num">Priority</th>
            <th className="num">Expected loss</th>
            <th className="num">At risk</th>
            <th className="num">Alerts</th>
            <th className="num">Score</th>
            <th>Outcomes</th>
            <th>Queue</th>
            <th>Status</th>
            <th>SLA</th>
            <th>Held by</th>
            <th>Card</th>
          </tr>
        </thead>
        <tbody>
          {cases.data?.cases.map((item) => (
            <Row key={item.id} item={item} currency={currency} />
          ))}
          {cases.data?.cases.length === 0 && (
            <tr>
              <td colSpan={11} className="muted">
                No case matches.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function Row({ item, currency }: { readonly item: QueueItem; readonly currency: string }) {
  return (
    <tr className={item.sla.breached ? 'breached' : ''} onClick={() => navigate({ page: 'case', id: item.id })}>
      <td className="num">{item.priority.toFixed(0)}</td>
      <td className="num">{formatMajor(item.expected_loss, currency)}</td>
      <td className="num">{formatMajor(item.amount_at_risk, currency)}</td>
      <td className="num">{item.alert_count}</td>
      <td className="num">{item.max_score ?? '—'}</td>
      <td>
        {item.outcomes.map((o) => (
          <span key={o} className={`tag ${o.toLowerCase()}`}>
            {o}
          </span>
        ))}
      </td>
      <td>{item.queue}</td>
      <td>{humanize(item.status)}</td>
      <td
        className={item.sla.breached ? 'bad' : ''}
        title={`opened ${formatDuration(Date.now() - Date.parse(item.opened_at))} ago`}
      >
        {item.status === 'CLOSED' ? '—' : formatSla(item.sla.remaining_ms)}
      </td>
      <td>{item.assignee ?? '—'}</td>
      <td>
        <a href={href({ page: 'case', id: item.id })} onClick={(e) => e.stopPropagation()}>
          {item.card_id.slice(0, 12)}…
        </a>
      </td>
    </tr>
  );
}
