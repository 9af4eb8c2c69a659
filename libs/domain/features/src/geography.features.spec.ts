import { distanceKm } from './geo.math';
import { History, HOUR, LONDON, MINUTE, NEW_YORK, SECOND, T0 } from './testing/history.builder';

/** 0.01° of latitude due north of New York: 6371.0088 km × 0.01 × π / 180 ≈ 1.112 km. */
const NEAR_NEW_YORK = { ...NEW_YORK, lat: NEW_YORK.lat + 0.01 };
const KM_PER_HUNDREDTH_DEGREE = (6371.0088 * 0.01 * Math.PI) / 180;

describe('geography features', () => {
  it('is NaN for the card’s first transaction', () => {
    const f = new History().add({ geo: NEW_YORK });
    expect(f.card_seconds_since_previous).toBeNaN();
    expect(f.card_km_from_previous).toBeNaN();
    expect(f.card_kmh_from_previous).toBeNaN();
  });

  it('measures New York → London (about 5570 km) and the speed it needs', () => {
    const history = new History();
    history.add({ event_time: T0, geo: NEW_YORK });
    const f = history.add({ event_time: T0 + 7 * HOUR, geo: LONDON });
    expect(f.card_seconds_since_previous).toBe(7 * 3600);
    expect(Math.abs(f.card_km_from_previous - 5570) / 5570).toBeLessThan(0.01);
    expect(f.card_kmh_from_previous).toBeCloseTo(f.card_km_from_previous / 7, 9);
  });

  it('shows impossible travel as a speed no airliner reaches', () => {
    const history = new History();
    history.add({ event_time: T0, geo: NEW_YORK });
    const f = history.add({ event_time: T0 + 30 * MINUTE, geo: LONDON });
    expect(f.card_kmh_from_previous).toBeCloseTo(f.card_km_from_previous * 2, 9);
    expect(f.card_kmh_from_previous).toBeGreaterThan(11_000);
  });

  it.each([
    ['floors the elapsed time at 60 s', 10 * SECOND, 60],
    ['uses the real time from 60 s', MINUTE, 60],
    ['uses the real time above 60 s', 2 * MINUTE, 30],
  ])('%s', (_why, gap, perHour) => {
    const history = new History();
    history.add({ event_time: T0, geo: NEW_YORK });
    const f = history.add({ event_time: T0 + gap, geo: NEAR_NEW_YORK });
    expect(f.card_km_from_previous).toBeCloseTo(KM_PER_HUNDREDTH_DEGREE, 9);
    expect(f.card_kmh_from_previous).toBeCloseTo(KM_PER_HUNDREDTH_DEGREE * perHour, 9);
  });

  it('measures travel from the previous located transaction, time since from the previous one', () => {
    const history = new History();
    history.add({ event_time: T0, geo: NEW_YORK });
    const unlocated = history.add({ event_time: T0 + HOUR });
    expect(unlocated.card_seconds_since_previous).toBe(3600);
    expect(unlocated.card_km_from_previous).toBeNaN();
    expect(unlocated.card_kmh_from_previous).toBeNaN();

    const f = history.add({ event_time: T0 + 7 * HOUR, geo: LONDON });
    expect(f.card_seconds_since_previous).toBe(6 * 3600);
    expect(f.card_km_from_previous).toBeCloseTo(distanceKm(NEW_YORK, LONDON), 9);
    expect(f.card_kmh_from_previous).toBeCloseTo(distanceKm(NEW_YORK, LONDON) / 7, 9);
  });

  it('keeps the previous transaction per card', () => {
    const history = new History();
    history.add({ event_time: T0, geo: NEW_YORK, card_id: 'card-1' });
    const f = history.add({ event_time: T0 + HOUR, geo: LONDON, card_id: 'card-2' });
    expect(f.card_seconds_since_previous).toBeNaN();
    expect(f.card_km_from_previous).toBeNaN();
  });

  describe('customer home distance', () => {
    // Half-degree cells: New York is 81:-149 (centre 40.75, -74.25), London 103:-1 (centre 51.75, -0.25).
    const NEW_YORK_CELL = { lat: 40.75, lon: -74.25 };
    const LONDON_CELL = { lat: 51.75, lon: -0.25 };

    it('measures from the centre of the most frequent cell', () => {
      const homeKm = (current: typeof NEW_YORK | typeof LONDON) => {
        const history = new History();
        history.add({ event_time: T0, geo: NEW_YORK, card_id: 'card-1' });
        history.add({ event_time: T0 + HOUR, geo: LONDON, card_id: 'card-2' });
        history.add({ event_time: T0 + 2 * HOUR, geo: NEW_YORK, card_id: 'card-3' });
        return history.add({ event_time: T0 + 3 * HOUR, geo: current }).customer_home_km;
      };
      expect(homeKm(LONDON)).toBeCloseTo(distanceKm(NEW_YORK_CELL, LONDON), 9);
      const atHome = homeKm(NEW_YORK);
      expect(atHome).toBeCloseTo(distanceKm(NEW_YORK_CELL, NEW_YORK), 9);
      // 0.0372° of latitude and 0.244° of longitude at 40.7°N: about 21 km.
      expect(atHome).toBeGreaterThan(20.5);
      expect(atHome).toBeLessThan(21.5);
    });

    it('breaks a tie by the smallest cell key, compared as text', () => {
      const history = new History();
      history.add({ event_time: T0, geo: NEW_YORK });
      history.add({ event_time: T0 + HOUR, geo: LONDON });
      // "103:-1" < "81:-149" as strings, so the London cell wins although 81 < 103.
      const f = history.add({ event_time: T0 + 2 * HOUR, geo: NEW_YORK });
      expect(f.customer_home_km).toBeCloseTo(distanceKm(LONDON_CELL, NEW_YORK), 9);
    });

    it('ignores transactions without geo, and is NaN without a home or a location', () => {
      const history = new History();
      expect(history.add({ event_time: T0, geo: LONDON }).customer_home_km).toBeNaN();
      history.add({ event_time: T0 + HOUR });
      history.add({ event_time: T0 + 2 * HOUR });
      expect(history.add({ event_time: T0 + 3 * HOUR }).customer_home_km).toBeNaN();
      const f = history.add({ event_time: T0 + 4 * HOUR, geo: NEW_YORK });
      expect(f.customer_home_km).toBeCloseTo(distanceKm(LONDON_CELL, NEW_YORK), 9);
    });
  });
});
