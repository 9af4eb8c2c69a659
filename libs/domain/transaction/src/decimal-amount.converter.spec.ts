import { decimalToMinorUnits, type DecimalAmountProblem } from './decimal-amount.converter';

describe('decimalToMinorUnits', () => {
  const ok: Array<[string, number, number]> = [
    ['10.10', 2, 1010], // EUR: 10.10 * 100 in binary floating point is 1009.9999999999999
    ['0.29', 2, 29], // 0.29 * 100 = 28.999999999999996
    ['10', 2, 1000],
    ['10.100', 2, 1010],
    ['1234', 0, 1234], // JPY
    ['1234.000', 0, 1234],
    ['1.234', 3, 1234], // KWD
    ['0.001', 3, 1],
    ['1.00E+07', 2, 1_000_000_000], // PaySim writes large amounts like this
    ['2.5e-1', 2, 25],
    ['-3.50', 2, -350],
    ['+7', 2, 700],
    ['0', 2, 0],
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
  ];
  const notOk: Array<[string, number, DecimalAmountProblem]> = [
    ['10.001', 2, 'PRECISION'],
    ['0.5', 0, 'PRECISION'],
    ['1.2345', 3, 'PRECISION'],
    ['1e-3', 2, 'PRECISION'],
    ['90071992547409.92', 2, 'RANGE'],
    ['1e30', 2, 'RANGE'],
    ['', 2, 'FORMAT'],
    ['abc', 2, 'FORMAT'],
    ['1,50', 2, 'FORMAT'],
    ['.5', 2, 'FORMAT'],
    ['5.', 2, 'FORMAT'],
    ['1 000', 2, 'FORMAT'],
    ['NaN', 2, 'FORMAT'],
    ['Infinity', 2, 'FORMAT'],
    ['0x10', 2, 'FORMAT'],
  ];

  it.each(ok)('%j with exponent %i is %i', (text, exponent, minor) => {
    expect(decimalToMinorUnits(text, exponent)).toEqual({ ok: true, minor });
  });

  it.each(notOk)('%j with exponent %i fails with %s', (text, exponent, problem) => {
    expect(decimalToMinorUnits(text, exponent)).toEqual({ ok: false, problem });
  });
});
