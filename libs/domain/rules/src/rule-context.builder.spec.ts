import { transaction } from './__fixtures__/transaction.fixture';
import { buildRuleContext, DEFAULT_CURRENCY_EXPONENTS, RuleGeo, RuleTransaction } from './rule-context.builder';

describe('buildRuleContext', () => {
  it('derives amount_major with the default exponent 2', () => {
    expect(buildRuleContext(transaction({ amount_minor: 123_456, currency: 'EUR' })).txn.amount_major).toBe(1234.56);
  });

  it('knows the ISO 4217 exceptions', () => {
    expect(DEFAULT_CURRENCY_EXPONENTS).toMatchObject({ JPY: 0, KWD: 3 });
    expect(buildRuleContext(transaction({ amount_minor: 5_000, currency: 'JPY' })).txn.amount_major).toBe(5000);
    expect(buildRuleContext(transaction({ amount_minor: 5_000, currency: 'KWD' })).txn.amount_major).toBe(5);
  });

  it('takes an exponent map and a default exponent', () => {
    const extras = { currencyExponents: { XTS: 4 }, defaultExponent: 0 };
    expect(buildRuleContext(transaction({ amount_minor: 12_345, currency: 'XTS' }), extras).txn).toMatchObject({
      amount_major: 1.2345,
      currency_exponent: 4n,
    });
    expect(buildRuleContext(transaction({ amount_minor: 12_345, currency: 'EUR' }), extras).txn.amount_major).toBe(
      12_345,
    );
  });

  it('gives integer fields as CEL ints (bigint)', () => {
    const { txn } = buildRuleContext(transaction({ amount_minor: 9_999, event_time: Date.UTC(2026, 0, 4, 23, 59) }));
    expect(txn).toMatchObject({
      amount_minor: 9_999n,
      hour_of_day_utc: 23n,
      day_of_week_utc: 0n,
      event_time: BigInt(Date.UTC(2026, 0, 4, 23, 59)),
    });
  });

  it('reads absent optional text as "" and keeps geo absent when unknown', () => {
    const { txn } = buildRuleContext(
      transaction({ merchant_category_code: null, device_fingerprint: null, geo: null }),
    );
    expect(txn).toBeInstanceOf(RuleTransaction);
    expect(txn).toMatchObject({ merchant_category_code: '', device_fingerprint: '' });
    expect(txn.geo).toBeUndefined();
  });

  it('wraps a known geo, unknown country as ""', () => {
    const { txn } = buildRuleContext(transaction({ geo: { lat: 1.5, lon: 2.5, country: null, city: 'Lyon' } }));
    expect(txn.geo).toBeInstanceOf(RuleGeo);
    expect(txn.geo).toMatchObject({ lat: 1.5, lon: 2.5, country: '', city: 'Lyon' });
  });

  it('defaults features to none and score to null', () => {
    expect(buildRuleContext(transaction())).toMatchObject({ features: {}, score: null });
    expect(buildRuleContext(transaction(), { features: { a: 1 }, score: 42 })).toMatchObject({
      features: { a: 1 },
      score: 42,
    });
  });
});
