export { SMALL_AMOUNT_MAJOR, UNITS_PER_MAJOR, amountUnits, unitsToMajor } from './amount.math';
export { FEATURE_CATALOG, FEATURE_NAMES, FeatureFamily, type FeatureDefinition } from './feature.catalog';
export { describeFeature } from './feature.phrases';
export { FeatureContext } from './feature.context';
export {
  computeFeatures,
  computeStatelessFeatures,
  FEATURE_LOGIC_VERSION,
  FEATURE_SCHEMA_HASH,
  featureNamesOf,
} from './feature.vector';
export { distanceKm, type LatLon } from './geo.math';
export { buildStateEvent, payeeOf, type StateEventOptions } from './state-event.builder';
export { InMemoryFeatureState } from './in-memory.feature-state';
