import type { NormalizedTransaction } from '@argus/contracts';
import { DAY, History, HOUR, MINUTE, T0, type Features } from './testing/history.builder';

const deviceCards = (f: Features) => ['1h', '1d', '7d'].map((w) => f[`device_distinct_cards_${w}`]);
const payeeCards = (f: Features) => ['1h', '1d', '7d'].map((w) => f[`payee_distinct_cards_${w}`]);
const payeeCustomers = (f: Features) => ['1d', '7d'].map((w) => f[`payee_distinct_customers_${w}`]);

describe('network features', () => {
  it('counts distinct cards per device in 1h, 1d and 7d', () => {
    const history = new History();
    const on = (offset: number, card: string) => history.add({ event_time: T0 + offset, card_id: card });
    on(0, 'card-1');
    on(30 * MINUTE, 'card-2');
    expect(deviceCards(on(50 * MINUTE, 'card-1'))).toEqual([2, 2, 2]);
    // card-1 and card-2 were last seen 70 and 90 minutes ago.
    expect(deviceCards(on(2 * HOUR, 'card-3'))).toEqual([1, 3, 3]);
    expect(deviceCards(on(2 * DAY, 'card-4'))).toEqual([1, 1, 4]);
    expect(deviceCards(on(9 * DAY, 'card-4'))).toEqual([1, 1, 1]);
  });

  it('counts a card seen exactly one window earlier', () => {
    const history = new History();
    history.add({ event_time: T0, card_id: 'card-1' });
    expect(deviceCards(history.add({ event_time: T0 + HOUR, card_id: 'card-2' }))).toEqual([2, 2, 2]);
    expect(deviceCards(history.add({ event_time: T0 + HOUR + 1, card_id: 'card-3' }))).toEqual([2, 3, 3]);
  });

  it('is NaN without a device', () => {
    expect(deviceCards(new History().add({ device_fingerprint: null }))).toEqual([NaN, NaN, NaN]);
  });

  describe('receiving accounts (payees)', () => {
    const toPayee = (more: Partial<NormalizedTransaction>): Partial<NormalizedTransaction> => ({
      attributes: { payee_account: 'acct-9' },
      ...more,
    });

    it('grows fan-in with each new card and customer, not with a repeat', () => {
      const history = new History();
      const pay = (offset: number, card: string, customer: string) =>
        history.add(toPayee({ event_time: T0 + offset, card_id: card, customer_id: customer }));
      const steps = [
        pay(0, 'card-1', 'cus-1'),
        pay(10 * MINUTE, 'card-2', 'cus-2'),
        pay(20 * MINUTE, 'card-2', 'cus-2'),
        pay(30 * MINUTE, 'card-3', 'cus-2'),
      ];
      expect(steps.map((f) => f.payee_distinct_cards_1h)).toEqual([1, 2, 2, 3]);
      expect(steps.map((f) => f.payee_distinct_customers_1d)).toEqual([1, 2, 2, 2]);
      const later = pay(2 * HOUR, 'card-4', 'cus-3');
      expect(payeeCards(later)).toEqual([1, 4, 4]);
      expect(payeeCustomers(later)).toEqual([3, 3]);
      // A week and a minute after card-3 / cus-2: only card-4 / cus-3 and the new pair remain.
      const nextWeek = pay(7 * DAY + 31 * MINUTE, 'card-5', 'cus-4');
      expect(payeeCards(nextWeek)).toEqual([1, 1, 2]);
      expect(payeeCustomers(nextWeek)).toEqual([1, 2]);
    });

    it('takes the payee_account attribute over the merchant of an account transfer', () => {
      const history = new History();
      history.add(toPayee({ card_id: 'card-1' }));
      const f = history.add(
        toPayee({
          event_time: T0 + MINUTE,
          card_id: 'card-2',
          payment_method: 'ACCOUNT_TRANSFER',
          merchant_id: 'bank-x',
        }),
      );
      expect(payeeCards(f)).toEqual([2, 2, 2]);
    });

    it('falls back to the merchant of an account transfer', () => {
      const history = new History();
      const transfer = { payment_method: 'ACCOUNT_TRANSFER', merchant_id: 'acct-7' } as const;
      history.add({ ...transfer, card_id: 'card-1', attributes: { payee_account: '' } });
      const f = history.add({ ...transfer, event_time: T0 + MINUTE, card_id: 'card-2', customer_id: 'cus-2' });
      expect(payeeCards(f)).toEqual([2, 2, 2]);
      expect(payeeCustomers(f)).toEqual([2, 2]);
    });

    it('is NaN for a card payment without a payee', () => {
      expect(payeeCards(new History().add({}))).toEqual([NaN, NaN, NaN]);
      expect(payeeCustomers(new History().add({ attributes: { payee_account: '' } }))).toEqual([NaN, NaN]);
    });
  });
});
