import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Alert } from '../api/client';

/** The model's top factors as bars: what raised the risk (red) and what lowered it (green), in log-odds. */
export function FactorBars({ factors }: { readonly factors: Alert['factors'] }) {
  const data = factors
    .filter((f) => f.contribution !== null)
    .map((f) => ({ feature: f.feature, contribution: f.contribution as number, message: f.message }));
  if (data.length === 0) return <p className="muted">The model gave no factors for this decision.</p>;
  return (
    <div className="factors" data-testid="factors">
      <ResponsiveContainer width="100%" height={36 + data.length * 30}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" />
          <YAxis type="category" dataKey="feature" width={190} tick={{ fontSize: 12 }} />
          <ReferenceLine x={0} stroke="#666" />
          <Tooltip formatter={(value) => [Number(value).toFixed(2), 'contribution (log-odds)']} />
          <Bar dataKey="contribution" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.feature} fill={d.contribution >= 0 ? '#c0392b' : '#27ae60'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="factor-words">
        {factors.map((f) => (
          <li key={f.feature}>{f.message}</li>
        ))}
      </ul>
    </div>
  );
}
