import type { NormalizedTransaction } from '@argus/contracts';
import { transaction } from './transaction.fixture';

/** A 20-rule set close to a production one (a 10,000-card deny list included), for the evaluation benchmark. */
export const BENCH_CONDITIONS: readonly string[] = [
  'txn.card_id in lists.blocked_cards',
  'txn.customer_id in lists.blocked_customers',
  'txn.merchant_country in lists.sanctioned',
  'txn.channel == "CARD_PRESENT" && txn.amount_major > 10000.0',
  'txn.channel == "ECOMMERCE" && txn.amount_major > 1500.0',
  'txn.channel == "MOTO" && txn.amount_major > 1000.0',
  'txn.channel == "MOBILE" && txn.amount_major > 2500.0',
  'txn.channel == "BANK_TRANSFER" && txn.amount_major > 25000.0',
  'txn.channel == "ATM" && txn.amount_major > 2000.0',
  'txn.channel == "ATM" && txn.hour_of_day_utc < 5 && txn.amount_major > 500.0',
  'txn.merchant_category_code in lists.high_risk_mccs',
  'txn.merchant_id in lists.trusted_merchants',
  'txn.channel == "ECOMMERCE" && has(txn.geo) && txn.geo.country != "" && txn.merchant_country != txn.geo.country',
  'txn.channel == "CARD_PRESENT" && has(txn.geo) && txn.merchant_country != txn.geo.country',
  'txn.channel == "ECOMMERCE" && txn.device_fingerprint == ""',
  'txn.channel == "ECOMMERCE" && txn.amount_major < 2.0',
  'txn.currency_exponent == 2 && txn.amount_minor >= 50000 && txn.amount_minor % 10000 == 0',
  'has(features.txn_count_1h) && features.txn_count_1h >= 10.0',
  'features.?amount_zscore.orValue(0.0) > 4.0 && txn.amount_major > 200.0',
  'txn.attributes.?wallet.orValue("") == "unknown" && txn.channel == "MOBILE"',
];

const ACTIONS = ['FLAG', 'REVIEW', 'BLOCK', 'ALLOW'] as const;

export const BENCH_RULE_SET = [
  'name: bench',
  'lists:',
  `  blocked_cards: [${Array.from({ length: 10_000 }, (_, i) => `"tok_blocked_${i}"`).join(', ')}]`,
  '  blocked_customers: ["cust_mule"]',
  '  sanctioned: ["KP", "IR"]',
  '  high_risk_mccs: ["6051", "7995"]',
  '  trusted_merchants: ["merch_3"]',
  'rules:',
  ...BENCH_CONDITIONS.map(
    (when, i) =>
      `  - { id: rule-${i}, action: ${ACTIONS[i % 4]}, priority: ${i}, reason: "Rule ${i}: {{amount_major}} {{currency}}", when: ${JSON.stringify(when)} }`,
  ),
  '',
].join('\n');

export const BENCH_FEATURES: Readonly<Record<string, number>> = { txn_count_1h: 3, amount_zscore: 1.2 };

const CHANNELS = ['CARD_PRESENT', 'ECOMMERCE', 'ATM', 'MOBILE', 'MOTO'] as const;

/** A varied but deterministic stream: some deny-listed cards, gambling, foreign shoppers, night ATM. */
export function benchTransactions(count: number): NormalizedTransaction[] {
  return Array.from({ length: count }, (_, i) =>
    transaction({
      transaction_id: `txn_${i}`,
      card_id: i % 97 === 0 ? `tok_blocked_${i % 10_000}` : `tok_${i}`,
      amount_minor: (i * 7919) % 3_000_000,
      channel: CHANNELS[i % CHANNELS.length],
      merchant_id: `merch_${i % 10}`,
      merchant_category_code: i % 13 === 0 ? '7995' : '5411',
      event_time: Date.UTC(2026, 2, 14, i % 24),
      geo: i % 5 === 0 ? null : { lat: 0, lon: 0, country: i % 3 === 0 ? 'FR' : 'DE', city: null },
    }),
  );
}
