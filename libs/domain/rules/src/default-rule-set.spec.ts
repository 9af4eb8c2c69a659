import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NormalizedTransaction } from '@argus/contracts';
import { EVENT_TIME, transaction } from './__fixtures__/transaction.fixture';
import { buildRuleContext } from './rule-context.builder';
import { evaluate } from './rule-set.evaluator';
import { parseRuleSet } from './rule-set.parser';

// The rule set the services load by default: it must parse, and do what its comments say.
const SOURCE = resolve(__dirname, '../../../../deploy/config/rules/default.yaml');
const ruleSet = parseRuleSet(readFileSync(SOURCE, 'utf8'), 'rules/default.yaml');

function hits(overrides: Partial<NormalizedTransaction>, features: Record<string, number> = {}): string[] {
  const result = evaluate(ruleSet, buildRuleContext(transaction(overrides), { features }));
  expect(result.errors).toEqual([]);
  return result.hits.map((hit) => `${hit.rule_id}:${hit.action}`);
}

const ATM_NIGHT = Date.UTC(2026, 2, 14, 3, 10);

describe('deploy/config/rules/default.yaml', () => {
  it('parses, with a version named after the set', () => {
    expect(ruleSet.version).toMatch(/^default@[0-9a-f]{12}$/);
    expect(ruleSet.rules.length).toBeGreaterThanOrEqual(15);
  });

  it('runs every rule with the features but one, which waits for the model score', () => {
    const scoreRules = ruleSet.rules.filter((rule) => rule.phase === 'score').map((rule) => rule.id);
    expect(scoreRules).toEqual(['very-high-score-large-amount']);
  });

  it.each<[string, Partial<NormalizedTransaction>, string[]]>([
    ['an ordinary grocery purchase', {}, []],
    ['a deny-listed card', { card_id: 'tok_demo_stolen_0001' }, ['blocked-card:BLOCK']],
    ['a deny-listed customer', { customer_id: 'cust_demo_mule_01' }, ['blocked-customer:BLOCK']],
    ['a deny-listed device', { device_fingerprint: 'dev_demo_emulator_0001' }, ['blocked-device:BLOCK']],
    [
      'a merchant in a sanctioned country',
      { merchant_country: 'KP', geo: null },
      ['sanctioned-merchant-country:BLOCK'],
    ],
    ['card present above 10,000', { amount_minor: 1_000_001 }, ['card-present-amount-limit:BLOCK']],
    ['card present at exactly 10,000', { amount_minor: 999_999 }, []],
    ['e-commerce above 1,500', { channel: 'ECOMMERCE', amount_minor: 150_001 }, ['ecommerce-high-amount:REVIEW']],
    ['e-commerce at 1,500', { channel: 'ECOMMERCE', amount_minor: 149_999 }, []],
    ['MOTO above 1,000', { channel: 'MOTO', amount_minor: 100_001 }, ['moto-high-amount:REVIEW']],
    // JPY has no minor unit: amount_minor is yen. The generic e-commerce/MOTO limits read the same raw number
    // (see the comment in the file), so they fire beside the JPY rule.
    [
      'JPY e-commerce above 200,000',
      { channel: 'ECOMMERCE', amount_minor: 200_001, currency: 'JPY' },
      ['ecommerce-high-amount:REVIEW', 'jpy-card-not-present-high-amount:REVIEW'],
    ],
    [
      'JPY MOTO above 200,000',
      { channel: 'MOTO', amount_minor: 250_000, currency: 'JPY' },
      ['jpy-card-not-present-high-amount:REVIEW', 'moto-high-amount:REVIEW'],
    ],
    [
      'JPY e-commerce at 200,000',
      { channel: 'ECOMMERCE', amount_minor: 200_000, currency: 'JPY' },
      ['ecommerce-high-amount:REVIEW'],
    ],
    [
      'EUR e-commerce above 200,000',
      { channel: 'ECOMMERCE', amount_minor: 20_000_001 },
      ['ecommerce-high-amount:REVIEW'],
    ],
    [
      'JPY mobile above 200,000 (not in the JPY rule)',
      { channel: 'MOBILE', amount_minor: 200_001, currency: 'JPY' },
      ['mobile-high-amount:REVIEW'],
    ],
    ['gambling', { merchant_category_code: '7995' }, ['high-risk-mcc:REVIEW']],
    ['quasi-cash', { merchant_category_code: '6051' }, ['high-risk-mcc:REVIEW']],
    ['an allow-listed utility', { merchant_id: 'merch_demo_power_utility' }, ['trusted-merchant:ALLOW']],
    [
      'an ATM withdrawal at night',
      { channel: 'ATM', amount_minor: 60_001, event_time: ATM_NIGHT },
      ['atm-night-withdrawal:REVIEW'],
    ],
    ['the same ATM withdrawal by day', { channel: 'ATM', amount_minor: 60_001 }, []],
    [
      'e-commerce shopper abroad',
      { channel: 'ECOMMERCE', geo: { lat: 48.85, lon: 2.35, country: 'FR', city: 'Paris' } },
      ['ecommerce-country-mismatch:FLAG'],
    ],
    ['e-commerce without location', { channel: 'ECOMMERCE', geo: null }, []],
    ['e-commerce without device', { channel: 'ECOMMERCE', device_fingerprint: null }, ['ecommerce-no-device:FLAG']],
    ['an e-commerce micro payment', { channel: 'ECOMMERCE', amount_minor: 100 }, ['card-testing-micro-amount:FLAG']],
    ['a large round amount', { amount_minor: 200_000 }, ['round-amount:FLAG']],
    ['a round amount in a zero-decimal currency', { amount_minor: 5_000, currency: 'JPY' }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(hits(overrides)).toEqual(expected);
  });

  it('reviews a velocity burst when the feature is there, and ignores it when it is not', () => {
    expect(hits({}, { card_count_1h: 12 })).toEqual(['velocity-burst:REVIEW']);
    expect(hits({}, {})).toEqual([]);
  });

  it('reviews more than five payments on the card within a minute, when the feature is there', () => {
    expect(hits({}, { card_count_1m: 6 })).toEqual(['velocity-60s:REVIEW']);
    expect(hits({}, { card_count_1m: 5 })).toEqual([]);
    const result = evaluate(ruleSet, buildRuleContext(transaction(), { features: { card_count_1m: 7 } }));
    expect(result.hits[0]?.reason).toBe('7 payments on this card in the last minute');
  });

  describe('very-high-score-large-amount (score phase)', () => {
    const scored = (score: number | null, amountMinor: number) =>
      evaluate(ruleSet, buildRuleContext(transaction({ amount_minor: amountMinor }), { score }), 'score');

    it('blocks a near-certain score on more than 500, naming the score', () => {
      const result = scored(98, 50_001);
      expect(result.errors).toEqual([]);
      expect(result.hits.map((hit) => `${hit.rule_id}:${hit.action}`)).toEqual(['very-high-score-large-amount:BLOCK']);
      expect(result.hits[0]?.reason).toBe('Model score 98 on a payment of 500.01 EUR');
    });

    it.each<[string, number | null, number]>([
      ['a score below 97', 96.9, 50_001],
      ['an amount of exactly 500', 99, 50_000],
      ['no score (no model answered)', null, 50_001],
    ])('does not fire on %s', (_name, score, amountMinor) => {
      const result = scored(score, amountMinor);
      expect(result).toEqual({ ruleSetVersion: ruleSet.version, hits: [], errors: [] });
    });

    it('is left out of the transaction phase, where there is no score yet', () => {
      const context = buildRuleContext(transaction({ amount_minor: 50_001 }), { score: 99 });
      expect(evaluate(ruleSet, context, 'transaction').hits).toEqual([]);
    });
  });

  it('reports several hits highest priority first', () => {
    const result = evaluate(
      ruleSet,
      buildRuleContext(
        transaction({
          card_id: 'tok_demo_stolen_0001',
          channel: 'ECOMMERCE',
          amount_minor: 200_000,
          merchant_category_code: '6051',
          device_fingerprint: null,
          event_time: EVENT_TIME,
        }),
      ),
    );
    expect(result.hits.map((hit) => hit.rule_id)).toEqual([
      'blocked-card',
      'ecommerce-high-amount',
      'high-risk-mcc',
      'ecommerce-no-device',
      'round-amount',
    ]);
    expect(result.hits[1]?.reason).toBe('Amount 2000.00 EUR above e-commerce review threshold of 1,500');
  });
});
