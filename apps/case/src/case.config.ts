import {
  commonSettings,
  httpSettings,
  loadConfig,
  parsers,
  postgresSettings,
  setting,
  type ConfigOf,
} from '@argus/config';
import { z } from 'zod';

export const caseSettings = {
  ...commonSettings,
  ...postgresSettings,
  ...httpSettings,
  casePolicyFile: setting({
    env: 'ARGUS_CASE_POLICY_FILE',
    schema: z.string().min(1),
    group: 'cases',
    description:
      'YAML case policy (queues, SLAs, routes, four eyes); re-read when it changes, a bad version is refused',
    default: 'deploy/config/cases/default.yaml',
  }),
  tokenSecret: setting({
    env: 'ARGUS_CASE_TOKEN_SECRET',
    schema: z.string().min(32, 'must be at least 32 characters'),
    group: 'security',
    description: "HMAC key that signs analysts' session tokens (rotating it logs everyone out)",
    secret: true,
  }),
  tokenTtlMinutes: setting({
    env: 'ARGUS_CASE_TOKEN_TTL_MINUTES',
    schema: parsers.int(5, 24 * 60),
    group: 'security',
    description: 'How long a console session lasts before the analyst logs in again (minutes)',
    default: '480',
  }),
  alertWebhookUrl: setting({
    env: 'ARGUS_CASE_ALERT_WEBHOOK_URL',
    schema: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })]),
    optional: true,
    group: 'cases',
    description:
      'Slack-compatible incoming webhook for high-value BLOCKs and SLA breaches (thresholds in the case policy); empty: none',
    default: '',
    secret: true,
  }),
  notificationIntervalMs: setting({
    env: 'ARGUS_CASE_NOTIFICATION_INTERVAL_MS',
    schema: parsers.int(100, 600_000),
    group: 'cases',
    description: 'How often SLA breaches are looked for and waiting chat notifications delivered (ms)',
    default: '5000',
  }),
  outboxIntervalMs: setting({
    env: 'ARGUS_CASE_OUTBOX_INTERVAL_MS',
    schema: parsers.int(10, 60_000),
    group: 'cases',
    description:
      'How often the outbox relay looks for case-events and labels left unpublished (ms); every change also wakes it at once',
    default: '1000',
  }),
};

export type CaseConfig = ConfigOf<typeof caseSettings>;

export function loadCaseConfig(): CaseConfig {
  return loadConfig(caseSettings);
}
