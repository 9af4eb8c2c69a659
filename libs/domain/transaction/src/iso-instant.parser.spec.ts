import { parseIsoInstant, type IsoInstantResult } from './iso-instant.parser';

const utc = (iso: string): number => Date.parse(iso);

describe('parseIsoInstant', () => {
  const ok: Array<[string, number]> = [
    ['2024-05-01T10:15:30Z', utc('2024-05-01T10:15:30.000Z')],
    ['2024-05-01T10:15:30.250Z', utc('2024-05-01T10:15:30.250Z')],
    ['2024-05-01T12:15:30+02:00', utc('2024-05-01T10:15:30.000Z')],
    ['2024-05-01T05:45:30-04:30', utc('2024-05-01T10:15:30.000Z')],
    ['2024-05-01T15:45:30+0530', utc('2024-05-01T10:15:30.000Z')],
    ['2024-05-01T00:30:00+14:00', utc('2024-04-30T10:30:00.000Z')],
    ['2024-05-01T10:15Z', utc('2024-05-01T10:15:00.000Z')],
    ['2024-05-01 10:15:30z', utc('2024-05-01T10:15:30.000Z')],
    ['2024-05-01T10:15:30.123456789Z', utc('2024-05-01T10:15:30.123Z')],
    ['2024-02-29T00:00:00Z', utc('2024-02-29T00:00:00.000Z')],
    ['2024-12-31T23:59:59-01:00', utc('2025-01-01T00:59:59.000Z')],
  ];
  const notOk: Array<[string, IsoInstantResult]> = [
    ['2024-05-01T10:15:30', { ok: false, problem: 'NO_OFFSET' }],
    ['2024-05-01T10:15', { ok: false, problem: 'NO_OFFSET' }],
    ['2023-02-29T00:00:00Z', { ok: false, problem: 'RANGE' }],
    ['2024-13-01T00:00:00Z', { ok: false, problem: 'RANGE' }],
    ['2024-05-01T24:00:00Z', { ok: false, problem: 'RANGE' }],
    ['2024-05-01T10:60:00Z', { ok: false, problem: 'RANGE' }],
    ['2024-05-01T10:15:30+19:00', { ok: false, problem: 'RANGE' }],
    ['0099-05-01T10:15:30Z', { ok: false, problem: 'RANGE' }],
    ['2024-05-01', { ok: false, problem: 'FORMAT' }],
    ['1714558530000', { ok: false, problem: 'FORMAT' }],
    ['May 1, 2024 10:15 UTC', { ok: false, problem: 'FORMAT' }],
    ['2024-05-01T10:15:30 Europe/Paris', { ok: false, problem: 'FORMAT' }],
  ];

  it.each(ok)('%s is %i', (text, epochMs) => expect(parseIsoInstant(text)).toEqual({ ok: true, epochMs }));
  it.each(notOk)('%s is refused', (text, result) => expect(parseIsoInstant(text)).toEqual(result));
});
