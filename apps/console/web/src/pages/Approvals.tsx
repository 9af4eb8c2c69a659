import { api, unwrap } from '../api/client';
import { formatMajor, formatTime, humanize } from '../lib/format';
import { navigate } from '../lib/route';
import { useLoad } from '../lib/use-api';

/** Supervisors' list: dispositions waiting for a second person (four eyes), oldest first. */
export function Approvals() {
  const queues = useLoad(() => unwrap(api.GET('/v1/queues')), 'queues');
  const pending = useLoad(
    () =>
      unwrap(api.GET('/v1/cases', { params: { query: { status: 'PENDING_APPROVAL', sort: 'due', limit: '200' } } })),
    'pending',
    15_000,
  );
  const currency = queues.data?.reference_currency ?? 'EUR';
  return (
    <section>
      <h2>Waiting for approval</h2>
      {pending.error !== null && <p className="error">{pending.error.message}</p>}
      <table className="grid" data-testid="approvals">
        <thead>
          <tr>
            <th>Proposed</th>
            <th>By</th>
            <th>When (UTC)</th>
            <th className="num">At risk</th>
            <th>Queue</th>
            <th>Card</th>
          </tr>
        </thead>
        <tbody>
          {pending.data?.cases.map((c) => (
            <tr key={c.id} data-case-id={c.id} onClick={() => navigate({ page: 'case', id: c.id })}>
              <td>
                {humanize(c.pending?.disposition ?? '')} ({c.pending?.reason_code})
              </td>
              <td>{c.pending?.by}</td>
              <td>{formatTime(c.pending?.at ?? null)}</td>
              <td className="num">{formatMajor(c.amount_at_risk, currency)}</td>
              <td>{c.queue}</td>
              <td>{c.card_id.slice(0, 12)}…</td>
            </tr>
          ))}
          {pending.data?.cases.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nothing waits for a second person.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
