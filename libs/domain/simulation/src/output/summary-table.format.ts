import type { SimulationSummary } from '../engine/summary.collector';

const HEADER = [
  'scenario',
  'kind',
  'customers',
  'cards',
  'txns',
  'fraud',
  'labelled',
  'amount USD',
  'fraud USD',
  'delay p50',
  'delay p90',
];

function hours(value: number | null): string {
  if (value === null) return '-';
  return value >= 48
    ? `${(value / 24).toFixed(1)} d`
    : value >= 1
      ? `${value.toFixed(1)} h`
      : `${Math.round(value * 60)} min`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The per-scenario summary as a fixed-width text table, with the totals under it. */
export function formatSummaryTable(summary: SimulationSummary): string {
  const rows = summary.scenarios.map((s) => [
    s.scenario,
    s.kind,
    count(s.customers),
    count(s.cards),
    count(s.transactions),
    count(s.fraud_transactions),
    count(s.labelled),
    count(Math.round(s.amount_usd)),
    count(Math.round(s.fraud_amount_usd)),
    hours(s.label_delay.p50_hours),
    hours(s.label_delay.p90_hours),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const labels = summary.labels;
  const sources = Object.entries(labels.by_source)
    .map(([source, n]) => `${source} ${count(n)}`)
    .join(', ');
  return [
    line(HEADER),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${count(summary.transactions)} transactions, ${count(summary.fraud_transactions)} fraud (${(summary.fraud_share * 100).toFixed(2)} %), ` +
      `${summary.first_event_time ?? '-'} → ${summary.last_event_time ?? '-'}`,
    `${count(labels.total)} labels: ${count(labels.fraud)} FRAUD, ${count(labels.legitimate)} LEGITIMATE (${sources || 'none'}); last reported ${labels.last_reported_at ?? '-'}`,
    '',
  ].join('\n');
}
