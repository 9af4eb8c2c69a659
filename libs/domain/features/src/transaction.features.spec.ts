import { History, HOUR, NEW_YORK, T0 } from './testing/history.builder';

describe('transaction features', () => {
  it.each([
    ['USD (2 decimals)', 'USD', 1_234, 12.34],
    ['JPY (0 decimals)', 'JPY', 1_500, 1_500],
    ['BHD (3 decimals)', 'BHD', 1_234, 1.234],
    ['an unknown currency (assumed 2 decimals)', 'XTS', 1_234, 12.34],
  ])('reads the amount of %s in major units', (_label, currency, amountMinor, major) => {
    const f = new History().add({ currency, amount_minor: amountMinor });
    expect(f.amount).toBe(major);
  });

  it('gives log10(1 + amount)', () => {
    expect(new History().add({ amount_minor: 900 }).log_amount).toBe(1);
    expect(new History().add({ currency: 'JPY', amount_minor: 99 }).log_amount).toBe(2);
    expect(new History().add({ amount_minor: 0 }).log_amount).toBe(0);
  });

  it('gives local solar hour from longitude / 15 and UTC hour without geo', () => {
    const at15Utc = T0 + 15 * HOUR;
    expect(new History().add({ event_time: at15Utc }).local_hour).toBe(15);
    // New York, lon -74.006: round(-4.93) = -5 hours.
    expect(new History().add({ event_time: at15Utc, geo: NEW_YORK }).local_hour).toBe(10);
    // Wraps past midnight: 02:00 UTC at lon -74 is 21:00.
    expect(new History().add({ event_time: T0 + 2 * HOUR, geo: NEW_YORK }).local_hour).toBe(21);
  });

  it('gives the UTC day of week (2024-01-01 is a Monday)', () => {
    expect(new History().add({ event_time: T0 }).day_of_week).toBe(1);
    expect(new History().add({ event_time: T0 - 1 }).day_of_week).toBe(0);
  });

  it.each([
    ['CARD_PRESENT', 0, 1, 0],
    ['ECOMMERCE', 1, 0, 1],
    ['MOBILE', 4, 0, 0],
    ['UNKNOWN', 6, 0, 0],
  ] as const)('codes channel %s as %d', (channel, code, cardPresent, ecommerce) => {
    const f = new History().add({ channel });
    expect(f.channel_code).toBe(code);
    expect(f.is_card_present).toBe(cardPresent);
    expect(f.is_ecommerce).toBe(ecommerce);
  });

  it('reads the MCC as a number, NaN when absent', () => {
    expect(new History().add({ merchant_category_code: '0742' }).mcc).toBe(742);
    expect(new History().add({ merchant_category_code: null }).mcc).toBeNaN();
  });

  it('flags a device fingerprint', () => {
    expect(new History().add().has_device).toBe(1);
    expect(new History().add({ device_fingerprint: null }).has_device).toBe(0);
  });
});
