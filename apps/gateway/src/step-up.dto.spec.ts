import { GatewayError } from './gateway.errors';
import { MAX_CLOCK_SKEW_MS, parseStepUpReport } from './step-up.dto';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const ok = {
  transaction_id: 'txn-1',
  method: 'THREE_DS',
  outcome: 'PASSED',
  completed_at: '2026-11-23T09:59:30Z',
};

function fieldErrors(body: unknown) {
  try {
    parseStepUpReport(body, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('INVALID_STEP_UP_RESULT');
    return (error as GatewayError).fieldErrors!.map(({ field, code }) => [field, code]);
  }
  throw new Error('expected the body to be refused');
}

describe('parseStepUpReport', () => {
  describe('ok', () => {
    it('reads a complete body, time to UTC epoch millis', () => {
      expect(parseStepUpReport(ok, NOW)).toEqual({
        transaction_id: 'txn-1',
        card_id: null,
        method: 'THREE_DS',
        outcome: 'PASSED',
        completed_at: Date.UTC(2026, 10, 23, 9, 59, 30),
      });
    });

    it('takes card_id and an offset time, trims identifiers', () => {
      expect(
        parseStepUpReport(
          {
            ...ok,
            transaction_id: ' txn-2 ',
            card_id: 'tok_abc',
            outcome: 'ABANDONED',
            completed_at: '2026-11-23T11:00:00+02:00',
          },
          NOW,
        ),
      ).toMatchObject({
        transaction_id: 'txn-2',
        card_id: 'tok_abc',
        outcome: 'ABANDONED',
        completed_at: NOW - 3_600_000,
      });
    });

    it('allows a little clock skew into the future', () => {
      const soon = new Date(NOW + MAX_CLOCK_SKEW_MS).toISOString();
      expect(parseStepUpReport({ ...ok, completed_at: soon }, NOW).completed_at).toBe(NOW + MAX_CLOCK_SKEW_MS);
    });
  });

  describe('not ok', () => {
    it('names every invalid field at once', () => {
      expect(fieldErrors({ transaction_id: '', method: 'SMS', outcome: 'passed', extra: 1 })).toEqual(
        expect.arrayContaining([
          ['transaction_id', 'INVALID_FORMAT'],
          ['method', 'INVALID_FORMAT'],
          ['outcome', 'INVALID_FORMAT'],
          ['completed_at', 'MISSING_FIELD'],
          ['extra', 'INVALID_FORMAT'],
        ]),
      );
    });

    it.each([
      [{ ...ok, transaction_id: undefined }, 'transaction_id', 'MISSING_FIELD'],
      [{ ...ok, transaction_id: 42 }, 'transaction_id', 'INVALID_FORMAT'],
      [{ ...ok, transaction_id: 'has space' }, 'transaction_id', 'INVALID_FORMAT'],
      [{ ...ok, transaction_id: 'x'.repeat(129) }, 'transaction_id', 'FIELD_TOO_LONG'],
      [{ ...ok, card_id: '4111111111111111' }, 'card_id', 'CONTAINS_PAN'],
      [{ ...ok, transaction_id: 'order-4111111111111111' }, 'transaction_id', 'CONTAINS_PAN'],
      [{ ...ok, completed_at: '2026-11-23T09:59:30' }, 'completed_at', 'INVALID_FORMAT'],
      [{ ...ok, completed_at: 'yesterday' }, 'completed_at', 'INVALID_FORMAT'],
      [{ ...ok, completed_at: 1_700_000_000_000 }, 'completed_at', 'INVALID_FORMAT'],
      [{ ...ok, completed_at: '2026-11-23T12:00:00Z' }, 'completed_at', 'EVENT_TIME_IN_FUTURE'],
    ])('%j: %s %s', (body, field, code) => {
      expect(fieldErrors(body)).toEqual([[field, code]]);
    });

    it.each([null, [], 'text', 7])('refuses a body that is not an object (%j)', (body) => {
      expect(fieldErrors(body)).toEqual([['body', 'INVALID_FORMAT']]);
    });

    it('never repeats a submitted value in a message', () => {
      try {
        parseStepUpReport({ ...ok, card_id: '4111111111111111', method: '4111111111111111' }, NOW);
      } catch (error) {
        expect(
          JSON.stringify({ message: (error as Error).message, fields: (error as GatewayError).fieldErrors }),
        ).not.toContain('4111111111111111');
        return;
      }
      throw new Error('expected the body to be refused');
    });
  });
});
