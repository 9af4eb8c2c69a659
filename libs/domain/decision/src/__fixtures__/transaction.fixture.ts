import type { NormalizedTransaction } from '@argus/contracts';

/** 2026-03-14 13:45:00 UTC, a Saturday. */
export const EVENT_TIME = Date.UTC(2026, 2, 14, 13, 45, 0);

/** An ordinary domestic card-present purchase that no default rule should stop. */
export function transaction(overrides: Partial<NormalizedTransaction> = {}): NormalizedTransaction {
  return {
    transaction_id: 'txn_0001',
    event_time: EVENT_TIME,
    ingested_at: EVENT_TIME + 12,
    source: 'KAFKA',
    card_id: 'tok_card_0001',
    card_bin: '411111',
    card_last4: '1111',
    customer_id: 'cust_0001',
    account_id: null,
    amount_minor: 4_250,
    currency: 'EUR',
    merchant_id: 'merch_grocer_01',
    merchant_category_code: '5411',
    merchant_country: 'DE',
    terminal_id: 'term_01',
    channel: 'CARD_PRESENT',
    payment_method: 'CARD',
    device_fingerprint: 'dev_01',
    ip_address: null,
    geo: { lat: 52.52, lon: 13.405, country: 'DE', city: 'Berlin' },
    attributes: {},
    ...overrides,
  };
}
