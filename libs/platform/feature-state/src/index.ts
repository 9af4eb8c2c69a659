export { FeatureStateError, FeatureStateErrorCode } from './feature-state.errors';
export { InMemoryFeatureState } from './in-memory.feature-state';
export { entityKey, RedisFeatureState } from './redis.feature-state';
export { bucketIndex, labelPlan, velocityPlan, windowRange } from './state.rules';
