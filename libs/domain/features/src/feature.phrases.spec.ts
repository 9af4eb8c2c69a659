import { FEATURE_CATALOG } from './feature.catalog';
import { describeFeature } from './feature.phrases';

describe('describeFeature', () => {
  it('has words for every feature of the catalog, for a value and for a missing one', () => {
    for (const { name } of FEATURE_CATALOG) {
      expect({ name, phrase: describeFeature(name, 2) }).toEqual({ name, phrase: expect.any(String) });
      expect({ name, phrase: describeFeature(name, Number.NaN) }).toEqual({ name, phrase: expect.any(String) });
      // No raw feature name, no "NaN", no "undefined" in what an analyst reads.
      for (const phrase of [
        describeFeature(name, 2)!,
        describeFeature(name, Number.NaN)!,
        describeFeature(name, 0.25)!,
      ])
        expect(phrase).not.toMatch(/NaN|undefined|_/);
    }
  });

  it.each([
    ['card_count_5m', 3, '3 payments on this card in the last 5 minutes'],
    ['card_count_1h', 1, '1 payment on this card in the last hour'],
    ['customer_amount_1h', 352.84, '352.84 paid by this customer in the last hour'],
    ['terminal_amount_7d', Number.NaN, 'no terminal on this payment'],
    ['device_count_1d', Number.NaN, 'no device fingerprint on this payment'],
    ['payee_distinct_cards_1d', 12, '12 cards paying this receiving account in the last day'],
    ['customer_amount_zscore', Number.NaN, "too little of the customer's history to compare"],
    ['customer_amount_zscore', -2.5, "2.50 standard deviations below the customer's usual amount"],
    ['card_new_merchant', 1, 'first payment of this card with this merchant'],
    ['card_new_device', Number.NaN, 'no device on this payment'],
    ['card_seconds_since_previous', 45, "45 seconds since the card's previous payment"],
    ['card_seconds_since_previous', 90_000, "25 hours since the card's previous payment"],
    ['card_kmh_from_previous', 4_210.6, "4211 km/h needed to get here since the card's previous payment"],
    ['terminal_fraud_rate_7d', 0.034, "3.4 % of this terminal's payments in the last 7 days reported as fraud"],
    ['mcc', 5411, 'merchant category 5411'],
    ['mcc', 742, 'merchant category 0742'],
    ['day_of_week', 0, 'Sunday'],
    ['channel_code', 1, 'channel ECOMMERCE'],
    ['customer_mcc_share', 0, 'a merchant category new to the customer'],
  ])('%s = %d reads "%s"', (name, value, phrase) => {
    expect(describeFeature(name, value)).toBe(phrase);
  });

  it('has no words for a name it does not know', () => {
    expect(describeFeature('something_else', 1)).toBeNull();
    expect(describeFeature('something_else', Number.NaN)).toBeNull();
  });
});
