import { commonSettings, httpSettings, loadConfig, setting, type ConfigOf } from '@argus/config';
import { z } from 'zod';

export const rulesSettings = {
  ...commonSettings,
  ...httpSettings,
  rulesFile: setting({
    env: 'ARGUS_RULES_FILE',
    schema: z.string().min(1),
    group: 'rules',
    description: 'YAML rule set; re-read when it changes, a bad version is refused',
    default: 'deploy/config/rules/default.yaml',
  }),
};

export type RulesConfig = ConfigOf<typeof rulesSettings>;

export function loadRulesConfig(): RulesConfig {
  return loadConfig(rulesSettings);
}
