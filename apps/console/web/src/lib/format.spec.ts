import { currencyExponent, formatDuration, formatMinor, formatSla, formatTime, humanize } from './format';

describe('console formats', () => {
  it('writes minor units with the currency exponent', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(formatMinor(123456, 'EUR')).toBe('€1,234.56');
    expect(formatMinor(5000, 'JPY')).toBe('¥5,000');
    expect(formatMinor(1234, 'BHD').replace(/\s/g, ' ')).toBe('BHD 1.234'); // Intl puts a no-break space there
  });

  it('survives a code Intl does not know', () => {
    expect(formatMinor(150, 'XYZ1')).toBe('1.50 XYZ1');
  });

  it('writes durations and SLAs as an analyst reads them', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration((3 * 60 + 5) * 60_000)).toBe('3 h 05 min');
    expect(formatDuration(52 * 3_600_000)).toBe('2 d 4 h');
    expect(formatSla(20 * 60_000)).toBe('20 min left');
    expect(formatSla(-12 * 60_000)).toBe('overdue by 12 min');
  });

  it('writes UTC times and codes in words', () => {
    expect(formatTime('2026-12-07T14:03:12.345Z')).toBe('2026-12-07 14:03:12');
    expect(formatTime(null)).toBe('—');
    expect(humanize('CONFIRMED_FRAUD')).toBe('Confirmed fraud');
  });
});
