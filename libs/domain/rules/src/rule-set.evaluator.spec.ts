import { transaction } from './__fixtures__/transaction.fixture';
import { buildRuleContext } from './rule-context.builder';
import { evaluate } from './rule-set.evaluator';
import { parseRuleSet } from './rule-set.parser';

function ruleSet(...rules: string[]) {
  const text = [
    'name: test',
    'lists:',
    '  blocked_cards: ["tok_stolen"]',
    '  blocked_customers: ["cust_mule"]',
    '  trusted_merchants: ["merch_utility"]',
    'rules:',
    ...rules,
  ].join('\n');
  return parseRuleSet(`${text}\n`, 'test.yaml');
}

function rule(id: string, action: string, priority: number, when: string, reason = `${id} fired`, extra = ''): string {
  return `  - { id: ${id}, action: ${action}, priority: ${priority}, reason: ${JSON.stringify(reason)}, when: ${JSON.stringify(when)}${extra} }`;
}

describe('evaluate', () => {
  it.each(['ALLOW', 'REVIEW', 'BLOCK', 'FLAG'])('reports a %s hit with its priority and reason', (action) => {
    const result = evaluate(ruleSet(rule('always', action, 7, 'true', 'Always')), buildRuleContext(transaction()));
    expect(result.hits).toEqual([{ rule_id: 'always', action, priority: 7, reason: 'Always' }]);
    expect(result.errors).toEqual([]);
  });

  it('reports nothing when no condition holds', () => {
    const result = evaluate(ruleSet(rule('never', 'BLOCK', 1, 'false')), buildRuleContext(transaction()));
    expect(result).toEqual({ ruleSetVersion: expect.stringMatching(/^test@[0-9a-f]{12}$/), hits: [], errors: [] });
  });

  it('names the rule set version it evaluated', () => {
    const set = ruleSet(rule('never', 'BLOCK', 1, 'false'));
    expect(evaluate(set, buildRuleContext(transaction())).ruleSetVersion).toBe(set.version);
  });

  it('orders hits by priority descending, then id', () => {
    const set = ruleSet(
      rule('b-low', 'FLAG', 1, 'true'),
      rule('z-high', 'BLOCK', 9, 'true'),
      rule('a-low', 'FLAG', 1, 'true'),
      rule('m-mid', 'REVIEW', 5, 'true'),
    );
    expect(evaluate(set, buildRuleContext(transaction())).hits.map((hit) => hit.rule_id)).toEqual([
      'z-high',
      'm-mid',
      'a-low',
      'b-low',
    ]);
  });

  it('skips a disabled rule', () => {
    const set = ruleSet(rule('off', 'BLOCK', 1, 'true', 'off', ', enabled: false'), rule('on', 'FLAG', 1, 'true'));
    expect(evaluate(set, buildRuleContext(transaction())).hits.map((hit) => hit.rule_id)).toEqual(['on']);
  });

  describe('lists', () => {
    const set = ruleSet(
      rule('blocked-card', 'BLOCK', 100, 'txn.card_id in lists.blocked_cards'),
      rule('blocked-customer', 'BLOCK', 100, 'txn.customer_id in lists.blocked_customers'),
      rule('trusted-merchant', 'ALLOW', 50, 'txn.merchant_id in lists.trusted_merchants'),
    );
    const fired = (overrides: Parameters<typeof transaction>[0]) =>
      evaluate(set, buildRuleContext(transaction(overrides))).hits.map((hit) => hit.rule_id);

    it('blocks a deny-listed card', () => expect(fired({ card_id: 'tok_stolen' })).toEqual(['blocked-card']));
    it('blocks a deny-listed customer', () =>
      expect(fired({ customer_id: 'cust_mule' })).toEqual(['blocked-customer']));
    it('allows an allow-listed merchant', () =>
      expect(fired({ merchant_id: 'merch_utility' })).toEqual(['trusted-merchant']));
    it('reports both a deny and an allow hit (the policy decides)', () => {
      expect(fired({ card_id: 'tok_stolen', merchant_id: 'merch_utility' })).toEqual([
        'blocked-card',
        'trusted-merchant',
      ]);
    });
    it('lets anything else through', () => expect(fired({})).toEqual([]));

    it('looks up a large list in constant time', () => {
      const items = Array.from({ length: 50_000 }, (_, i) => `"tok_${i}"`).join(', ');
      const big = parseRuleSet(
        `name: big\nlists:\n  cards: [${items}]\nrules:\n${rule('listed', 'BLOCK', 1, 'txn.card_id in lists.cards')}\n`,
        'big.yaml',
      );
      expect(evaluate(big, buildRuleContext(transaction({ card_id: 'tok_49999' }))).hits).toHaveLength(1);
      expect(evaluate(big, buildRuleContext(transaction({ card_id: 'tok_50000' }))).hits).toHaveLength(0);
    });
  });

  describe('reasons', () => {
    it('fills placeholders from the transaction, features and score', () => {
      const set = ruleSet(
        rule(
          'r',
          'REVIEW',
          1,
          'true',
          'Amount {{amount_major}} {{currency}} at {{txn.merchant_id}}, {{features.count_1h}} in 1h, score {{score}}',
        ),
      );
      const context = buildRuleContext(transaction({ amount_minor: 150_001 }), {
        features: { count_1h: 12 },
        score: 71,
      });
      expect(evaluate(set, context).hits[0]?.reason).toBe('Amount 1500.01 EUR at merch_grocer_01, 12 in 1h, score 71');
    });
  });

  describe('runtime errors', () => {
    const set = ruleSet(
      rule('needs-feature', 'REVIEW', 10, 'features.velocity_1h > 5.0'),
      rule('guarded-feature', 'REVIEW', 9, 'has(features.velocity_1h) && features.velocity_1h > 5.0'),
      rule('unguarded-geo', 'FLAG', 8, 'txn.geo.country != txn.merchant_country'),
      rule('guarded-geo', 'FLAG', 7, 'has(txn.geo) && txn.geo.country != txn.merchant_country'),
      rule('still-runs', 'FLAG', 1, 'true'),
    );

    it('records a rule that fails, and evaluates the others', () => {
      const result = evaluate(set, buildRuleContext(transaction({ geo: null })));
      expect(result.hits.map((hit) => hit.rule_id)).toEqual(['still-runs']);
      expect(result.errors).toEqual([
        { rule_id: 'needs-feature', message: 'condition failed: No such key: velocity_1h' },
        { rule_id: 'unguarded-geo', message: 'condition failed: No such key: geo' },
      ]);
    });

    it('has no error when what the rules read is there', () => {
      const result = evaluate(
        set,
        buildRuleContext(transaction({ geo: { lat: 0, lon: 0, country: 'FR', city: null } }), {
          features: { velocity_1h: 6 },
        }),
      );
      expect(result.errors).toEqual([]);
      expect(result.hits.map((hit) => hit.rule_id)).toEqual([
        'needs-feature',
        'guarded-feature',
        'unguarded-geo',
        'guarded-geo',
        'still-runs',
      ]);
    });

    it('records a condition that yields something other than a bool', () => {
      const dynamic = ruleSet(rule('dyn', 'FLAG', 1, 'dyn(txn.amount_minor)'));
      expect(evaluate(dynamic, buildRuleContext(transaction())).errors).toEqual([
        { rule_id: 'dyn', message: 'condition returned bigint 4250, not a bool' },
      ]);
    });
  });

  describe('the context conditions see', () => {
    const check = (
      when: string,
      overrides: Parameters<typeof transaction>[0] = {},
      extras: Parameters<typeof buildRuleContext>[1] = {},
    ) => {
      const result = evaluate(
        ruleSet(rule('probe', 'FLAG', 1, when)),
        buildRuleContext(transaction(overrides), extras),
      );
      expect(result.errors).toEqual([]);
      return result.hits.length === 1;
    };

    it('reads absent optional text as ""', () =>
      expect(check('txn.merchant_country == "" && txn.ip_address == ""', { merchant_country: null })).toBe(true));
    it('reads integers as CEL ints', () =>
      expect(check('txn.amount_minor % 50 == 0 && txn.amount_minor == 4250')).toBe(true));
    it('compares a double field with an int literal', () =>
      expect(check('txn.amount_major > 42 && txn.amount_major < 43')).toBe(true));
    it('derives hour and day of week in UTC', () =>
      expect(check('txn.hour_of_day_utc == 13 && txn.day_of_week_utc == 6')).toBe(true));
    it('reads attributes', () =>
      expect(check('txn.attributes["3ds"] == "Y"', { attributes: { '3ds': 'Y' } })).toBe(true));
    it('sees a null score when no model took part', () => expect(check('score == null')).toBe(true));
    it('sees the score when there is one', () =>
      expect(check('score != null && score >= 90', {}, { score: 93 })).toBe(true));
    it('reads features with a default through optional chaining', () =>
      expect(check('features.?count_1h.orValue(0.0) == 0.0')).toBe(true));
  });
});

describe('phases', () => {
  const set = ruleSet(
    rule('score-block', 'BLOCK', 900, 'score != null && score >= 95'),
    rule('score-and-amount', 'REVIEW', 800, 'score != null && score >= 60 && txn.amount_major > 1000.0'),
    rule('velocity', 'REVIEW', 500, 'has(features.card_count_1m) && features.card_count_1m > 5.0'),
    rule('deny', 'BLOCK', 1000, 'txn.card_id in lists.blocked_cards'),
  );

  it('puts a condition that reads the score in the score phase, every other one in the transaction phase', () => {
    expect(Object.fromEntries(set.rules.map((r) => [r.id, r.phase]))).toEqual({
      deny: 'transaction',
      'score-block': 'score',
      'score-and-amount': 'score',
      velocity: 'transaction',
    });
  });

  it('runs only the rules of the phase asked for', () => {
    const context = buildRuleContext(transaction({ card_id: 'tok_stolen', amount_minor: 200_000 }), {
      features: { card_count_1m: 9 },
      score: 97,
    });
    expect(evaluate(set, context, 'transaction').hits.map((hit) => hit.rule_id)).toEqual(['deny', 'velocity']);
    expect(evaluate(set, context, 'score').hits.map((hit) => hit.rule_id)).toEqual(['score-block', 'score-and-amount']);
    expect(evaluate(set, context).hits).toHaveLength(4);
  });

  it('without a score, score rules do not fire and do not fail', () => {
    const result = evaluate(set, buildRuleContext(transaction({ amount_minor: 200_000 })), 'score');
    expect(result).toMatchObject({ hits: [], errors: [] });
  });

  it('refuses a condition that reads both the score and features, naming its line', () => {
    expect(() =>
      ruleSet(
        rule('ok', 'FLAG', 1, 'true'),
        rule('mixed', 'BLOCK', 1, 'score != null && features.card_count_1m > 3.0'),
      ),
    ).toThrow(
      /test\.yaml:8:\d+: rule "mixed": condition cannot run: a condition on the model score cannot also read features/,
    );
  });
});
