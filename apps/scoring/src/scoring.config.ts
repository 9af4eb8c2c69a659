import {
  commonSettings,
  httpSettings,
  loadConfig,
  modelScoringSettings,
  postgresSettings,
  type ConfigOf,
} from '@argus/config';

export const scoringSettings = {
  ...commonSettings,
  ...postgresSettings,
  ...httpSettings,
  // Shared with the gateway, which scores in process: both must serve and explain a model alike.
  ...modelScoringSettings,
};

export type ScoringConfig = ConfigOf<typeof scoringSettings>;

export function loadScoringConfig(): ScoringConfig {
  return loadConfig(scoringSettings);
}
