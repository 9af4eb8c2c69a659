import { DAY, History, HOUR, LONDON, NEW_YORK, T0, type Features } from './testing/history.builder';

const NEW = ['merchant', 'device', 'country', 'channel', 'terminal'].map((d) => `card_new_${d}`);
const novelty = (f: Features) => NEW.map((name) => f[name]);

describe('novelty features', () => {
  it('says 1 the first time a card meets a merchant, device, country, channel or terminal, then 0', () => {
    const history = new History();
    expect(novelty(history.add({ event_time: T0 }))).toEqual([1, 1, 1, 1, 1]);
    expect(novelty(history.add({ event_time: T0 + HOUR }))).toEqual([0, 0, 0, 0, 0]);
    const elsewhere = history.add({
      event_time: T0 + 2 * HOUR,
      merchant_id: 'mer-2',
      device_fingerprint: 'dev-2',
      merchant_country: 'GB',
      channel: 'ECOMMERCE',
      terminal_id: 'term-2',
    });
    expect(novelty(elsewhere)).toEqual([1, 1, 1, 1, 1]);
    expect(novelty(history.add({ event_time: T0 + 3 * HOUR, merchant_id: 'mer-2' }))).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps novelty per card', () => {
    const history = new History();
    history.add({ card_id: 'card-1' });
    expect(novelty(history.add({ card_id: 'card-2', event_time: T0 + HOUR }))).toEqual([1, 1, 1, 1, 1]);
  });

  it('is NaN when the transaction has no such value, and a missing value is not remembered as one', () => {
    const history = new History();
    const bare = history.add({ device_fingerprint: null, terminal_id: null, merchant_country: null });
    expect(novelty(bare)).toEqual([1, Number.NaN, Number.NaN, 1, Number.NaN]);
    const full = history.add({ event_time: T0 + HOUR });
    expect(novelty(full)).toEqual([0, 1, 1, 0, 1]);
  });

  it('takes the country from geo first, else from the merchant', () => {
    const history = new History();
    expect(history.add({ geo: NEW_YORK, merchant_country: 'FR' }).card_new_country).toBe(1);
    expect(history.add({ event_time: T0 + HOUR, merchant_country: 'US' }).card_new_country).toBe(0);
    expect(history.add({ event_time: T0 + 2 * HOUR, geo: LONDON, merchant_country: 'US' }).card_new_country).toBe(1);
    // The first transaction's merchant country (FR) was not the one remembered.
    expect(history.add({ event_time: T0 + 3 * HOUR, merchant_country: 'FR' }).card_new_country).toBe(1);
  });

  it('counts days since the card was first seen', () => {
    const history = new History();
    expect(history.add({ event_time: T0 }).card_days_since_first_seen).toBe(0);
    expect(history.add({ event_time: T0 + 2 * DAY + 12 * HOUR }).card_days_since_first_seen).toBe(2.5);
    expect(history.add({ event_time: T0 + 10 * DAY }).card_days_since_first_seen).toBe(10);
  });

  // An event older than the card's first one (out of order) reads age 0, then becomes the first.
  it('reads 0 for an out-of-order event older than the first one, which then becomes the first', () => {
    const history = new History();
    history.add({ event_time: T0 + DAY });
    expect(history.add({ event_time: T0 + 18 * HOUR }).card_days_since_first_seen).toBe(0);
    expect(history.add({ event_time: T0 + 2 * DAY }).card_days_since_first_seen).toBe(1.25);
  });

  it.each([
    ['remembers a card idle for exactly 90 days', 90 * DAY, 0, 90],
    ['forgets a card idle for longer than 90 days', 90 * DAY + 1, 1, 0],
  ])('%s', (_why, gap, newMerchant, days) => {
    const history = new History();
    history.add({ event_time: T0 });
    const f = history.add({ event_time: T0 + gap });
    expect(f.card_new_merchant).toBe(newMerchant);
    expect(f.card_days_since_first_seen).toBe(days);
  });

  describe('customer new country', () => {
    it('compares with the customer’s most frequent country', () => {
      const history = new History();
      expect(history.add({ merchant_country: 'US' }).customer_new_country).toBeNaN();
      history.add({ event_time: T0 + HOUR, merchant_country: 'US' });
      history.add({ event_time: T0 + 2 * HOUR, merchant_country: 'GB' });
      expect(history.add({ event_time: T0 + 3 * HOUR, merchant_country: 'GB' }).customer_new_country).toBe(1);
      // Now US 2, GB 2: a tie goes to the smallest code, GB.
      expect(history.add({ event_time: T0 + 4 * HOUR, merchant_country: 'US' }).customer_new_country).toBe(1);
      expect(history.add({ event_time: T0 + 5 * HOUR, merchant_country: null }).customer_new_country).toBeNaN();
    });

    it('ignores earlier transactions without a country', () => {
      const history = new History();
      history.add({ merchant_country: null });
      expect(history.add({ event_time: T0 + HOUR, merchant_country: 'US' }).customer_new_country).toBeNaN();
      expect(history.add({ event_time: T0 + 2 * HOUR, merchant_country: 'GB' }).customer_new_country).toBe(1);
    });
  });
});
