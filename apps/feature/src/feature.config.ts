import {
  commonSettings,
  featureStateSettings,
  httpSettings,
  loadConfig,
  redisSettings,
  type ConfigOf,
} from '@argus/config';

export const featureSettings = {
  ...commonSettings,
  ...redisSettings,
  ...httpSettings,
  ...featureStateSettings,
};

export type FeatureConfig = ConfigOf<typeof featureSettings>;

export function loadFeatureConfig(): FeatureConfig {
  return loadConfig(featureSettings);
}
