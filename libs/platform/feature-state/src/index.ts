export { FeatureStateError, FeatureStateErrorCode } from './feature-state.errors';
export { entityKey, RedisFeatureState } from './redis.feature-state';
