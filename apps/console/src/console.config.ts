import { commonSettings, httpSettings, loadConfig, setting, type ConfigOf } from '@argus/config';
import { z } from 'zod';

export const consoleSettings = {
  logLevel: commonSettings.logLevel,
  ...httpSettings,
  caseApiUrl: setting({
    env: 'ARGUS_CONSOLE_CASE_API_URL',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    group: 'cases',
    description: 'The case service the console forwards /v1 to (the browser only ever talks to the console)',
    default: 'http://127.0.0.1:18107',
  }),
  assetsDir: setting({
    env: 'ARGUS_CONSOLE_ASSETS_DIR',
    schema: z.string().min(1),
    group: 'cases',
    description: "The console's built web app (vite build of apps/console/web)",
    default: 'dist/console-web',
  }),
};

export type ConsoleConfig = ConfigOf<typeof consoleSettings>;

export function loadConsoleConfig(): ConsoleConfig {
  return loadConfig(consoleSettings);
}
