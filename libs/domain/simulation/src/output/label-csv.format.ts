import type { Label } from '@argus/contracts';

/** The labels file: one line per label, sorted by `reported_at` (when the label became known). */
export const LABEL_CSV_COLUMNS = ['transaction_id', 'card_id', 'label', 'source', 'reported_at', 'event_time'] as const;

export function labelCsvLine(label: Label): string {
  const eventTime = label.event_time === null ? '' : new Date(label.event_time).toISOString();
  return `${label.transaction_id},${label.card_id},${label.label},${label.source},${new Date(label.reported_at).toISOString()},${eventTime}\n`;
}
