import { HistoryMappingError, HistoryMappingErrorCode } from './history-mapping.errors';
import {
  BUILT_IN_MAPPINGS,
  builtInMapping,
  loadMapping,
  missingColumns,
  requiredColumns,
} from './history-mapping.loader';

// any: the fixtures deliberately build invalid shapes, which no precise type would allow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A small valid mapping; each not-ok case changes one thing. */
function mapping(change: (m: Loose) => void = () => undefined): unknown {
  const m: Loose = {
    name: 'test',
    fields: {
      transaction_id: { column: 'id' },
      card_id: { column: 'card' },
      customer_id: { column: 'customer' },
      currency: { constant: 'EUR' },
      merchant_id: { column: 'merchant' },
      channel: { column: 'kind', map: { web: 'ECOMMERCE' }, default: 'CARD_PRESENT' },
    },
    time: { column: 'when', format: 'iso' },
    amount: { column: 'amount', unit: 'major', exponent: 2 },
    label: { column: 'fraud', fraud_values: ['1'], delay_hours: 24 },
  };
  change(m);
  return m;
}

function problems(json: unknown): readonly string[] {
  try {
    loadMapping(json);
  } catch (error) {
    if (error instanceof HistoryMappingError) return error.problems;
    throw error;
  }
  throw new Error('expected a HistoryMappingError');
}

describe('loadMapping', () => {
  it('accepts a valid mapping and returns it', () => {
    expect(loadMapping(mapping())).toMatchObject({ name: 'test', amount: { unit: 'major' } });
  });

  it.each(BUILT_IN_MAPPINGS)('ships a valid built-in mapping "%s"', (name) => {
    expect(builtInMapping(name).name).toBe(name);
  });

  it('refuses an unknown built-in name', () => {
    expect(() => builtInMapping('nope')).toThrow(
      expect.objectContaining({
        code: HistoryMappingErrorCode.UNKNOWN_BUILT_IN,
        message: expect.stringContaining('argus, sparkov, paysim'),
      }),
    );
    expect(() => builtInMapping('toString')).toThrow(HistoryMappingError);
  });

  const notOk: Array<[string, unknown, string]> = [
    ['not an object', 'sparkov', '(mapping): '],
    ['an unknown top-level key', mapping((m) => (m.colums = {})), 'Unrecognized key: "colums"'],
    [
      'a typo in a field spec',
      mapping((m) => (m.fields.customer_id = { colum: 'c' })),
      'fields.customer_id: Unrecognized key: "colum"',
    ],
    ['an unknown field', mapping((m) => (m.fields.amount = { column: 'a' })), 'fields: Unrecognized key: "amount"'],
    ['a missing merchant_id', mapping((m) => delete m.fields.merchant_id), 'fields.merchant_id: is required'],
    ['no card at all', mapping((m) => delete m.fields.card_id), 'fields.card_id: is required unless "pan"'],
    [
      'two sources',
      mapping((m) => (m.fields.customer_id = { column: 'c', constant: 'x' })),
      'fields.customer_id: needs exactly one of column, columns, constant, generate (has column, constant)',
    ],
    ['no source', mapping((m) => (m.fields.customer_id = { prefix: 'c' })), 'has none'],
    [
      'columns without join',
      mapping((m) => (m.fields.customer_id = { columns: ['a', 'b'] })),
      'fields.customer_id.join: is required',
    ],
    [
      'a map on a constant',
      mapping((m) => (m.fields.currency = { constant: 'EUR', map: { a: 'b' } })),
      'fields.currency.map: only applies',
    ],
    [
      'a channel outside the enum',
      mapping((m) => (m.fields.channel.map.web = 'SHOP')),
      'fields.channel.map.web: "SHOP" is not one of CARD_PRESENT',
    ],
    [
      'a payment method constant outside the enum',
      mapping((m) => (m.fields.payment_method = { constant: 'CHEQUE' })),
      'fields.payment_method.constant: "CHEQUE"',
    ],
    ['a bad enum default', mapping((m) => (m.fields.channel.default = 'POS')), 'fields.channel.default: "POS"'],
    ['a prefix on an enum', mapping((m) => (m.fields.channel.prefix = 'x')), 'fields.channel.prefix: not allowed'],
    [
      'generate outside transaction_id',
      mapping((m) => (m.fields.customer_id = { generate: 'row_hash' })),
      'fields.customer_id.generate: only transaction_id',
    ],
    [
      'pan: true without a pan column',
      mapping((m) => (m.fields.customer_id = { column: 'card', pan: true })),
      'fields.customer_id.pan: needs "pan"',
    ],
    [
      'pan: true on merchant_id',
      mapping((m) => {
        m.pan = { column: 'cc' };
        m.fields.merchant_id = { column: 'cc', pan: true };
      }),
      'fields.merchant_id.pan: only customer_id and account_id',
    ],
    [
      'pan: true on another column',
      mapping((m) => {
        m.pan = { column: 'cc' };
        m.fields.customer_id = { column: 'other', pan: true };
      }),
      'column must be the card number column "cc"',
    ],
    [
      'the card number column feeding a plain field',
      mapping((m) => {
        m.pan = { column: 'cc' };
        m.fields.merchant_id = { column: 'cc' };
      }),
      'fields.merchant_id: column "cc" is the card number column',
    ],
    [
      'the card number column in an attribute',
      mapping((m) => {
        m.pan = { column: 'cc' };
        m.attributes = { card: { columns: ['x', 'cc'], join: '-' } };
      }),
      'attributes.card: column "cc" is the card number column',
    ],
    ['a PAN zero pad below 12', mapping((m) => (m.pan = { column: 'cc', zero_pad_to: 8 })), 'pan.zero_pad_to'],
    ['an unknown time format', mapping((m) => (m.time.format = 'dd/mm/yyyy')), 'time: format "dd/mm/yyyy" is not'],
    ['an unknown time zone', mapping((m) => (m.time.timezone = 'Mars/Olympus')), 'time: timezone "Mars/Olympus"'],
    ['a step format without base', mapping((m) => (m.time.format = 'step_hours')), 'time: step formats need "base"'],
    ['an optional time', mapping((m) => (m.time.optional = true)), 'time.optional'],
    ['an unknown amount unit', mapping((m) => (m.amount.unit = 'cents')), 'amount.unit'],
    [
      'an exponent with minor units',
      mapping((m) => (m.amount.unit = 'minor')),
      'amount.exponent: only applies to major units',
    ],
    [
      'an exponent with a currency column',
      mapping((m) => (m.fields.currency = { column: 'ccy' })),
      'amount.exponent: needs a constant currency',
    ],
    ['a label without timing', mapping((m) => delete m.label.delay_hours), 'label: needs report_time or delay_hours'],
    ['a label value both ways', mapping((m) => (m.label.legit_values = ['0', '1'])), 'label: 1 listed as both'],
    ['a negative label delay', mapping((m) => (m.label.delay_hours = -1)), 'label.delay_hours'],
    [
      'a bad label report time',
      mapping((m) => (m.label.report_time = { column: 'r', format: 'nope' })),
      'label.report_time: format "nope"',
    ],
    [
      'an attribute key with a space',
      mapping((m) => (m.attributes = { 'bad key': { column: 'x' } })),
      'attributes.bad key',
    ],
  ];

  it.each(notOk)('refuses %s', (_name, json, expected) => {
    expect(problems(json)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('reports every problem at once, naming the mapping', () => {
    const json = mapping((m) => {
      delete m.fields.merchant_id;
      m.fields.channel.default = 'POS';
      m.time.format = 'nope';
    });
    let error: HistoryMappingError | undefined;
    try {
      loadMapping(json);
    } catch (e) {
      error = e as HistoryMappingError;
    }
    expect(error?.code).toBe(HistoryMappingErrorCode.INVALID_MAPPING);
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/^invalid history mapping "test":\n {2}- fields\.merchant_id: is required/);
  });
});

describe('requiredColumns / missingColumns', () => {
  it('lists the columns a Sparkov file needs', () => {
    expect(requiredColumns(builtInMapping('sparkov')).sort()).toEqual(
      [
        'trans_num',
        'cc_num',
        'merchant',
        'category',
        'trans_date_trans_time',
        'amt',
        'lat',
        'long',
        'city',
        'merch_lat',
        'merch_long',
        'is_fraud',
      ].sort(),
    );
  });

  it('leaves optional columns out', () => {
    const columns = requiredColumns(builtInMapping('argus'));
    expect(columns).toEqual(expect.arrayContaining(['transaction_id', 'event_time', 'amount_minor', 'channel']));
    expect(columns).not.toEqual(expect.arrayContaining(['pan']));
    expect(columns).not.toEqual(expect.arrayContaining(['is_fraud']));
  });

  it('names what a header lacks', () => {
    expect(missingColumns(builtInMapping('paysim'), ['step', 'type', 'amount', 'nameOrig'])).toEqual([
      'nameDest',
      'isFraud',
    ]);
  });
});
