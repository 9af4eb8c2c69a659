import { useState } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, unwrap, type DashboardData } from '../api/client';
import { formatMajor, formatPercent } from '../lib/format';
import { useLoad } from '../lib/use-api';

const WINDOWS = [
  { hours: 24, label: 'Last 24 h' },
  { hours: 72, label: 'Last 3 days' },
  { hours: 168, label: 'Last 7 days' },
  { hours: 720, label: 'Last 30 days' },
] as const;

const tick = (bucket: 'hour' | 'day') => (iso: string) =>
  bucket === 'hour' ? iso.slice(5, 13).replace('T', ' ') + 'h' : iso.slice(5, 10);

/** What the risk team watches and tunes with: decisions, review rate, queues, SLA, throughput, precision. */
export function Dashboard() {
  const [hours, setHours] = useState<number>(24);
  const dashboard = useLoad(
    () => unwrap(api.GET('/v1/dashboard', { params: { query: { hours: String(hours) } } })),
    String(hours),
    30_000,
  );
  const data = dashboard.data;
  return (
    <section className="dashboard" data-testid="dashboard">
      <div className="toolbar">
        <h2>Dashboard</h2>
        <select value={hours} onChange={(e) => setHours(Number(e.target.value))} aria-label="window">
          {WINDOWS.map((w) => (
            <option key={w.hours} value={w.hours}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      {dashboard.error !== null && <p className="error">{dashboard.error.message}</p>}
      {data !== null && <Charts data={data} />}
    </section>
  );
}

function Charts({ data }: { readonly data: DashboardData }) {
  const format = tick(data.window.bucket);
  const totals = data.decisions.totals;
  return (
    <>
      <div className="kpis">
        <Kpi label="Decisions" value={totals.total.toLocaleString('en')} />
        <Kpi label="Review rate" value={formatPercent(totals.review_rate)} />
        <Kpi label="Blocked" value={totals.block.toLocaleString('en')} />
        <Kpi label="Amount decided" value={formatMajor(totals.amount, data.reference_currency)} />
        <Kpi label="Open cases" value={data.queues.reduce((n, q) => n + q.open, 0).toLocaleString('en')} />
        <Kpi label="Past SLA" value={data.queues.reduce((n, q) => n + q.breached, 0).toLocaleString('en')} />
        <Kpi
          label="Median time to disposition"
          value={
            data.analysts.median_minutes_to_disposition === null
              ? '—'
              : `${Math.round(data.analysts.median_minutes_to_disposition)} min`
          }
        />
      </div>
      <div className="charts">
        <Chart title="Decisions by outcome">
          <AreaChart data={data.decisions.buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="start" tickFormatter={format} />
            <YAxis />
            <Tooltip labelFormatter={(l) => String(l)} />
            <Legend itemSorter={null} />
            <Area
              type="monotone"
              dataKey="approve"
              stackId="1"
              stroke="#27ae60"
              fill="#27ae60"
              isAnimationActive={false}
            />
            <Area
              type="monotone"
              dataKey="review"
              stackId="1"
              stroke="#e67e22"
              fill="#e67e22"
              isAnimationActive={false}
            />
            <Area
              type="monotone"
              dataKey="block"
              stackId="1"
              stroke="#c0392b"
              fill="#c0392b"
              isAnimationActive={false}
            />
          </AreaChart>
        </Chart>
        <Chart title="Review rate">
          <LineChart data={data.decisions.buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="start" tickFormatter={format} />
            <YAxis tickFormatter={(v: number) => `${(v * 100).toFixed(0)} %`} />
            <Tooltip formatter={(v) => formatPercent(Number(v))} />
            <Legend itemSorter={null} />
            {/* Dots: an hour without decisions has no rate, and one lone hour would otherwise draw nothing. */}
            <Line
              dataKey="review_rate"
              name="REVIEW + BLOCK"
              stroke="#8e44ad"
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
            <Line dataKey="review_share" name="REVIEW" stroke="#e67e22" dot={{ r: 2 }} isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title="Queues now: backlog by age">
          <BarChart data={data.queues.map((q) => ({ ...q.age, queue: q.name ?? q.queue }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="queue" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend itemSorter={null} />
            <Bar dataKey="under_1h" name="< 1 h" stackId="a" fill="#95a5a6" isAnimationActive={false} />
            <Bar dataKey="from_1h_to_4h" name="1–4 h" stackId="a" fill="#f1c40f" isAnimationActive={false} />
            <Bar dataKey="from_4h_to_24h" name="4–24 h" stackId="a" fill="#e67e22" isAnimationActive={false} />
            <Bar dataKey="over_24h" name="> 24 h" stackId="a" fill="#c0392b" isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="SLA breaches">
          <BarChart data={data.sla_breaches}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="start" tickFormatter={format} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="breached" name="cases past due" fill="#c0392b" isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Analyst throughput">
          <BarChart data={data.analysts.totals}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="analyst" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend itemSorter={null} />
            <Bar dataKey="dispositions" fill="#2980b9" isAnimationActive={false} />
            <Bar dataKey="approvals" fill="#16a085" isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Precision by score band">
          <BarChart data={data.precision.by_score_band}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="band" />
            <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${(v * 100).toFixed(0)} %`} />
            <Tooltip formatter={(v) => formatPercent(Number(v))} />
            <Bar dataKey="precision" fill="#8e44ad" isAnimationActive={false} />
          </BarChart>
        </Chart>
      </div>
      <div className="panel">
        <h3>Precision of dispositions per rule</h3>
        <PrecisionTable rows={data.precision.by_rule.map((r) => ({ ...r, key: r.rule_id }))} what="Rule" />
      </div>
      <div className="panel">
        <h3>Queues</h3>
        <table className="grid compact" data-testid="queues">
          <thead>
            <tr>
              <th>Queue</th>
              <th className="num">SLA</th>
              <th className="num">Open</th>
              <th className="num">Claimed</th>
              <th className="num">Snoozed</th>
              <th className="num">Pending approval</th>
              <th className="num">Past SLA</th>
              <th className="num">Oldest</th>
            </tr>
          </thead>
          <tbody>
            {data.queues.map((q) => (
              <tr key={q.queue} className={q.breached > 0 ? 'breached' : ''}>
                <td>{q.name ?? q.queue}</td>
                <td className="num">{q.sla_minutes === null ? '—' : `${q.sla_minutes} min`}</td>
                <td className="num">{q.open}</td>
                <td className="num">{q.claimed}</td>
                <td className="num">{q.snoozed}</td>
                <td className="num">{q.pending_approval}</td>
                <td className="num">{q.breached}</td>
                <td className="num">
                  {q.oldest_age_minutes === null ? '—' : `${Math.round(q.oldest_age_minutes)} min`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface PrecisionRow {
  readonly key: string;
  readonly alerts: number;
  readonly confirmed_fraud: number;
  readonly legitimate: number;
  readonly inconclusive: number;
  readonly precision: number | null;
}

function PrecisionTable({ rows, what }: { readonly rows: readonly PrecisionRow[]; readonly what: string }) {
  if (rows.length === 0) return <p className="muted">No case with a disposition closed in this window.</p>;
  return (
    <table className="grid compact" data-testid="precision">
      <thead>
        <tr>
          <th>{what}</th>
          <th className="num">Alerts</th>
          <th className="num">Confirmed fraud</th>
          <th className="num">Legitimate</th>
          <th className="num">Inconclusive</th>
          <th className="num">Precision</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>
              <code>{r.key}</code>
            </td>
            <td className="num">{r.alerts}</td>
            <td className="num">{r.confirmed_fraud}</td>
            <td className="num">{r.legitimate}</td>
            <td className="num">{r.inconclusive}</td>
            <td className="num">{formatPercent(r.precision)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Kpi({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="kpi">
      <span className="muted">{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

function Chart({ title, children }: { readonly title: string; readonly children: React.ReactElement }) {
  return (
    <div className="panel chart">
      <h3>{title}</h3>
      <ResponsiveContainer width="100%" height={240}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}
