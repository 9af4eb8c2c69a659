import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Channel, PaymentMethod } from '@argus/contracts';
import { parse } from 'csv-parse/sync';
import { builtInMapping, loadMapping } from './history-mapping.loader';
import type { HistoryMapping } from './history-mapping.schema';
import { HistoryRowError, HistoryRowErrorCode } from './history-row.errors';
import { mapRow, tokeniseMappedRow, type CsvRow, type MappedRow } from './history-row.mapper';

const DATASETS = join(__dirname, '..', '..', '..', '..', 'deploy', 'datasets');
const HOUR = 3_600_000;
const tokenise = (pan: string): string =>
  `tok_t_${createHmac('sha256', 'test-key').update(pan).digest().subarray(0, 18).toString('base64url')}`;

interface Line {
  readonly row: CsvRow;
  readonly line: number;
}

/** Rows of a CSV text with the line each ends on, as the replay tool gets them from csv-parse. */
function csvLines(text: string | Buffer, limit?: number): Line[] {
  const records = parse(text, { columns: true, info: true, ...(limit === undefined ? {} : { to: limit }) }) as Array<{
    record: CsvRow;
    info: { lines: number };
  }>;
  return records.map(({ record, info }) => ({ row: record, line: info.lines }));
}

function datasetLines(path: string, limit?: number): Line[] {
  return csvLines(readFileSync(join(DATASETS, path)), limit);
}

function rowError(mapping: HistoryMapping, row: CsvRow, line: number): HistoryRowError {
  try {
    mapRow(mapping, row, line);
  } catch (error) {
    if (error instanceof HistoryRowError) return error;
    throw error;
  }
  throw new Error('expected a HistoryRowError');
}

/** The transaction without its `pan` field, as it would be published once tokenised. */
function withoutPan(mapped: MappedRow): string {
  const { pan: _pan, ...rest } = mapped.transaction;
  return JSON.stringify({ ...rest, label: mapped.label });
}

describe('mapRow with the Sparkov mapping', () => {
  const mapping = builtInMapping('sparkov');
  const lines = datasetLines('sparkov/fraudTrain_head5039.csv', 200);
  const mapped = lines.map(({ row, line }) => mapRow(mapping, row, line));

  it('maps the first 200 rows, one transaction and one label each', () => {
    expect(lines).toHaveLength(200);
    expect(mapped).toHaveLength(200);
    expect(mapped.every((m) => m.label !== null)).toBe(true);
    expect(lines[0].line).toBe(2);
  });

  it('reads the first row', () => {
    expect(mapped[0]).toEqual({
      transaction: {
        transaction_id: '0b242abb623afc578575680df30655b9',
        event_time: Date.parse('2019-01-01T00:00:18Z'),
        card_id: null,
        pan: '2703186189652095',
        customer_id: '',
        account_id: null,
        amount_minor: 497,
        currency: 'USD',
        merchant_id: 'fraud_Rippin, Kub and Mann',
        merchant_category_code: '5969',
        merchant_country: 'US',
        terminal_id: null,
        channel: Channel.ECOMMERCE,
        payment_method: PaymentMethod.CARD,
        device_fingerprint: null,
        ip_address: null,
        geo: { lat: 36.0788, lon: -81.1781, country: 'US', city: 'Moravian Falls' },
        attributes: { category: 'misc_net', merchant_lat: '36.011293', merchant_lon: '-82.048315' },
      },
      label: { fraud: false, reported_at: Date.parse('2019-01-03T00:00:18Z') },
      panLinkedFields: ['customer_id'],
      amountRounded: false,
    });
  });

  it('keeps the card number in pan only', () => {
    lines.forEach(({ row }, i) => {
      expect(mapped[i].transaction.pan).toBe(row.cc_num?.padStart(12, '0'));
      expect(withoutPan(mapped[i])).not.toContain(row.cc_num);
    });
  });

  it('restores the leading zero of an 11-digit card number', () => {
    const i = lines.findIndex(({ row }) => row.cc_num?.length === 11);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(mapped[i].transaction.pan).toBe(`0${lines[i].row.cc_num}`);
  });

  it('maps categories to channels and MCCs', () => {
    const byCategory = new Map(mapped.map((m) => [m.transaction.attributes.category, m.transaction]));
    expect(byCategory.get('grocery_pos')).toMatchObject({ channel: 'CARD_PRESENT', merchant_category_code: '5411' });
    expect(byCategory.get('shopping_net')).toMatchObject({ channel: 'ECOMMERCE', merchant_category_code: '5399' });
    expect(byCategory.get('gas_transport')).toMatchObject({ channel: 'CARD_PRESENT', merchant_category_code: '5541' });
  });

  it('keeps times in order and labels 48 hours later', () => {
    for (let i = 0; i < mapped.length; i++) {
      const { transaction, label } = mapped[i];
      expect(label?.reported_at).toBe(transaction.event_time + 48 * HOUR);
      if (i > 0) expect(transaction.event_time).toBeGreaterThanOrEqual(mapped[i - 1].transaction.event_time);
    }
    expect(mapped[199].transaction.event_time).toBe(
      Date.parse(`${lines[199].row.trans_date_trans_time?.replace(' ', 'T')}Z`),
    );
  });

  it.each([
    ['sparkov/fraudTrain_head5039.csv', 5039, 22],
    ['sparkov/fraudTest_head2145.csv', 2145, 11],
  ])('maps every row of %s with its frauds', (path, rows, frauds) => {
    const all = datasetLines(path).map(({ row, line }) => mapRow(mapping, row, line));
    expect(all).toHaveLength(rows);
    expect(all.filter((m) => m.label?.fraud).length).toBe(frauds);
  });

  it('tokenises on request: card_id and customer_id become the same token, pan is gone', () => {
    const { row, line } = lines[0];
    const result = mapRow(mapping, row, line, { tokenise });
    expect(result.transaction.pan).toBeNull();
    expect(result.transaction.card_id).toBe(tokenise('2703186189652095'));
    expect(result.transaction.customer_id).toBe(result.transaction.card_id);
    expect(result.panLinkedFields).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(row.cc_num);
    expect(tokeniseMappedRow(mapped[0], tokenise)).toEqual(result);
  });

  it('gives every row of one card the same token', () => {
    const tokens = new Map<string, Set<string>>();
    lines.forEach(({ row }, i) => {
      const token = tokeniseMappedRow(mapped[i], tokenise).transaction.card_id as string;
      tokens.set(row.cc_num as string, (tokens.get(row.cc_num as string) ?? new Set()).add(token));
    });
    expect([...tokens.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set([...tokens.values()].map((s) => [...s][0])).size).toBe(tokens.size);
  });
});

describe('mapRow with the PaySim mapping', () => {
  const mapping = builtInMapping('paysim');
  const lines = datasetLines('paysim/paysim_sample_7557.csv', 200);
  const mapped = lines.map(({ row, line }) => mapRow(mapping, row, line));

  it('maps the first 200 rows', () => {
    expect(mapped).toHaveLength(200);
    expect(mapped.filter((m) => m.label?.fraud).length).toBe(lines.filter(({ row }) => row.isFraud === '1').length);
  });

  it('reads the first row', () => {
    expect(mapped[0]).toEqual({
      transaction: expect.objectContaining({
        transaction_id: expect.stringMatching(/^paysim-2-[0-9a-f]{16}$/),
        event_time: Date.parse('2024-01-02T21:00:00Z'),
        card_id: 'C286239409',
        pan: null,
        customer_id: 'C286239409',
        account_id: 'C286239409',
        amount_minor: 21_398_359,
        currency: 'USD',
        merchant_id: 'C151804423',
        channel: Channel.BANK_TRANSFER,
        payment_method: PaymentMethod.ACCOUNT_TRANSFER,
        geo: null,
        attributes: { paysim_type: 'TRANSFER' },
      }),
      label: { fraud: true, reported_at: Date.parse('2024-01-04T21:00:00Z') },
      panLinkedFields: [],
      amountRounded: false,
    });
    expect(mapped[1].transaction.payment_method).toBe(PaymentMethod.CASH);
  });

  it('generates ids that are unique and the same on every replay', () => {
    const ids = mapped.map((m) => m.transaction.transaction_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lines.map(({ row, line }) => mapRow(mapping, row, line).transaction.transaction_id)).toEqual(ids);
  });

  it('gives identical rows on two lines two ids, and a changed row a new one', () => {
    const { row } = lines[0];
    const id = (r: CsvRow, line: number): string => mapRow(mapping, r, line).transaction.transaction_id;
    expect(id(row, 2)).not.toBe(id(row, 3));
    expect(id({ ...row, amount: '1.00' }, 2)).not.toBe(id(row, 2));
  });

  it('reads an amount a dataframe wrote as a float (a fraud multiplied by a factor) and says it was rounded', () => {
    const { row, line } = lines[0];
    const rounded = mapRow(mapping, { ...row, amount: '85.64999999999999' }, line);
    expect(rounded).toMatchObject({ amountRounded: true, transaction: { amount_minor: 8565 } });
    expect(mapRow(mapping, { ...row, amount: '85.65' }, line).amountRounded).toBe(false);
    expect(rowError(mapping, { ...row, amount: '85.655' }, line).message).toContain(
      '"85.655" has more than 2 decimal places',
    );
  });

  it('maps every row of the sample, with its frauds and amounts like 1.00E+07', () => {
    const all = datasetLines('paysim/paysim_sample_7557.csv');
    const results = all.map(({ row, line }) => mapRow(mapping, row, line));
    expect(results).toHaveLength(7557);
    expect(results.filter((m) => m.label?.fraud).length).toBe(617);
    const i = all.findIndex(({ row }) => row.amount === '1.00E+07');
    expect(results[i].transaction.amount_minor).toBe(1_000_000_000);
  });
});

describe('mapRow with the argus mapping', () => {
  const mapping = builtInMapping('argus');
  const header =
    'transaction_id,event_time,card_id,pan,customer_id,account_id,amount_minor,currency,merchant_id,merchant_category_code,merchant_country,terminal_id,channel,payment_method,device_fingerprint,ip_address,geo_lat,geo_lon,geo_country,geo_city,is_fraud,label_reported_at';
  const csv = [
    header,
    't1,2024-05-01T10:15:30Z,,4111 1111 1111 1111,c1,,1250,eur,m1,5411,fr,T1,CARD_PRESENT,CARD,fp1,192.0.2.1,48.85,2.35,fr,Paris,1,2024-05-03T09:00:00+02:00',
    't2,2024-05-01 11:00:00,tok_k1_abc,,c2,acc-2,99,JPY,m2,,,,ECOMMERCE,WALLET,,,,,,,0,',
    't3,2024-05-01T12:00:00.500+02:00,tok_k1_def,,c3,,1,USD,m3,,,,MOBILE,OTHER,,,,,,,,',
  ].join('\n');
  const [first, second, third] = csvLines(csv).map(({ row, line }) => mapRow(mapping, row, line));

  it('reads a row with a PAN, geo and a label known at a given time', () => {
    expect(first.transaction).toMatchObject({
      transaction_id: 't1',
      event_time: Date.parse('2024-05-01T10:15:30Z'),
      pan: '4111111111111111',
      card_id: null,
      customer_id: 'c1',
      currency: 'EUR',
      merchant_country: 'FR',
      geo: { lat: 48.85, lon: 2.35, country: 'FR', city: 'Paris' },
      ip_address: '192.0.2.1',
    });
    expect(first.label).toEqual({ fraud: true, reported_at: Date.parse('2024-05-03T07:00:00Z') });
    expect(first.panLinkedFields).toEqual([]);
  });

  it('reads a row with a card token and a label known 48 hours later', () => {
    expect(second.transaction).toMatchObject({
      event_time: Date.parse('2024-05-01T11:00:00Z'),
      card_id: 'tok_k1_abc',
      pan: null,
      account_id: 'acc-2',
      amount_minor: 99,
      merchant_category_code: null,
      geo: null,
      channel: 'ECOMMERCE',
      payment_method: 'WALLET',
    });
    expect(second.label).toEqual({ fraud: false, reported_at: Date.parse('2024-05-03T11:00:00Z') });
  });

  it('reads an unlabelled row', () => {
    expect(third.transaction.event_time).toBe(Date.parse('2024-05-01T10:00:00.500Z'));
    expect(third.label).toBeNull();
  });

  it('accepts a file without the optional columns', () => {
    const minimal =
      'transaction_id,event_time,card_id,customer_id,amount_minor,currency,merchant_id,channel,payment_method\nt9,2024-05-01T10:00:00Z,tok_x,c9,5,EUR,m9,ATM,CASH';
    const [result] = csvLines(minimal).map(({ row, line }) => mapRow(mapping, row, line));
    expect(result.transaction).toMatchObject({ card_id: 'tok_x', pan: null, geo: null, terminal_id: null });
    expect(result.label).toBeNull();
  });
});

describe('mapRow refuses rows it cannot map, with their line', () => {
  const sparkov = builtInMapping('sparkov');
  const paysim = builtInMapping('paysim');
  const argus = builtInMapping('argus');
  const [sparkovLine] = datasetLines('sparkov/fraudTrain_head5039.csv', 1);
  const [paysimLine] = datasetLines('paysim/paysim_sample_7557.csv', 1);
  const argusRow: CsvRow = {
    transaction_id: 't1',
    event_time: '2024-05-01T10:00:00Z',
    card_id: 'tok_1',
    customer_id: 'c1',
    amount_minor: '100',
    currency: 'EUR',
    merchant_id: 'm1',
    channel: 'ATM',
    payment_method: 'CASH',
  };
  const dropped = (row: CsvRow, column: string): CsvRow =>
    Object.fromEntries(Object.entries(row).filter(([c]) => c !== column));

  const notOk: Array<[string, HistoryMapping, CsvRow, HistoryRowErrorCode, string, string]> = [
    [
      'a bad date',
      sparkov,
      { ...sparkovLine.row, trans_date_trans_time: '2019-13-01 00:00:18' },
      'INVALID_TIME',
      'time',
      '"2019-13-01 00:00:18" does not match format %Y-%m-%d %H:%M:%S',
    ],
    ['an empty date', sparkov, { ...sparkovLine.row, trans_date_trans_time: '' }, 'INVALID_TIME', 'time', 'is empty'],
    [
      'an empty amount',
      sparkov,
      { ...sparkovLine.row, amt: ' ' },
      'INVALID_AMOUNT',
      'amount_minor',
      'column "amt" is empty',
    ],
    [
      'a negative amount',
      sparkov,
      { ...sparkovLine.row, amt: '-4.97' },
      'INVALID_AMOUNT',
      'amount_minor',
      '"-4.97" is not a positive amount',
    ],
    [
      'a zero amount',
      sparkov,
      { ...sparkovLine.row, amt: '0.00' },
      'INVALID_AMOUNT',
      'amount_minor',
      'not a positive amount',
    ],
    [
      'a fraction of a cent',
      sparkov,
      { ...sparkovLine.row, amt: '4.975' },
      'INVALID_AMOUNT',
      'amount_minor',
      'more than 2 decimal places',
    ],
    [
      'a word as amount',
      sparkov,
      { ...sparkovLine.row, amt: 'ten' },
      'INVALID_AMOUNT',
      'amount_minor',
      '"ten" is not a decimal number',
    ],
    [
      'a missing amount column',
      sparkov,
      dropped(sparkovLine.row, 'amt'),
      'MISSING_COLUMN',
      'amount_minor',
      'column "amt" is missing',
    ],
    [
      'a missing id column',
      sparkov,
      dropped(sparkovLine.row, 'trans_num'),
      'MISSING_COLUMN',
      'transaction_id',
      'column "trans_num" is missing',
    ],
    ['an empty merchant', sparkov, { ...sparkovLine.row, merchant: '' }, 'EMPTY_VALUE', 'merchant_id', 'is empty'],
    [
      'an unknown label',
      sparkov,
      { ...sparkovLine.row, is_fraud: 'maybe' },
      'INVALID_LABEL',
      'label',
      '"maybe" is not a known label value (1, 0)',
    ],
    ['an empty label', sparkov, { ...sparkovLine.row, is_fraud: '' }, 'INVALID_LABEL', 'label', 'is empty'],
    [
      'a card number failing Luhn',
      sparkov,
      { ...sparkovLine.row, cc_num: '2703186189652096' },
      'INVALID_PAN',
      'pan',
      'not a valid card number (****2096)',
    ],
    [
      'a card number with letters',
      sparkov,
      { ...sparkovLine.row, cc_num: 'x703186189652095' },
      'INVALID_PAN',
      'pan',
      'not a valid card number',
    ],
    [
      'an empty card number',
      sparkov,
      { ...sparkovLine.row, cc_num: '' },
      'EMPTY_VALUE',
      'pan',
      'column "cc_num" is empty',
    ],
    [
      'a latitude out of range',
      sparkov,
      { ...sparkovLine.row, lat: '136.0788' },
      'INVALID_VALUE',
      'geo.lat',
      '"136.0788" is not a coordinate within ±90',
    ],
    [
      'an unknown PaySim type',
      paysim,
      { ...paysimLine.row, type: 'BARTER' },
      'INVALID_VALUE',
      'payment_method',
      'no mapping for "BARTER"',
    ],
    [
      'a fractional step',
      paysim,
      { ...paysimLine.row, step: '4.5' },
      'INVALID_TIME',
      'time',
      '"4.5" does not match format step_hours',
    ],
    [
      'an amount in scientific notation with too many decimals',
      paysim,
      { ...paysimLine.row, amount: '1.2345E+1' },
      'INVALID_AMOUNT',
      'amount_minor',
      'more than 2 decimal places',
    ],
    ['no card at all', argus, { ...argusRow, card_id: '' }, 'MISSING_CARD', 'card_id', 'no card'],
    ['an unknown channel', argus, { ...argusRow, channel: 'FAX' }, 'INVALID_VALUE', 'channel', '"FAX" is not one of'],
    ['an empty channel', argus, { ...argusRow, channel: '' }, 'EMPTY_VALUE', 'channel', 'is empty'],
    [
      'a fractional minor amount',
      argus,
      { ...argusRow, amount_minor: '10.5' },
      'INVALID_AMOUNT',
      'amount_minor',
      'more than 0 decimal places',
    ],
    [
      'a label reported before the event',
      argus,
      { ...argusRow, is_fraud: '1', label_reported_at: '2024-04-30T00:00:00Z' },
      'INVALID_LABEL',
      'label',
      'reported before the transaction',
    ],
    [
      'a bad label time',
      argus,
      { ...argusRow, is_fraud: '1', label_reported_at: 'soon' },
      'INVALID_TIME',
      'label.reported_at',
      '"soon" does not match format iso',
    ],
    ['half a position', argus, { ...argusRow, geo_lat: '48.8', geo_lon: '' }, 'EMPTY_VALUE', 'geo.lon', 'is empty'],
  ];

  it.each(notOk)('refuses %s', (_name, mapping, row, code, field, reason) => {
    const error = rowError(mapping, row, 17);
    expect(error).toMatchObject({ line: 17, code, field, reason: expect.stringContaining(reason) });
    expect(error.message).toBe(`line 17: ${field}: ${error.reason}`);
  });

  it('never quotes a card number in a reason', () => {
    const row = { ...sparkovLine.row, amt: '4111 1111 1111 1111' };
    const error = rowError(sparkov, row, 5);
    expect(error.reason).toBe('"**** **** **** ****" is not a decimal number');
    expect(rowError(sparkov, { ...sparkovLine.row, cc_num: '4111111111111112' }, 5).message).not.toContain(
      '4111111111111112',
    );
  });

  it('reports the line of the bad row in a file', () => {
    const text = readFileSync(join(DATASETS, 'sparkov/fraudTrain_head5039.csv'), 'utf8').split('\n').slice(0, 6);
    text[4] = text[4].replace('2019-01-01 00:01:16', '2019-01-01 25:01:16'); // fourth data row, line 5
    const failures: HistoryRowError[] = [];
    for (const { row, line } of csvLines(text.join('\n'))) {
      try {
        mapRow(sparkov, row, line);
      } catch (error) {
        failures.push(error as HistoryRowError);
      }
    }
    expect(failures.map((e) => [e.line, e.code])).toEqual([[5, 'INVALID_TIME']]);
  });

  it('asks for a currency exponent when amounts are in major units of a currency column', () => {
    const json = { ...JSON.parse(JSON.stringify(argus)), amount: { column: 'amount', unit: 'major' } };
    const mapping = loadMapping(json);
    const row = { ...argusRow, amount: '10.5', currency: 'kwd' };
    expect(rowError(mapping, row, 3)).toMatchObject({ code: 'UNKNOWN_CURRENCY', field: 'currency' });
    const exponents: Record<string, number> = { KWD: 3 };
    expect(mapRow(mapping, row, 3, { minorUnitExponent: (c) => exponents[c] }).transaction).toMatchObject({
      currency: 'KWD',
      amount_minor: 10_500,
    });
  });

  it('joins columns, adds prefixes and uses constants', () => {
    const mapping = loadMapping({
      name: 'joined',
      fields: {
        transaction_id: { columns: ['batch', 'seq'], join: ':' },
        card_id: { column: 'card', prefix: 'acct-' },
        customer_id: { columns: ['first', 'last'], join: ' ' },
        currency: { constant: 'GBP' },
        merchant_id: { constant: 42 },
        terminal_id: { column: 'terminal', optional: true },
      },
      time: { column: 'when', format: 'epoch_ms' },
      amount: { column: 'pence', unit: 'minor' },
    });
    const row = { batch: 'B1', seq: '7', card: '123', first: 'Ada', last: '', when: '1714558530250', pence: '42' };
    expect(mapRow(mapping, row, 2).transaction).toMatchObject({
      transaction_id: 'B1:7',
      card_id: 'acct-123',
      customer_id: 'Ada',
      currency: 'GBP',
      merchant_id: '42',
      terminal_id: null,
      channel: Channel.UNKNOWN,
      payment_method: PaymentMethod.OTHER,
      event_time: 1714558530250,
    });
  });
});
