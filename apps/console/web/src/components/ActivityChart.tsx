import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { Activity } from '../api/client';
import { currencyExponent, formatTime } from '../lib/format';

const COLOURS = { APPROVE: '#27ae60', REVIEW: '#e67e22', BLOCK: '#c0392b' } as const;

/** The card's recent decisions over time: amount (major units) by when it happened, coloured by outcome. */
export function ActivityChart({ activity }: { readonly activity: readonly Activity[] }) {
  if (activity.length === 0) return <p className="muted">No other decision on record for this card.</p>;
  const points = activity.map((a) => ({
    t: Date.parse(a.event_time),
    amount: a.amount.minor / 10 ** currencyExponent(a.amount.currency),
    outcome: a.outcome,
    label: `${formatTime(a.event_time)} · ${a.amount.currency} · ${a.merchant_id ?? 'no merchant'} · ${a.outcome}`,
  }));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <ScatterChart margin={{ left: 8, right: 16, top: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          domain={['dataMin', 'dataMax']}
          name="time"
          tickFormatter={(t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ')}
        />
        <YAxis dataKey="amount" name="amount" />
        <ZAxis range={[60, 60]} />
        <Tooltip
          formatter={(value, name) => [
            name === 'time' ? formatTime(new Date(Number(value)).toISOString()) : value,
            name,
          ]}
        />
        {(['APPROVE', 'REVIEW', 'BLOCK'] as const).map((outcome) => (
          <Scatter
            key={outcome}
            name={outcome}
            data={points.filter((p) => p.outcome === outcome)}
            fill={COLOURS[outcome]}
            isAnimationActive={false}
          />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
}
