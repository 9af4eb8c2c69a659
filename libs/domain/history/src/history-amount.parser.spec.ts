import { readAmount } from './history-amount.parser';

describe('readAmount', () => {
  it.each([
    ['10.10', 2, 1010],
    ['4.97', 2, 497],
    ['1.00E+07', 2, 1_000_000_000],
    ['1500', 0, 1500],
    ['12', 2, 1200],
  ])('reads %s with %i places exactly as %i minor units', (cell, exponent, minor) => {
    expect(readAmount(cell, exponent)).toEqual({ ok: true, minor, rounded: false });
  });

  it.each([
    ['85.64999999999999', 2, 8565],
    ['52.300000000000004', 2, 5230],
    ['0.30000000000000004', 2, 30],
    ['1234.5600000000002', 2, 123_456],
    ['19.989999999999998', 2, 1999],
    ['999.9999999999999', 0, 1000],
  ])('takes %s, a float rendering of an amount with %i places, as %i (rounded)', (cell, exponent, minor) => {
    expect(readAmount(cell, exponent)).toEqual({ ok: true, minor, rounded: true });
  });

  it('takes exactly the renderings that binary arithmetic produces', () => {
    // Products and sums as a dataframe computes them: each result is the double nearest to a few ulps of cents.
    for (let cents = 1; cents < 20_000; cents += 7) {
      for (const factor of [3, 5, 1.1, 0.7]) {
        const computed = (cents / 100) * factor;
        const intended = Math.round(computed * 100);
        if (Math.abs(computed * 100 - intended) > 1e-6) continue; // not an amount with two places
        const reading = readAmount(String(computed), 2);
        expect(reading).toMatchObject({ ok: true, minor: intended });
      }
    }
  });

  it.each([
    ['10.005', 'a real half cent'],
    ['85.649999', 'a hand-typed value, too short to be a float printed in full'],
    ['85.6499999999', 'a float far more than a few ulps from 85.65'],
    ['0.001', 'a tenth of a cent'],
  ])('refuses %s (%s) as having more than 2 decimal places', (cell) => {
    expect(readAmount(cell, 2)).toEqual({ ok: false, reason: `"${cell}" has more than 2 decimal places` });
  });

  it('refuses a float rendering for a currency without minor units when it is a real fraction', () => {
    expect(readAmount('1500.5', 0)).toMatchObject({ ok: false });
  });

  it.each([
    ['-4.97', 'is not a positive amount'],
    ['0.00', 'is not a positive amount'],
    ['-0.30000000000000004', 'is not a positive amount'],
    ['abc', 'is not a decimal number'],
    ['1e300', 'is too large'],
  ])('refuses %s: %s', (cell, reason) => {
    expect(readAmount(cell, 2)).toEqual({ ok: false, reason: `"${cell}" ${reason}` });
  });
});
