import {
  commonSettings,
  decisionSettings,
  featureStateSettings,
  httpSettings,
  intakeSettings,
  loadConfig,
  modelScoringSettings,
  parsers,
  postgresSettings,
  redisSettings,
  ruleSetSettings,
  setting,
  type ConfigOf,
} from '@argus/config';
import { z } from 'zod';

/**
 * The gateway runs every stage of the pipeline in one process, so it reads the settings of each stage from
 * the same shared groups as the async services (intake, feature state, rules, policy, model scoring): the
 * two paths decide alike only if they are configured alike.
 */
export const gatewaySettings = {
  ...commonSettings,
  ...redisSettings,
  ...postgresSettings,
  ...httpSettings,
  ...intakeSettings,
  ...featureStateSettings,
  ...ruleSetSettings,
  ...decisionSettings,
  ...modelScoringSettings,
  clientsFile: setting({
    env: 'ARGUS_GATEWAY_CLIENTS_FILE',
    schema: z.string().min(1),
    group: 'gateway',
    description: 'YAML list of API clients (id, sha256 of the key, scopes, rate limit); re-read when it changes',
    default: 'deploy/config/gateway/clients.yaml',
  }),
  scoreTimeoutMs: setting({
    env: 'ARGUS_GATEWAY_SCORE_TIMEOUT_MS',
    schema: parsers.int(1, 10_000),
    group: 'gateway',
    description:
      'How long a decision waits for the model score (ms); past it the rules decide and it says SCORE_TIMEOUT',
    default: '50',
  }),
  maxInFlight: setting({
    env: 'ARGUS_GATEWAY_MAX_IN_FLIGHT',
    schema: parsers.int(1, 100_000),
    group: 'gateway',
    description:
      'Decisions one replica works on at once; beyond it requests get 503 OVERLOADED at once (load shedding), so an overload cannot make every answer late',
    default: '32',
  }),
  redisTimeoutMs: setting({
    env: 'ARGUS_GATEWAY_REDIS_TIMEOUT_MS',
    schema: parsers.int(1, 10_000),
    group: 'gateway',
    description:
      'How long the idempotency look-up and store may wait for Redis (ms); past it the gateway decides without them (logged)',
    default: '50',
  }),
  decisionTtlHours: setting({
    env: 'ARGUS_GATEWAY_DECISION_TTL_HOURS',
    schema: parsers.int(1, 24 * 30),
    group: 'gateway',
    description: 'How long a decided answer is kept for retries of the same transaction and for step-up results',
    default: '24',
  }),
  publishQueueMax: setting({
    env: 'ARGUS_GATEWAY_PUBLISH_QUEUE_MAX',
    schema: parsers.int(1, 1_000_000),
    group: 'gateway',
    description:
      'Records (decisions, step-up results, labels) waiting for Kafka; when full the gateway answers 503 BACKPRESSURE and is not ready',
    default: '20000',
  }),
  publishLingerMs: setting({
    env: 'ARGUS_GATEWAY_PUBLISH_LINGER_MS',
    schema: parsers.int(0, 1_000),
    group: 'gateway',
    description: 'How long records wait to be sent together in one produce request (ms)',
    default: '5',
  }),
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

export function loadGatewayConfig(): GatewayConfig {
  return loadConfig(gatewaySettings);
}
