import { FEATURE_CATALOG, FeatureFamily } from './feature.catalog';
import { computeStatelessFeatures } from './feature.vector';
import { featuresByName, History, NEW_YORK, OPTIONS, txn } from './testing/history.builder';

describe('stateless features (behavioural state unavailable)', () => {
  const transaction = txn({ geo: NEW_YORK, amount_minor: 12_345, merchant_category_code: '5411' });
  const stateless = featuresByName(computeStatelessFeatures(transaction, OPTIONS));

  it("computes the transaction's own features exactly as with state", () => {
    const withState = new History().score(transaction).features;
    const own = FEATURE_CATALOG.filter((feature) => feature.family === FeatureFamily.TRANSACTION);
    expect(own.length).toBeGreaterThan(5);
    for (const feature of own) expect(stateless[feature.name]).toBe(withState[feature.name]);
  });

  it('leaves every feature that needs state missing (NaN), never zero', () => {
    const needState = FEATURE_CATALOG.filter((feature) => feature.family !== FeatureFamily.TRANSACTION);
    expect(needState.length).toBeGreaterThan(50);
    for (const feature of needState) expect(stateless[feature.name]).toBeNaN();
  });
});
