import { asClearPan, cardDigits, isLuhnValid, panHint } from './card-number.rules';

describe('card number rules', () => {
  describe('isLuhnValid', () => {
    const ok = [
      '4111111111111111',
      '378282246310005',
      '5555555555554444',
      '30569309025904',
      '4222222222222',
      '0',
      '18',
    ];
    const notOk = ['4111111111111112', '378282246310006', '1234567812345678', '1', '19'];

    it.each(ok)('accepts %s', (digits) => expect(isLuhnValid(digits)).toBe(true));
    it.each(notOk)('refuses %s', (digits) => expect(isLuhnValid(digits)).toBe(false));

    it('checks only the window it is given', () => {
      expect(isLuhnValid('99411111111111111199', 2, 16)).toBe(true);
      expect(isLuhnValid('99411111111111111199', 1, 16)).toBe(false);
    });
  });

  describe('cardDigits', () => {
    it.each([
      ['4111 1111 1111 1111', '4111111111111111'],
      ['4111-1111-1111-1111', '4111111111111111'],
      [' 4111111111111111 ', '4111111111111111'],
    ])('reads %j', (text, digits) => expect(cardDigits(text)).toBe(digits));

    it.each(['4111  1111 1111 1111', '4111 1111 1111 1111-', '4111a1111', 'tok_k1_abc', ''])('refuses %j', (text) =>
      expect(cardDigits(text)).toBeNull(),
    );
  });

  describe('asClearPan', () => {
    const ok = [
      ['12 digits', '630423337322'],
      ['13 digits', '4222222222222'],
      ['15 digits', '378282246310005'],
      ['16 digits grouped', '5555 5555 5555 4444'],
      ['19 digits', '6212345678901234569'],
    ];
    const notOk = [
      ['11 digits', '60495593109'],
      ['20 digits', '62123456789012345690'],
      ['bad check digit', '4111111111111112'],
      ['letters', 'C1234567890'],
    ];
    it.each(ok)('accepts %s', (_name, value) => expect(asClearPan(value)).toBe(value.replace(/ /g, '')));
    it.each(notOk)('refuses %s', (_name, value) => expect(asClearPan(value)).toBeNull());
  });

  it('panHint shows at most the last four characters', () => {
    expect(panHint('4111 1111 1111 1234')).toBe('****1234');
    expect(panHint('12345')).toBe('5 characters');
  });
});
