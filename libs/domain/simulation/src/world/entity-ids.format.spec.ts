import { accountId, cardId, deviceFingerprint, luhnCheckDigit, testPan, transactionId } from './entity-ids.format';

function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

describe('entity ids', () => {
  it('formats ids per namespace, zero-padded and without long digit runs', () => {
    expect(cardId(123)).toBe('card_000123');
    expect(accountId(5)).toBe('acc_0000005');
    expect(transactionId(7, 42)).toBe('sim7_tx000000042');
    expect(deviceFingerprint(0, 1)).toMatch(/^dev_[0-9a-f]{8}$/);
  });

  it('gives every device a different fingerprint for a seed', () => {
    const prints = new Set(Array.from({ length: 50_000 }, (_, i) => deviceFingerprint(i, 9)));
    expect(prints.size).toBe(50_000);
    expect(deviceFingerprint(3, 9)).not.toBe(deviceFingerprint(3, 10));
  });

  it('makes unique Luhn-valid 16-digit test card numbers', () => {
    const pans = Array.from({ length: 20_000 }, (_, i) => testPan(i));
    expect(new Set(pans).size).toBe(pans.length);
    for (const pan of pans.slice(0, 2000)) {
      expect(pan).toMatch(/^(400000|424242|510510|555555)\d{10}$/);
      expect(luhnValid(pan)).toBe(true);
    }
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(luhnValid(`${testPan(77).slice(0, 15)}${(Number(testPan(77)[15]) + 1) % 10}`)).toBe(false);
  });
});
