import { useState } from 'react';
import { api, unwrap, type Activity, type Alert, type CaseFile, type User } from '../api/client';
import { ActivityChart } from '../components/ActivityChart';
import { CaseActions } from '../components/CaseActions';
import { FactorBars } from '../components/FactorBars';
import { formatMajor, formatMinor, formatPercent, formatSla, formatTime, humanize } from '../lib/format';
import { useLoad } from '../lib/use-api';

export function CasePage({ id, user }: { readonly id: string; readonly user: User }) {
  const file = useLoad(() => unwrap(api.GET('/v1/cases/{id}', { params: { path: { id } } })), id);
  const queues = useLoad(() => unwrap(api.GET('/v1/queues')), 'queues');
  const currency = queues.data?.reference_currency ?? 'EUR';

  if (file.error !== null && file.data === null) return <p className="error">{file.error.message}</p>;
  if (file.data === null) return <p className="muted">Loading the case…</p>;
  const kase = file.data;
  return (
    <section className="case" data-testid="case">
      <div className="case-head">
        <div>
          <h2>
            Case on card <code>{kase.card_id}</code>
          </h2>
          <p className="muted">
            {kase.customer_id !== null && <>customer {kase.customer_id} · </>}queue {kase.queue} · opened{' '}
            {formatTime(kase.opened_at)} UTC
          </p>
        </div>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd data-testid="case-status">{humanize(kase.status)}</dd>
          </div>
          <div>
            <dt>Expected loss</dt>
            <dd>{formatMajor(kase.expected_loss, currency)}</dd>
          </div>
          <div>
            <dt>SLA</dt>
            <dd className={kase.sla.breached ? 'bad' : ''}>
              {kase.status === 'CLOSED' ? '—' : formatSla(kase.sla.remaining_ms)}
            </dd>
          </div>
          <div>
            <dt>Held by</dt>
            <dd>{kase.assignee ?? '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="case-body">
        <div className="case-main">
          {kase.alerts.map((alert) => (
            <AlertPanel key={alert.transaction_id} alert={alert} />
          ))}
          <div className="panel">
            <h3>The card’s activity</h3>
            <ActivityChart activity={kase.recent_decisions.card} />
            <ActivityTable rows={kase.recent_decisions.card} />
          </div>
          {kase.customer_id !== null && kase.recent_decisions.customer.length > 0 && (
            <div className="panel">
              <h3>The customer’s other cards and payments</h3>
              <ActivityTable rows={kase.recent_decisions.customer} />
            </div>
          )}
        </div>
        <aside className="case-side">
          <CaseActions file={kase} user={user} onChanged={file.reload} />
          <LinkedCards links={kase.linked_cards} />
          <Timeline events={kase.timeline} />
        </aside>
      </div>
    </section>
  );
}

function AlertPanel({ alert }: { readonly alert: Alert }) {
  const [showFeatures, setShowFeatures] = useState(false);
  const t = alert.transaction;
  return (
    <div className="panel alert" data-testid="alert">
      <h3>
        <span className={`tag ${alert.outcome.toLowerCase()}`}>{alert.outcome}</span>{' '}
        {formatMinor(alert.amount.minor, alert.amount.currency)} at {t.merchant_id ?? 'no merchant'}
        {t.merchant_country !== null && ` (${t.merchant_country})`}
      </h3>
      <p className="muted">
        {formatTime(alert.event_time)} UTC · {humanize(t.channel)} · MCC {t.merchant_category_code ?? '—'} · card{' '}
        {t.card_bin ?? '••••••'}…{t.card_last4 ?? '••••'} · score {alert.score ?? '—'} (p ={' '}
        {formatPercent(alert.probability)}) · model {alert.model_version ?? 'none'}
        {alert.step_up !== null && ` · step-up ${alert.step_up.toLowerCase()}`}
        {alert.reported_fraud && ' · reported as fraud'}
      </p>
      {alert.degraded.length > 0 && <p className="notice">Decided without: {alert.degraded.join(', ')}</p>}
      <div className="two">
        <div>
          <h4>Why the model scored it so</h4>
          <FactorBars factors={alert.factors} />
        </div>
        <div>
          <h4>Rules that fired</h4>
          {alert.rules_fired.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul data-testid="rules">
              {alert.rules_fired.map((r) => (
                <li key={r.rule_id}>
                  <code>{r.rule_id}</code> {r.message}
                </li>
              ))}
            </ul>
          )}
          {alert.reasons.length > 0 && (
            <>
              <h4>Policy</h4>
              <ul>
                {alert.reasons.map((r) => (
                  <li key={r.code}>{r.message}</li>
                ))}
              </ul>
            </>
          )}
          <h4>Where</h4>
          <p>
            device {t.device_fingerprint ?? '—'} · IP {t.ip_address ?? '—'}
            {t.geo !== null && ` · ${t.geo.city ?? ''} ${t.geo.country ?? ''}`}
            {t.account_id !== null && ` · payee ${t.account_id}`}
          </p>
        </div>
      </div>
      {alert.features !== null && (
        <div>
          <button className="link" onClick={() => setShowFeatures((s) => !s)}>
            {showFeatures ? 'Hide' : 'Show'} the full feature vector ({alert.features.length})
          </button>
          {showFeatures && (
            <table className="grid compact" data-testid="features">
              <tbody>
                {alert.features.map((f) => (
                  <tr key={f.name}>
                    <td>
                      <code>{f.name}</code>
                    </td>
                    <td className="num">
                      {f.value === null ? <span className="muted">missing</span> : round(f.value)}
                    </td>
                    <td className="muted">{f.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}

function ActivityTable({ rows }: { readonly rows: readonly Activity[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="grid compact">
      <thead>
        <tr>
          <th>When (UTC)</th>
          <th>Card</th>
          <th className="num">Amount</th>
          <th>Channel</th>
          <th>Merchant</th>
          <th>Outcome</th>
          <th className="num">Score</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.transaction_id}>
            <td>{formatTime(a.event_time)}</td>
            <td>{a.card_id.slice(0, 10)}…</td>
            <td className="num">{formatMinor(a.amount.minor, a.amount.currency)}</td>
            <td>{humanize(a.channel)}</td>
            <td>
              {a.merchant_id ?? '—'} {a.merchant_country ?? ''}
            </td>
            <td>
              <span className={`tag ${a.outcome.toLowerCase()}`}>{a.outcome}</span>
            </td>
            <td className="num">{a.score ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LinkedCards({ links }: { readonly links: CaseFile['linked_cards'] }) {
  return (
    <div className="panel">
      <h3>Linked cards</h3>
      {links.length === 0 ? (
        <p className="muted">No other card on this device, IP address or payee in 30 days.</p>
      ) : (
        <table className="grid compact" data-testid="linked">
          <thead>
            <tr>
              <th>Via</th>
              <th>Card</th>
              <th className="num">Decisions</th>
              <th className="num">Alerts</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {links.map((l) => (
              <tr key={`${l.via}:${l.card_id}`} className={l.alerts > 0 ? 'breached' : ''}>
                <td>{humanize(l.via)}</td>
                <td>{l.card_id.slice(0, 10)}…</td>
                <td className="num">{l.decisions}</td>
                <td className="num">{l.alerts}</td>
                <td>{formatTime(l.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Timeline({ events }: { readonly events: CaseFile['timeline'] }) {
  return (
    <div className="panel">
      <h3>Timeline</h3>
      <ol className="timeline" data-testid="timeline">
        {[...events].reverse().map((e) => (
          <li key={e.seq}>
            <span className="when">{formatTime(e.at)}</span> <strong>{humanize(e.type)}</strong> by {e.actor}
            {describe(e.details)}
          </li>
        ))}
      </ol>
    </div>
  );
}

function describe(details: Record<string, unknown>): string {
  const parts = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${String(v)}`);
  return parts.length === 0 ? '' : ` — ${parts.join(', ')}`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
}
