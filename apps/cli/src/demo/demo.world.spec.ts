import { DEMO_WORLD, demoTimeline } from './demo.world';

describe('demoTimeline', () => {
  const now = Date.parse('2026-12-04T19:42:13Z');

  it('ends at the last midnight UTC, with the live days after the cut and the model windows inside the history', () => {
    const timeline = demoTimeline(DEMO_WORLD, now);
    expect(new Date(timeline.end).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(new Date(timeline.start).toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(new Date(timeline.cut).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(timeline.windows).toEqual({
      trainFrom: '2026-11-04',
      trainTo: '2026-11-22',
      testFrom: '2026-11-25',
      testTo: '2026-12-02',
    });
    // Training ends, with its label delay, before calibration and test; test ends at the cut: the live days
    // are never seen by the model.
    expect(Date.parse(timeline.windows.testTo)).toBeLessThanOrEqual(timeline.cut);
  });

  it('gives the same world all day, and the next day the same world one day later', () => {
    const morning = demoTimeline(DEMO_WORLD, Date.parse('2026-12-04T00:00:01Z'));
    expect(demoTimeline(DEMO_WORLD, now)).toEqual(morning);
    const tomorrow = demoTimeline(DEMO_WORLD, now + 86_400_000);
    expect(tomorrow.start - morning.start).toBe(86_400_000);
  });
});
