import { compileTimeReader, type TimeReader } from './history-time.parser';
import type { TimeSpec } from './history-mapping.schema';

const utc = (iso: string): number => Date.parse(iso);

function reader(spec: Omit<TimeSpec, 'column'>): TimeReader {
  const compiled = compileTimeReader({ column: 'c', ...spec });
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

describe('history time formats', () => {
  const ok: Array<[string, Omit<TimeSpec, 'column'>, string, number]> = [
    ['epoch seconds', { format: 'epoch_s' }, '1325376018', utc('2012-01-01T00:00:18Z')],
    ['epoch seconds with millis', { format: 'epoch_s' }, '1325376018.25', utc('2012-01-01T00:00:18.250Z')],
    ['epoch millis', { format: 'epoch_ms' }, '1714558530250', utc('2024-05-01T10:15:30.250Z')],
    ['ISO with Z', { format: 'iso' }, '2024-05-01T10:15:30Z', utc('2024-05-01T10:15:30Z')],
    ['ISO with an offset', { format: 'iso' }, '2024-05-01T12:15:30+02:00', utc('2024-05-01T10:15:30Z')],
    ['naive ISO in UTC by default', { format: 'iso' }, '2024-05-01 10:15:30', utc('2024-05-01T10:15:30Z')],
    [
      'naive ISO in Paris (summer)',
      { format: 'iso', timezone: 'Europe/Paris' },
      '2024-07-01T12:00:00',
      utc('2024-07-01T10:00:00Z'),
    ],
    [
      'naive ISO in Paris (winter)',
      { format: 'iso', timezone: 'Europe/Paris' },
      '2024-01-15T12:00:00',
      utc('2024-01-15T11:00:00Z'),
    ],
    [
      'an ISO offset wins over the zone',
      { format: 'iso', timezone: 'Europe/Paris' },
      '2024-01-15T12:00:00Z',
      utc('2024-01-15T12:00:00Z'),
    ],
    ['an ISO date alone', { format: 'iso', timezone: 'Asia/Tokyo' }, '2024-05-01', utc('2024-04-30T15:00:00Z')],
    ['a Sparkov time', { format: '%Y-%m-%d %H:%M:%S' }, '2019-01-01 00:00:18', utc('2019-01-01T00:00:18Z')],
    [
      'a pattern in New York',
      { format: '%Y-%m-%d %H:%M:%S', timezone: 'America/New_York' },
      '2024-05-01 06:15:30',
      utc('2024-05-01T10:15:30Z'),
    ],
    ['a day-first pattern', { format: '%d/%m/%Y %H:%M' }, '01/05/2024 10:15', utc('2024-05-01T10:15:00Z')],
    [
      'a pattern with fraction and offset',
      { format: '%Y%m%dT%H%M%S.%f%z' },
      '20240501T121530.5+0200',
      utc('2024-05-01T10:15:30.500Z'),
    ],
    ['a pattern with a literal %', { format: '%%%Y-%m-%d' }, '%2024-05-01', utc('2024-05-01T00:00:00Z')],
    [
      'a time skipped by DST moves forward',
      { format: 'iso', timezone: 'America/New_York' },
      '2024-03-10T02:30:00',
      utc('2024-03-10T07:30:00Z'),
    ],
    [
      'a time repeated by DST takes the first',
      { format: 'iso', timezone: 'America/New_York' },
      '2024-11-03T01:30:00',
      utc('2024-11-03T05:30:00Z'),
    ],
    ['PaySim step 1', { format: 'step_hours', base: '2024-01-01T00:00:00Z' }, '1', utc('2024-01-01T01:00:00Z')],
    ['PaySim step 45', { format: 'step_hours', base: '2024-01-01T00:00:00Z' }, '45', utc('2024-01-02T21:00:00Z')],
    ['step 0 in days', { format: 'step_days', base: '2024-01-01T00:00:00+01:00' }, '0', utc('2023-12-31T23:00:00Z')],
    ['step 3 in days', { format: 'step_days', base: '2024-01-01T00:00:00Z' }, '3', utc('2024-01-04T00:00:00Z')],
  ];

  it.each(ok)('reads %s', (_name, spec, cell, expected) => expect(reader(spec)(cell)).toBe(expected));

  const unreadable: Array<[string, Omit<TimeSpec, 'column'>, string]> = [
    ['month 13', { format: '%Y-%m-%d %H:%M:%S' }, '2020-13-01 00:00:00'],
    ['30 February', { format: '%Y-%m-%d %H:%M:%S' }, '2020-02-30 00:00:00'],
    ['hour 24', { format: '%Y-%m-%d %H:%M:%S' }, '2020-01-01 24:00:00'],
    ['a date in another layout', { format: '%Y-%m-%d %H:%M:%S' }, '01/01/2020 00:00:00'],
    ['trailing text', { format: '%Y-%m-%d %H:%M:%S' }, '2020-01-01 00:00:00 UTC'],
    ['words as epoch', { format: 'epoch_s' }, 'yesterday'],
    ['a decimal epoch in millis', { format: 'epoch_ms' }, '1714558530250.5'],
    ['a free-text ISO', { format: 'iso' }, 'May 1st'],
    ['a fractional step', { format: 'step_hours', base: '2024-01-01T00:00:00Z' }, '1.5'],
    ['a negative step', { format: 'step_hours', base: '2024-01-01T00:00:00Z' }, '-1'],
  ];

  it.each(unreadable)('refuses %s', (_name, spec, cell) => expect(reader(spec)(cell)).toBeNull());

  const badSpecs: Array<[string, Omit<TimeSpec, 'column'>, string]> = [
    ['an unknown format', { format: 'dd/mm/yyyy' }, 'is not epoch_s'],
    ['an unknown directive', { format: '%Y-%m-%d %q' }, 'uses %q'],
    ['a pattern without a day', { format: '%Y-%m' }, 'needs %Y, %m and %d'],
    ['a repeated directive', { format: '%Y-%m-%d %Y' }, 'repeats %Y'],
    ['an unknown zone', { format: 'iso', timezone: 'Mars/Olympus' }, 'not an IANA time zone'],
    ['a step without base', { format: 'step_hours' }, 'need "base"'],
    ['a step base without offset', { format: 'step_hours', base: '2024-01-01T00:00:00' }, 'need "base"'],
  ];

  it.each(badSpecs)('explains %s', (_name, spec, problem) => {
    expect(compileTimeReader({ column: 'c', ...spec })).toEqual(expect.stringContaining(problem));
  });
});
