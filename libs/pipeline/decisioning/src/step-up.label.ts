import type { Label, StepUpResult } from '@argus/contracts';

/**
 * The label a step-up outcome gives its transaction (source STEP_UP): a cardholder who authenticated is
 * LEGITIMATE, a failed challenge is FRAUD; an abandoned one is no evidence either way (no label).
 */
export function stepUpLabel(result: StepUpResult, eventTime: number | null = null): Label | null {
  if (result.outcome === 'ABANDONED') return null;
  return {
    transaction_id: result.transaction_id,
    card_id: result.card_id,
    label: result.outcome === 'PASSED' ? 'LEGITIMATE' : 'FRAUD',
    source: 'STEP_UP',
    reported_at: result.completed_at,
    event_time: eventTime,
    note: `${result.method} step-up ${result.outcome.toLowerCase()} (reported by ${result.client_id})`,
  };
}
