import { Channel, IntakeSource, PaymentMethod, type NormalizedTransaction, type Transaction } from '@argus/contracts';
import { PanTokeniser } from './pan.tokeniser';
import { FieldErrorCode, TransactionValidationError } from './transaction.errors';
import { normaliseTransaction, type NormaliseContext } from './transaction.normaliser';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const PAN = '4111111111111111';
const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.alloc(32, 7) });
const TOKEN = tokeniser.tokenise(PAN);
const ctx: NormaliseContext = { source: IntakeSource.KAFKA, now: NOW, tokeniser };

function transaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    transaction_id: 'tx-0001',
    event_time: NOW - MINUTE,
    card_id: null,
    pan: PAN,
    customer_id: 'cust-42',
    account_id: null,
    amount_minor: 1250,
    currency: 'EUR',
    merchant_id: 'Boulangerie Dupont, Paris',
    merchant_category_code: '5462',
    merchant_country: 'FR',
    terminal_id: 'T-9',
    channel: Channel.CARD_PRESENT,
    payment_method: PaymentMethod.CARD,
    device_fingerprint: null,
    ip_address: null,
    geo: { lat: 48.8566, lon: 2.3522, country: 'FR', city: 'Paris' },
    attributes: { auth_code: 'A1B2C3' },
    ...overrides,
  };
}

function failure(input: Transaction, context: NormaliseContext = ctx): TransactionValidationError {
  try {
    normaliseTransaction(input, context);
  } catch (error) {
    if (error instanceof TransactionValidationError) return error;
    throw error;
  }
  throw new Error('expected a TransactionValidationError');
}

/** Everything a caller could log or publish from a result or an error. */
function exposed(value: NormalizedTransaction | TransactionValidationError): string {
  return value instanceof Error
    ? JSON.stringify({ message: value.message, stack: value.stack, errors: value.fieldErrors, id: value.transactionId })
    : JSON.stringify(value);
}

/** The PAN's digits, with or without grouping separators. */
const panPattern = (pan: string): RegExp => new RegExp(pan.split('').join('[ -]?'));

describe('normaliseTransaction', () => {
  it('tokenises the PAN and stamps source and ingestion time', () => {
    const result = normaliseTransaction(transaction(), { ...ctx, source: IntakeSource.WEBHOOK });
    expect(result).toEqual({
      transaction_id: 'tx-0001',
      event_time: NOW - MINUTE,
      ingested_at: NOW,
      source: IntakeSource.WEBHOOK,
      card_id: TOKEN,
      card_bin: '411111',
      card_last4: '1111',
      customer_id: 'cust-42',
      account_id: null,
      amount_minor: 1250,
      currency: 'EUR',
      merchant_id: 'Boulangerie Dupont, Paris',
      merchant_category_code: '5462',
      merchant_country: 'FR',
      terminal_id: 'T-9',
      channel: Channel.CARD_PRESENT,
      payment_method: PaymentMethod.CARD,
      device_fingerprint: null,
      ip_address: null,
      geo: { lat: 48.8566, lon: 2.3522, country: 'FR', city: 'Paris' },
      attributes: { auth_code: 'A1B2C3' },
    });
    expect(result).not.toHaveProperty('pan');
  });

  const ok: Array<[string, Partial<Transaction>, Partial<NormalizedTransaction>]> = [
    [
      'trims strings and upper-cases codes',
      {
        transaction_id: '  tx-1 ',
        currency: ' eur ',
        merchant_country: 'fr',
        customer_id: ' c1 ',
        geo: { lat: 1, lon: 2, country: 'de', city: ' Berlin ' },
      },
      { transaction_id: 'tx-1', currency: 'EUR', merchant_country: 'FR', customer_id: 'c1' },
    ],
    [
      'keeps a processor card token when there is no PAN',
      { pan: null, card_id: 'card-123' },
      { card_id: 'card-123', card_bin: null, card_last4: null },
    ],
    [
      'tokenises a clear PAN sent in card_id',
      { pan: null, card_id: PAN },
      { card_id: TOKEN, card_bin: '411111', card_last4: '1111' },
    ],
    [
      'tokenises a grouped clear PAN sent in card_id',
      { pan: null, card_id: '4111-1111-1111-1111' },
      { card_id: TOKEN, card_bin: '411111', card_last4: '1111' },
    ],
    ['lets pan win over card_id', { card_id: 'card-123' }, { card_id: TOKEN }],
    ['accepts a grouped pan', { pan: '4111 1111 1111 1111' }, { card_id: TOKEN }],
    ['gives customer_id equal to the PAN the card token', { customer_id: PAN }, { customer_id: TOKEN }],
    [
      'gives a grouped account_id equal to the PAN the card token',
      { account_id: '4111 1111 1111 1111' },
      { account_id: TOKEN },
    ],
    [
      'gives customer_id equal to a PAN found in card_id the card token',
      { pan: null, card_id: PAN, customer_id: PAN },
      { card_id: TOKEN, customer_id: TOKEN },
    ],
    [
      'keeps a Luhn-valid customer_id that is not this card number',
      { customer_id: '5555555555554444' },
      { customer_id: '5555555555554444' },
    ],
    [
      'keeps BIN and last four of a 15-digit PAN',
      { pan: '378282246310005' },
      { card_bin: '378282', card_last4: '0005' },
    ],
    ['keeps only the last four of a 12-digit PAN', { pan: '630423337322' }, { card_bin: null, card_last4: '7322' }],
    ['keeps only the last four of a 14-digit PAN', { pan: '30569309025904' }, { card_bin: null, card_last4: '5904' }],
    ['accepts JPY at its own limit', { currency: 'JPY', amount_minor: 200_000_000 }, { amount_minor: 200_000_000 }],
    [
      'accepts 2 million dong (about 80 dollars)',
      { currency: 'VND', amount_minor: 2_000_000 },
      { amount_minor: 2_000_000 },
    ],
    [
      'accepts KWD at the default limit',
      { currency: 'KWD', amount_minor: 1_000_000_000 },
      { amount_minor: 1_000_000_000 },
    ],
    ['accepts EUR at the default limit', { amount_minor: 100_000_000 }, { amount_minor: 100_000_000 }],
    ['accepts an event 5 minutes ahead', { event_time: NOW + 5 * MINUTE }, { event_time: NOW + 5 * MINUTE }],
    ['accepts an event 30 days old', { event_time: NOW - 30 * DAY }, { event_time: NOW - 30 * DAY }],
    [
      'turns blank optional strings into null',
      { merchant_category_code: ' ', merchant_country: '', ip_address: '', terminal_id: '  ' },
      { merchant_category_code: null, merchant_country: null, ip_address: null, terminal_id: null },
    ],
    ['accepts IPv4', { ip_address: ' 192.0.2.10 ' }, { ip_address: '192.0.2.10' }],
    ['lower-cases IPv6', { ip_address: '2001:DB8::1' }, { ip_address: '2001:db8::1' }],
    ['accepts the poles and the antimeridian', { geo: { lat: -90, lon: 180, country: null, city: null } }, {}],
    ['accepts no geo', { geo: null }, { geo: null }],
    ['accepts 32 attributes', { attributes: attributes(32) }, { attributes: attributes(32) }],
  ];

  it.each(ok)('%s', (_name, overrides, expected) => {
    const result = normaliseTransaction(transaction(overrides), ctx);
    expect(result).toMatchObject(expected);
    expect(exposed(result)).not.toMatch(panPattern(PAN));
  });

  it('accepts a larger amount for a currency given its own limit', () => {
    const limits = { maxAmountMajorByCurrency: { JPY: 150_000_000 } };
    const input = transaction({ currency: 'JPY', amount_minor: 100_000_000 });
    expect(normaliseTransaction(input, { ...ctx, limits }).amount_minor).toBe(100_000_000);
    expect(failure(transaction({ amount_minor: 100_000_001 }), { ...ctx, limits }).fieldErrors[0].code).toBe(
      FieldErrorCode.AMOUNT_OVER_LIMIT,
    );
  });

  it('accepts old history when maxAgeDays is raised (replays)', () => {
    const input = transaction({ event_time: Date.parse('2019-01-01T00:00:18Z') });
    expect(() => normaliseTransaction(input, ctx)).toThrow(TransactionValidationError);
    expect(normaliseTransaction(input, { ...ctx, limits: { maxAgeDays: 365 * 10 } }).event_time).toBe(input.event_time);
  });

  it('keeps an attribute named __proto__ as plain data', () => {
    const attributesWithProto = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const result = normaliseTransaction(transaction({ attributes: attributesWithProto }), ctx);
    expect(Object.getPrototypeOf(result.attributes)).toBe(Object.prototype);
    expect(Object.keys(result.attributes)).toEqual(['__proto__', 'a']);
  });

  const notOk: Array<[string, Partial<Transaction>, string, FieldErrorCode]> = [
    ['a blank transaction_id', { transaction_id: '   ' }, 'transaction_id', FieldErrorCode.MISSING_FIELD],
    ['a too long transaction_id', { transaction_id: 'x'.repeat(129) }, 'transaction_id', FieldErrorCode.FIELD_TOO_LONG],
    ['a transaction_id with a space', { transaction_id: 'tx 1' }, 'transaction_id', FieldErrorCode.INVALID_FORMAT],
    [
      'a transaction_id holding the PAN',
      { transaction_id: `tx-${PAN}` },
      'transaction_id',
      FieldErrorCode.CONTAINS_PAN,
    ],
    ['an empty customer_id', { customer_id: '' }, 'customer_id', FieldErrorCode.MISSING_FIELD],
    ['a customer_id holding the PAN', { customer_id: `c-${PAN}` }, 'customer_id', FieldErrorCode.CONTAINS_PAN],
    ['a too long account_id', { account_id: 'a'.repeat(129) }, 'account_id', FieldErrorCode.FIELD_TOO_LONG],
    ['a blank merchant_id', { merchant_id: ' ' }, 'merchant_id', FieldErrorCode.MISSING_FIELD],
    ['a merchant_id with a line break', { merchant_id: 'shop\nname' }, 'merchant_id', FieldErrorCode.INVALID_FORMAT],
    ['a merchant_id holding the PAN', { merchant_id: `shop ${PAN}` }, 'merchant_id', FieldErrorCode.CONTAINS_PAN],
    ['a too long terminal_id', { terminal_id: 't'.repeat(65) }, 'terminal_id', FieldErrorCode.FIELD_TOO_LONG],
    [
      'a too long device_fingerprint',
      { device_fingerprint: 'd'.repeat(257) },
      'device_fingerprint',
      FieldErrorCode.FIELD_TOO_LONG,
    ],
    ['a zero amount', { amount_minor: 0 }, 'amount_minor', FieldErrorCode.AMOUNT_NOT_POSITIVE],
    ['a negative amount', { amount_minor: -5 }, 'amount_minor', FieldErrorCode.AMOUNT_NOT_POSITIVE],
    ['a fractional amount', { amount_minor: 10.5 }, 'amount_minor', FieldErrorCode.INVALID_FORMAT],
    ['a NaN amount', { amount_minor: Number.NaN }, 'amount_minor', FieldErrorCode.INVALID_FORMAT],
    ['EUR over the limit', { amount_minor: 100_000_001 }, 'amount_minor', FieldErrorCode.AMOUNT_OVER_LIMIT],
    [
      'JPY over its own limit (200 million yen, about a million dollars)',
      { currency: 'JPY', amount_minor: 200_000_001 },
      'amount_minor',
      FieldErrorCode.AMOUNT_OVER_LIMIT,
    ],
    [
      'KWD over the limit',
      { currency: 'KWD', amount_minor: 1_000_000_001 },
      'amount_minor',
      FieldErrorCode.AMOUNT_OVER_LIMIT,
    ],
    [
      'VND over its own limit',
      { currency: 'VND', amount_minor: 30_000_000_001 },
      'amount_minor',
      FieldErrorCode.AMOUNT_OVER_LIMIT,
    ],
    ['an unknown currency', { currency: 'XXX' }, 'currency', FieldErrorCode.UNKNOWN_CURRENCY],
    ['a withdrawn currency', { currency: 'HRK' }, 'currency', FieldErrorCode.UNKNOWN_CURRENCY],
    ['a currency name', { currency: 'EURO' }, 'currency', FieldErrorCode.UNKNOWN_CURRENCY],
    ['a missing currency', { currency: '' }, 'currency', FieldErrorCode.MISSING_FIELD],
    ['an event in the future', { event_time: NOW + 5 * MINUTE + 1 }, 'event_time', FieldErrorCode.EVENT_TIME_IN_FUTURE],
    ['an event too old', { event_time: NOW - 30 * DAY - 1 }, 'event_time', FieldErrorCode.EVENT_TIME_TOO_OLD],
    ['a fractional event time', { event_time: NOW - 0.5 }, 'event_time', FieldErrorCode.INVALID_FORMAT],
    ['a 3-digit MCC', { merchant_category_code: '541' }, 'merchant_category_code', FieldErrorCode.INVALID_MCC],
    ['a 5-digit MCC', { merchant_category_code: '54111' }, 'merchant_category_code', FieldErrorCode.INVALID_MCC],
    ['an MCC with a letter', { merchant_category_code: '54a1' }, 'merchant_category_code', FieldErrorCode.INVALID_MCC],
    ['an unknown merchant country', { merchant_country: 'XX' }, 'merchant_country', FieldErrorCode.INVALID_COUNTRY],
    ['an alpha-3 merchant country', { merchant_country: 'USA' }, 'merchant_country', FieldErrorCode.INVALID_COUNTRY],
    ['a user-assigned country', { merchant_country: 'XK' }, 'merchant_country', FieldErrorCode.INVALID_COUNTRY],
    [
      'an unknown geo country',
      { geo: { lat: 1, lon: 1, country: 'ZZ', city: null } },
      'geo.country',
      FieldErrorCode.INVALID_COUNTRY,
    ],
    [
      'a latitude above 90',
      { geo: { lat: 90.5, lon: 1, country: null, city: null } },
      'geo.lat',
      FieldErrorCode.INVALID_GEO,
    ],
    [
      'a longitude below -180',
      { geo: { lat: 1, lon: -181, country: null, city: null } },
      'geo.lon',
      FieldErrorCode.INVALID_GEO,
    ],
    [
      'a NaN latitude',
      { geo: { lat: Number.NaN, lon: 1, country: null, city: null } },
      'geo.lat',
      FieldErrorCode.INVALID_GEO,
    ],
    [
      'a city holding the PAN',
      { geo: { lat: 1, lon: 1, country: null, city: PAN } },
      'geo.city',
      FieldErrorCode.CONTAINS_PAN,
    ],
    ['an IPv4 octet above 255', { ip_address: '999.1.1.1' }, 'ip_address', FieldErrorCode.INVALID_FORMAT],
    ['a host name as IP', { ip_address: 'example.com' }, 'ip_address', FieldErrorCode.INVALID_FORMAT],
    ['a PAN failing Luhn', { pan: '4111111111111112' }, 'pan', FieldErrorCode.INVALID_PAN],
    ['an 11-digit PAN', { pan: '60495593109' }, 'pan', FieldErrorCode.INVALID_PAN],
    ['a 20-digit PAN', { pan: '62123456789012345690' }, 'pan', FieldErrorCode.INVALID_PAN],
    ['a PAN with letters', { pan: '4111-1111-abcd-1111' }, 'pan', FieldErrorCode.INVALID_PAN],
    ['neither pan nor card_id', { pan: null, card_id: null }, 'card_id', FieldErrorCode.MISSING_CARD],
    ['blank pan and card_id', { pan: ' ', card_id: '' }, 'card_id', FieldErrorCode.MISSING_CARD],
    ['a card_id with a space', { pan: null, card_id: 'card 1' }, 'card_id', FieldErrorCode.INVALID_FORMAT],
    ['33 attributes', { attributes: attributes(33) }, 'attributes', FieldErrorCode.TOO_MANY_ATTRIBUTES],
    [
      'a too long attribute value',
      { attributes: { note: 'n'.repeat(257) } },
      'attributes.note',
      FieldErrorCode.FIELD_TOO_LONG,
    ],
    [
      'a too long attribute key',
      { attributes: { ['k'.repeat(65)]: 'v' } },
      `attributes.${'k'.repeat(64)}`,
      FieldErrorCode.FIELD_TOO_LONG,
    ],
    [
      'an attribute key with a space',
      { attributes: { 'bad key': 'v' } },
      'attributes.bad key',
      FieldErrorCode.INVALID_FORMAT,
    ],
    [
      'an attribute value holding the PAN',
      { attributes: { note: 'card 4111 1111 1111 1111' } },
      'attributes.note',
      FieldErrorCode.CONTAINS_PAN,
    ],
    ['an unknown channel', { channel: 'FAX' as Channel }, 'channel', FieldErrorCode.INVALID_FORMAT],
    [
      'an unknown payment method',
      { payment_method: 'CHEQUE' as PaymentMethod },
      'payment_method',
      FieldErrorCode.INVALID_FORMAT,
    ],
  ];

  it.each(notOk)('refuses %s', (_name, overrides, field, code) => {
    const error = failure(transaction(overrides));
    expect(error.code).toBe('INVALID_TRANSACTION');
    expect(error.fieldErrors).toEqual([
      { field, code, message: expect.stringMatching(new RegExp(`^${escape(field)}: `)) },
    ]);
    expect(exposed(error)).not.toMatch(panPattern(PAN));
  });

  it('covers every field error code in the not-ok table', () => {
    const covered = new Set(notOk.map(([, , , code]) => code));
    expect([...covered].sort()).toEqual(
      Object.values(FieldErrorCode)
        .filter((c) => c !== 'AMOUNT_TOO_PRECISE')
        .sort(),
    );
  });

  it('reports every invalid field at once', () => {
    const error = failure(
      transaction({
        transaction_id: '',
        pan: null,
        amount_minor: -1,
        currency: 'ABC',
        event_time: NOW + DAY,
        merchant_category_code: '12',
        merchant_country: 'ZZ',
        ip_address: 'nope',
      }),
    );
    expect(error.fieldErrors.map((e) => [e.field, e.code])).toEqual([
      ['card_id', FieldErrorCode.MISSING_CARD],
      ['transaction_id', FieldErrorCode.MISSING_FIELD],
      ['currency', FieldErrorCode.UNKNOWN_CURRENCY],
      ['amount_minor', FieldErrorCode.AMOUNT_NOT_POSITIVE],
      ['event_time', FieldErrorCode.EVENT_TIME_IN_FUTURE],
      ['merchant_category_code', FieldErrorCode.INVALID_MCC],
      ['merchant_country', FieldErrorCode.INVALID_COUNTRY],
      ['ip_address', FieldErrorCode.INVALID_FORMAT],
    ]);
    expect(error.message).toContain('8 field errors');
    expect(error.transactionId).toBeNull();
  });

  it('carries the transaction id for the DLQ only when the id itself is valid', () => {
    expect(failure(transaction({ amount_minor: 0 })).transactionId).toBe('tx-0001');
    expect(failure(transaction({ transaction_id: `tx-${PAN}` })).transactionId).toBeNull();
    expect(failure(transaction({ transaction_id: 'tx 1' })).transactionId).toBeNull();
  });

  it('describes an invalid PAN by its last four digits only', () => {
    const error = failure(transaction({ pan: '4111 1111 1111 1112' }));
    expect(error.fieldErrors[0].message).toBe('pan: not a valid card number (****1112)');
    expect(exposed(error)).not.toMatch(panPattern('4111111111111112'));
  });

  it('never lets a PAN out, whichever field it came in', () => {
    const inputs: Transaction[] = [
      transaction(),
      transaction({ pan: null, card_id: PAN, customer_id: PAN, account_id: PAN }),
      transaction({ pan: '4111-1111-1111-1111', customer_id: '4111 1111 1111 1111' }),
      transaction({ merchant_id: PAN }),
      transaction({ attributes: { [`k${PAN}`]: 'v' } }),
      transaction({ device_fingerprint: `fp:${PAN}` }),
      transaction({ pan: PAN, amount_minor: 0, currency: 'nope' }),
      transaction({ pan: null, card_id: PAN, event_time: 0 }),
    ];
    for (const input of inputs) {
      let out: NormalizedTransaction | TransactionValidationError;
      try {
        out = normaliseTransaction(input, ctx);
      } catch (error) {
        out = error as TransactionValidationError;
      }
      expect(exposed(out)).not.toMatch(panPattern(PAN));
    }
  });
});

function attributes(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
