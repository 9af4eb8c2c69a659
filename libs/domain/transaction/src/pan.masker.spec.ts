import { AvroSchemas, Channel, PaymentMethod, type Transaction } from '@argus/contracts';
import * as avro from 'avsc';
import { isLuhnValid } from './card-number.rules';
import { maskPans, maskPansInText } from './pan.masker';

const PAN = '4111111111111111';

describe('maskPansInText', () => {
  const ok: Array<[string, string, string]> = [
    ['a bare card number', `pan=${PAN};`, 'pan=****************;'],
    ['a spaced card number', 'card 4111 1111 1111 1111 declined', 'card **** **** **** **** declined'],
    ['a dashed card number', 'card 5555-5555-5555-4444.', 'card ****-****-****-****.'],
    ['a 12-digit card number', 'x 630423337322 y', 'x ************ y'],
    ['a 19-digit card number', '6212345678901234569', '*******************'],
    ['two card numbers', `${PAN},378282246310005`, '****************,***************'],
    ['a card number after a short number', `order 12 ${PAN}`, 'order 12 ****************'],
    ['a card number inside JSON', `{"pan":"${PAN}"}`, '{"pan":"****************"}'],
  ];
  const untouched: Array<[string, string]> = [
    ['a Luhn failure', 'card 4111111111111112'],
    ['11 digits', 'id 60495593109'],
    ['20 digits', 'id 62123456789012345690'],
    ['an amount and a date', 'amount 1000000 EUR at 2024-05-01'],
    ['double separators', '4111  1111  1111  1111'],
    ['no digits', 'nothing to see'],
  ];

  it.each(ok)('masks %s, keeping the length', (_name, input, expected) => {
    expect(maskPansInText(input)).toBe(expected);
    expect(maskPansInText(input)).toHaveLength(input.length);
  });

  it.each(untouched)('leaves %s alone', (_name, input) => expect(maskPansInText(input)).toBe(input));
});

describe('maskPans', () => {
  it('masks an ASCII card number in raw bytes and says so, without touching the input', () => {
    const input = Buffer.from(`\x00\x02{"pan":"4111 1111 1111 1111"}\xff`, 'latin1');
    const original = Buffer.from(input);
    const result = maskPans(input);
    expect(result.masked).toBe(true);
    expect(result.bytes.toString('latin1')).toBe('\x00\x02{"pan":"**** **** **** ****"}\xff');
    expect(input.equals(original)).toBe(true);
  });

  it('masks a card number glued to another digit in unframed bytes', () => {
    const result = maskPans(Buffer.from(`x${PAN}2x`));
    expect(result.masked).toBe(true);
    expect(result.bytes.includes(Buffer.from(PAN))).toBe(false);
    expect(result.bytes).toHaveLength(PAN.length + 3);
  });

  it('returns masked=false and the same bytes when there is no card number', () => {
    const input = Buffer.from('{"amount_minor":1000,"transaction_id":"tx-1"}');
    expect(maskPans(input)).toEqual({ bytes: input, masked: false });
  });

  describe('inside an Avro-encoded Transaction', () => {
    const type = avro.Type.forSchema(AvroSchemas['argus.transactions.Transaction'] as unknown as avro.Schema);
    const base: Transaction = {
      transaction_id: 'tx-1',
      event_time: Date.parse('2024-05-01T12:00:00Z'),
      card_id: null,
      pan: PAN,
      customer_id: 'cust-1',
      account_id: null,
      amount_minor: 1250,
      currency: 'EUR',
      merchant_id: 'm-1',
      merchant_category_code: '5411',
      merchant_country: 'FR',
      terminal_id: null,
      channel: Channel.CARD_PRESENT,
      payment_method: PaymentMethod.CARD,
      device_fingerprint: null,
      ip_address: null,
      geo: null,
      attributes: { note: 'hello' },
    };

    it('masks the PAN and the record still decodes, same length, other fields intact', () => {
      const bytes = type.toBuffer(base);
      expect(bytes.includes(Buffer.from(PAN))).toBe(true);
      const result = maskPans(bytes);
      expect(result.masked).toBe(true);
      expect(result.bytes).toHaveLength(bytes.length);
      expect(result.bytes.includes(Buffer.from(PAN))).toBe(false);
      const decoded = type.fromBuffer(result.bytes) as Transaction;
      expect(decoded.pan).toBe('*'.repeat(16));
      expect({ ...decoded, pan: PAN }).toEqual(base);
    });

    it('masks a PAN glued to a digit by the framing (length byte of a 25-character string is "2")', () => {
      // pan is followed by customer_id; a 25-character string is prefixed by zigzag(25) = 0x32, the ASCII
      // digit "2", so the bytes hold the 17-digit run "41111111111111112", which as a whole fails Luhn.
      const record = { ...base, customer_id: 'c'.repeat(25) };
      const bytes = type.toBuffer(record);
      expect(bytes.includes(Buffer.from(`${PAN}2`))).toBe(true);
      expect(isLuhnValid(`${PAN}2`)).toBe(false);
      const result = maskPans(bytes);
      expect(result.bytes.includes(Buffer.from(PAN))).toBe(false);
      expect((type.fromBuffer(result.bytes) as Transaction).pan).toBe('*'.repeat(16));
      expect((type.fromBuffer(result.bytes) as Transaction).customer_id).toBe(record.customer_id);
    });

    it.each([12, 13, 15, 16, 19])(
      'keeps every field but the PAN for a %i-digit PAN next to any string length',
      (digits) => {
        const pan = {
          12: '630423337322',
          13: '4222222222222',
          15: '378282246310005',
          16: PAN,
          19: '6212345678901234569',
        }[digits] as string;
        for (let length = 1; length <= 40; length++) {
          // Nines hold no Luhn-valid window, so only the PAN may change; letters cover non-digit neighbours.
          for (const customerId of ['9'.repeat(length), 'c'.repeat(length)]) {
            const record = { ...base, pan, customer_id: customerId };
            const decoded = type.fromBuffer(maskPans(type.toBuffer(record)).bytes) as Transaction;
            expect({ ...decoded, pan }).toEqual(record);
            expect(decoded.pan).toBe('*'.repeat(digits));
          }
        }
      },
    );

    it('masks a clear PAN mistakenly sent in card_id', () => {
      const bytes = type.toBuffer({ ...base, pan: null, card_id: '5555 5555 5555 4444' });
      const decoded = type.fromBuffer(maskPans(bytes).bytes) as Transaction;
      expect(decoded.card_id).toBe('**** **** **** ****');
    });
  });
});
