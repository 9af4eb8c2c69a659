import { commonSettings, httpSettings, loadConfig, ruleSetSettings, type ConfigOf } from '@argus/config';

export const rulesSettings = {
  ...commonSettings,
  ...httpSettings,
  ...ruleSetSettings,
};

export type RulesConfig = ConfigOf<typeof rulesSettings>;

export function loadRulesConfig(): RulesConfig {
  return loadConfig(rulesSettings);
}
