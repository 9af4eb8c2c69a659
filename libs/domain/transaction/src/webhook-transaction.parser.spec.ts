import { Channel, IntakeSource, PaymentMethod, type Transaction } from '@argus/contracts';
import { PanTokeniser } from './pan.tokeniser';
import { FieldErrorCode, TransactionValidationError } from './transaction.errors';
import { normaliseTransaction } from './transaction.normaliser';
import { parseWebhookTransaction } from './webhook-transaction.parser';

const PAN = '4111111111111111';
const EVENT = Date.parse('2024-05-01T10:15:30.000Z');

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transaction_id: 'wh-1',
    event_time: EVENT,
    pan: PAN,
    customer_id: 'cust-1',
    amount_minor: 1250,
    currency: 'EUR',
    merchant_id: 'shop-1',
    ...overrides,
  };
}

function without(key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const b = body(overrides);
  delete b[key];
  return b;
}

function failure(input: unknown): TransactionValidationError {
  try {
    parseWebhookTransaction(input);
  } catch (error) {
    if (error instanceof TransactionValidationError) return error;
    throw error;
  }
  throw new Error('expected a TransactionValidationError');
}

describe('parseWebhookTransaction', () => {
  it('fills the Avro defaults for what a minimal body leaves out', () => {
    expect(parseWebhookTransaction(body())).toEqual<Transaction>({
      transaction_id: 'wh-1',
      event_time: EVENT,
      card_id: null,
      pan: PAN,
      customer_id: 'cust-1',
      account_id: null,
      amount_minor: 1250,
      currency: 'EUR',
      merchant_id: 'shop-1',
      merchant_category_code: null,
      merchant_country: null,
      terminal_id: null,
      channel: Channel.UNKNOWN,
      payment_method: PaymentMethod.OTHER,
      device_fingerprint: null,
      ip_address: null,
      geo: null,
      attributes: {},
    });
  });

  const ok: Array<[string, Record<string, unknown>, Partial<Transaction>]> = [
    ['an ISO time in UTC', body({ event_time: '2024-05-01T10:15:30Z' }), { event_time: EVENT }],
    ['an ISO time at +02:00', body({ event_time: '2024-05-01T12:15:30+02:00' }), { event_time: EVENT }],
    ['an ISO time at -05:00', body({ event_time: '2024-05-01T05:15:30.000-05:00' }), { event_time: EVENT }],
    ['an ISO time at +05:45', body({ event_time: '2024-05-01T16:00:30+05:45' }), { event_time: EVENT }],
    ['a EUR decimal string', without('amount_minor', { amount: '10.10' }), { amount_minor: 1010 }],
    ['a EUR decimal number', without('amount_minor', { amount: 10.1 }), { amount_minor: 1010 }],
    ['a EUR amount with trailing zeros', without('amount_minor', { amount: '10.100' }), { amount_minor: 1010 }],
    ['a lower-case currency', without('amount_minor', { amount: '12.5', currency: 'eur' }), { amount_minor: 1250 }],
    ['a JPY amount', without('amount_minor', { amount: '1234', currency: 'JPY' }), { amount_minor: 1234 }],
    ['a JPY number', without('amount_minor', { amount: 98765, currency: 'JPY' }), { amount_minor: 98765 }],
    ['a KWD amount', without('amount_minor', { amount: '1.234', currency: 'KWD' }), { amount_minor: 1234 }],
    ['a BHD amount', without('amount_minor', { amount: '0.5', currency: 'BHD' }), { amount_minor: 500 }],
    [
      'a negative amount (refused later, by validation)',
      without('amount_minor', { amount: '-1.00' }),
      { amount_minor: -100 },
    ],
    [
      'enums in any case',
      body({ channel: 'ecommerce', payment_method: ' Wallet ' }),
      { channel: Channel.ECOMMERCE, payment_method: PaymentMethod.WALLET },
    ],
    [
      'explicit nulls',
      body({ card_id: null, geo: null, attributes: null }),
      { card_id: null, geo: null, attributes: {} },
    ],
    [
      'geo and attributes',
      body({ geo: { lat: 48.85, lon: 2.35, country: 'FR' }, attributes: { a: 'b' } }),
      { geo: { lat: 48.85, lon: 2.35, country: 'FR', city: null }, attributes: { a: 'b' } },
    ],
  ];

  it.each(ok)('accepts %s', (_name, input, expected) => {
    expect(parseWebhookTransaction(input)).toMatchObject(expected);
  });

  const notOk: Array<[string, unknown, string, FieldErrorCode]> = [
    ['a null body', null, 'body', FieldErrorCode.INVALID_FORMAT],
    ['an array body', [body()], 'body', FieldErrorCode.INVALID_FORMAT],
    ['a string body', 'tx', 'body', FieldErrorCode.INVALID_FORMAT],
    ['an unknown field', body({ amt: 10 }), 'amt', FieldErrorCode.INVALID_FORMAT],
    ['a missing transaction_id', without('transaction_id'), 'transaction_id', FieldErrorCode.MISSING_FIELD],
    ['a numeric transaction_id', body({ transaction_id: 12 }), 'transaction_id', FieldErrorCode.INVALID_FORMAT],
    ['a missing customer_id', without('customer_id'), 'customer_id', FieldErrorCode.MISSING_FIELD],
    ['a missing merchant_id', without('merchant_id'), 'merchant_id', FieldErrorCode.MISSING_FIELD],
    ['a missing currency', without('currency'), 'currency', FieldErrorCode.MISSING_FIELD],
    ['a missing event_time', without('event_time'), 'event_time', FieldErrorCode.MISSING_FIELD],
    [
      'an ISO time without offset',
      body({ event_time: '2024-05-01T10:15:30' }),
      'event_time',
      FieldErrorCode.INVALID_FORMAT,
    ],
    ['an impossible date', body({ event_time: '2024-02-30T10:15:30Z' }), 'event_time', FieldErrorCode.INVALID_FORMAT],
    ['a free-text time', body({ event_time: 'yesterday' }), 'event_time', FieldErrorCode.INVALID_FORMAT],
    ['a fractional epoch', body({ event_time: 1.5 }), 'event_time', FieldErrorCode.INVALID_FORMAT],
    ['a boolean time', body({ event_time: true }), 'event_time', FieldErrorCode.INVALID_FORMAT],
    ['both amount and amount_minor', body({ amount: '12.50' }), 'amount', FieldErrorCode.INVALID_FORMAT],
    ['no amount at all', without('amount_minor'), 'amount_minor', FieldErrorCode.MISSING_FIELD],
    ['a string amount_minor', body({ amount_minor: '1250' }), 'amount_minor', FieldErrorCode.INVALID_FORMAT],
    ['a fractional amount_minor', body({ amount_minor: 12.5 }), 'amount_minor', FieldErrorCode.INVALID_FORMAT],
    ['EUR with 3 decimals', without('amount_minor', { amount: '10.001' }), 'amount', FieldErrorCode.AMOUNT_TOO_PRECISE],
    [
      'a float-noise number',
      without('amount_minor', { amount: 0.1 + 0.2 }),
      'amount',
      FieldErrorCode.AMOUNT_TOO_PRECISE,
    ],
    [
      'JPY with decimals',
      without('amount_minor', { amount: '0.5', currency: 'JPY' }),
      'amount',
      FieldErrorCode.AMOUNT_TOO_PRECISE,
    ],
    [
      'KWD with 4 decimals',
      without('amount_minor', { amount: '1.2345', currency: 'KWD' }),
      'amount',
      FieldErrorCode.AMOUNT_TOO_PRECISE,
    ],
    ['a word amount', without('amount_minor', { amount: 'ten' }), 'amount', FieldErrorCode.INVALID_FORMAT],
    ['a comma decimal', without('amount_minor', { amount: '10,50' }), 'amount', FieldErrorCode.INVALID_FORMAT],
    ['an object amount', without('amount_minor', { amount: {} }), 'amount', FieldErrorCode.INVALID_FORMAT],
    ['a huge amount', without('amount_minor', { amount: '1e30' }), 'amount', FieldErrorCode.AMOUNT_OVER_LIMIT],
    [
      'an amount in an unknown currency',
      without('amount_minor', { amount: '1', currency: 'XYZ' }),
      'currency',
      FieldErrorCode.UNKNOWN_CURRENCY,
    ],
    ['an unknown channel', body({ channel: 'FAX' }), 'channel', FieldErrorCode.INVALID_FORMAT],
    ['a numeric payment method', body({ payment_method: 5 }), 'payment_method', FieldErrorCode.INVALID_FORMAT],
    ['a string geo', body({ geo: 'Paris' }), 'geo', FieldErrorCode.INVALID_FORMAT],
    ['a string latitude', body({ geo: { lat: '1', lon: 2 } }), 'geo.lat', FieldErrorCode.INVALID_GEO],
    ['a missing longitude', body({ geo: { lat: 1 } }), 'geo.lon', FieldErrorCode.MISSING_FIELD],
    ['an unknown geo field', body({ geo: { lat: 1, lon: 2, alt: 3 } }), 'geo.alt', FieldErrorCode.INVALID_FORMAT],
    ['an array of attributes', body({ attributes: ['a'] }), 'attributes', FieldErrorCode.INVALID_FORMAT],
    ['a numeric attribute', body({ attributes: { a: 1 } }), 'attributes.a', FieldErrorCode.INVALID_FORMAT],
    ['a numeric pan', body({ pan: Number(PAN) }), 'pan', FieldErrorCode.INVALID_FORMAT],
  ];

  it.each(notOk)('refuses %s', (_name, input, field, code) => {
    const error = failure(input);
    expect(error.fieldErrors).toEqual([{ field, code, message: expect.stringContaining(`${field}: `) }]);
    expect(JSON.stringify({ m: error.message, e: error.fieldErrors })).not.toContain(PAN);
  });

  it('names every invalid field in one error', () => {
    const error = failure({
      transaction_id: 7,
      event_time: 'soon',
      amount: 'x',
      currency: 'EUR',
      extra: 1,
      colour: 'red',
    });
    expect(error.fieldErrors.map((e) => e.field).sort()).toEqual(
      ['amount', 'colour', 'customer_id', 'event_time', 'extra', 'merchant_id', 'transaction_id'].sort(),
    );
  });

  it('masks a card number used as a field name', () => {
    const error = failure(body({ [PAN]: 'x' }));
    expect(error.fieldErrors[0].field).toBe('*'.repeat(16));
    expect(JSON.stringify({ m: error.message, e: error.fieldErrors, s: error.stack })).not.toContain(PAN);
  });

  it('feeds normaliseTransaction: a webhook body becomes a normalised, tokenised transaction', () => {
    const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.alloc(32, 3) });
    const input = parseWebhookTransaction(
      without('amount_minor', { amount: '10.10', currency: 'eur', event_time: '2024-05-01T12:15:30+02:00' }),
    );
    const result = normaliseTransaction(input, {
      source: IntakeSource.WEBHOOK,
      now: EVENT + 1000,
      tokeniser,
    });
    expect(result).toMatchObject({
      amount_minor: 1010,
      currency: 'EUR',
      event_time: EVENT,
      card_id: tokeniser.tokenise(PAN),
      source: IntakeSource.WEBHOOK,
    });
    expect(JSON.stringify(result)).not.toContain(PAN);
  });
});
