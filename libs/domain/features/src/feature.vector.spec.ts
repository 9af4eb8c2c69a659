import { FEATURE_NAMES } from './feature.catalog';
import { FEATURE_SCHEMA_HASH, featureNamesOf } from './feature.vector';

describe('featureNamesOf', () => {
  const catalogValues = FEATURE_NAMES.map(() => 0);

  it('names a vector of this catalog by the catalog, with or without names on the wire', () => {
    expect(featureNamesOf({ schema_hash: FEATURE_SCHEMA_HASH, names: [], values: catalogValues })).toBe(FEATURE_NAMES);
    expect(featureNamesOf({ schema_hash: FEATURE_SCHEMA_HASH, names: [...FEATURE_NAMES], values: catalogValues })).toBe(
      FEATURE_NAMES,
    );
  });

  it('names a vector of another schema by its own names', () => {
    const names = ['amount', 'card_count_1h'];
    expect(featureNamesOf({ schema_hash: 'other', names, values: [1, 2] })).toBe(names);
  });

  it('cannot name a vector of another schema without names, or whose names and values differ in count', () => {
    expect(featureNamesOf({ schema_hash: 'other', names: [], values: [1, 2] })).toBeNull();
    expect(featureNamesOf({ schema_hash: 'other', names: ['amount'], values: [1, 2] })).toBeNull();
    // This catalog's hash but not its width: not this catalog's vector, and it has no names of its own.
    expect(featureNamesOf({ schema_hash: FEATURE_SCHEMA_HASH, names: [], values: [1, 2] })).toBeNull();
  });
});
