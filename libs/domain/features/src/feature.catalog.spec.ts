import { LABEL_WINDOWS, VELOCITY_WINDOWS } from '@argus/contracts';
import { FEATURE_CATALOG, FEATURE_NAMES, FeatureFamily } from './feature.catalog';
import { FEATURE_LOGIC_VERSION, FEATURE_SCHEMA_HASH } from './feature.vector';

const WINDOW_NAMES = new Set([...VELOCITY_WINDOWS, ...LABEL_WINDOWS].map((w) => w.name).concat('10m'));

describe('feature catalog', () => {
  it('has at least 50 features with unique snake_case names, in FEATURE_NAMES order', () => {
    expect(FEATURE_CATALOG.length).toBeGreaterThanOrEqual(50);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    expect(FEATURE_NAMES).toEqual(FEATURE_CATALOG.map((f) => f.name));
    for (const name of FEATURE_NAMES) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it('has this many features per family', () => {
    const perFamily = Object.fromEntries(Object.values(FeatureFamily).map((family) => [family, 0]));
    for (const f of FEATURE_CATALOG) perFamily[f.family] = (perFamily[f.family] ?? 0) + 1;
    expect(perFamily).toEqual({
      transaction: 9,
      velocity: 70,
      baseline: 6,
      novelty: 7,
      geography: 4,
      card_testing: 7,
      label_risk: 12,
      network: 8,
    });
  });

  it('describes every feature', () => {
    for (const f of FEATURE_CATALOG) {
      expect(f.description.trim().length).toBeGreaterThan(10);
      expect(f.description).toBe(f.description.trim());
    }
  });

  it('gives a window exactly to the features whose name ends with one, and it is that window', () => {
    for (const f of FEATURE_CATALOG) {
      const suffix = /_(\d+[mhd])$/.exec(f.name)?.[1] ?? null;
      expect({ name: f.name, window: f.window }).toEqual({ name: f.name, window: suffix });
      if (f.window !== null) expect(WINDOW_NAMES.has(f.window)).toBe(true);
    }
  });

  // Models refuse vectors whose hash differs from the one they were trained on. If this fails because you
  // meant to add, rename, reorder or redescribe a feature, or to change how one is computed: bump
  // FEATURE_LOGIC_VERSION where the names and descriptions did not change, then update the expected hash here.
  it('keeps the schema hash of the current catalog', () => {
    expect(FEATURE_LOGIC_VERSION).toBe(1);
    expect(FEATURE_SCHEMA_HASH).toBe('b52c10234510e506');
  });
});
