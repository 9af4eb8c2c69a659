import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@argus/contracts';
import { createLogger, type Logger } from '@argus/logger';
import { maskRedisUrl, parseRedisUrl } from '@argus/redis';
import { ArtefactInstaller } from './artefact.installer';
import { stackPaths } from './config.renderer';
import { ExternalComponent } from './external.component';
import { probePostgres, probeRedis } from './health.checks';
import { KafkaComponent } from './kafka.component';
import type { ComponentContext } from './process.component';
import { maskUrlPassword, PostgresComponent } from './postgres.component';
import { RedisClusterComponent } from './redis-cluster.component';
import { RedisComponent } from './redis.component';
import { SchemaRegistryComponent } from './schema-registry.component';
import type { ComponentName, ComponentStatus, StackComponent } from './stack.component';
import { describeError, StackError, StackErrorCode } from './stack.errors';
import { type LockOptions, withStackLock } from './stack.lock';
import { loadStackSettings, STACK_ENV, type StackSettings, stackUrls } from './stack.settings';
import { provisionTopics } from './topics.provisioner';

export interface StackOptions {
  /** Defaults to {@link loadStackSettings}(). */
  readonly settings?: StackSettings;
  /** Defaults to a JSON logger on stderr (`service: stack`). */
  readonly logger?: Logger;
  /**
   * Only these components (`argus stack up --only redis-cluster`): the others are neither started, stopped nor
   * probed. Each must be one the settings have (`redis-cluster` needs ARGUS_REDIS_CLUSTER).
   */
  readonly only?: readonly ComponentName[];
}

let stderrLogger: Logger | undefined;

/** Progress goes to stderr, so that stdout stays for the CLI's table or JSON. */
function defaultLogger(): Logger {
  stderrLogger ??= createLogger({ service: 'stack', destination: 2 });
  return stderrLogger;
}

function resolveOptions(options: StackOptions): {
  settings: StackSettings;
  logger: Logger;
  components: StackComponent[];
} {
  const settings = options.settings ?? loadStackSettings();
  const logger = options.logger ?? defaultLogger();
  return { settings, logger, components: selectComponents(createStackComponents(settings, logger), options.only) };
}

/** The components named by `only` (all when undefined), in display order; an unknown name is an error. */
export function selectComponents(
  components: readonly StackComponent[],
  only: readonly ComponentName[] | undefined,
): StackComponent[] {
  if (only === undefined) return [...components];
  const names = components.map((component) => component.name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    const hint = unknown.includes('redis-cluster') ? ` (redis-cluster runs only with ${STACK_ENV.redisCluster}=3)` : '';
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `no component ${unknown.join(', ')} in this stack${hint}; it has ${names.join(', ')}`,
    );
  }
  return components.filter((component) => only.includes(component.name));
}

/**
 * The components in display order; PostgreSQL and Redis are external when their URL is configured, and Redis is
 * a cluster of its own with ARGUS_REDIS_CLUSTER.
 */
export function createStackComponents(settings: StackSettings, logger: Logger): StackComponent[] {
  const context = { settings, installer: new ArtefactInstaller(settings, logger), logger };
  const urls = stackUrls(settings);
  const postgresUrl = settings.postgres.externalUrl;
  return [
    new KafkaComponent(context),
    new SchemaRegistryComponent(context),
    postgresUrl === undefined
      ? new PostgresComponent(context)
      : new ExternalComponent('postgres', maskUrlPassword(urls.postgresUrl), STACK_ENV.postgresUrl, () =>
          probePostgres({ connectionString: postgresUrl }),
        ),
    redisComponent(settings, context),
  ];
}

function redisComponent(settings: StackSettings, context: ComponentContext): StackComponent {
  const url = settings.redis.externalUrl;
  if (url !== undefined) {
    const name = parseRedisUrl(url).kind === 'cluster' ? 'redis-cluster' : 'redis';
    return new ExternalComponent(name, maskRedisUrl(url), STACK_ENV.redisUrl, () => probeRedis(url));
  }
  return settings.redis.cluster === undefined ? new RedisComponent(context) : new RedisClusterComponent(context);
}

function lockFile(settings: StackSettings): string {
  return join(stackPaths(settings).run, 'stack.lock');
}

function lockOptions(settings: StackSettings, logger: Logger): LockOptions {
  return { timeoutMs: settings.timeouts.installMs, logger, purpose: 'starting or stopping the stack' };
}

/** Settles every component's task, then fails with one error naming each component that failed. */
async function settleAll(
  components: readonly StackComponent[],
  task: (component: StackComponent) => Promise<ComponentStatus>,
  code: StackErrorCode,
  verb: string,
): Promise<ComponentStatus[]> {
  const results = await Promise.allSettled(components.map(task));
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [{ name: components[index]?.name, error: result.reason as unknown }] : [],
  );
  if (failures.length > 0) {
    const lines = failures.map(({ name, error }) => `- ${name}: ${describeError(error)}`).join('\n');
    throw new StackError(code, `stack ${verb} failed for ${failures.map((f) => f.name).join(', ')}:\n${lines}`, {
      cause: failures[0]?.error,
    });
  }
  return results.map((result) => (result as PromiseFulfilledResult<ComponentStatus>).value);
}

/**
 * Brings the local stack up and returns each component's status: Kafka (with every topic of
 * `@argus/contracts`), Apicurio Registry, PostgreSQL and Redis. Idempotent: components that already answer are
 * left running; the rest are installed if needed and started in parallel.
 */
export async function stackUp(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { settings, logger, components } = resolveOptions(options);
  const paths = stackPaths(settings);
  for (const dir of [paths.logs, paths.run]) mkdirSync(dir, { recursive: true });
  return withStackLock(lockFile(settings), lockOptions(settings, logger), async () => {
    const started = Date.now();
    const statuses = await settleAll(
      components,
      async (component) => {
        const status = await component.start();
        if (component.name !== 'kafka') return status;
        const plan = await provisionTopics(stackUrls(settings).kafkaBrokers, ALL_TOPICS, logger);
        const changed = plan.create.length + plan.grow.length;
        return { ...status, detail: `${status.detail}; ${ALL_TOPICS.length} topics (${changed} changed)` };
      },
      StackErrorCode.StartFailed,
      'up',
    );
    logger.info({ ms: Date.now() - started }, `stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return statuses;
  });
}

/**
 * Stops every process the stack started (graceful signal, then SIGKILL to the process group after a grace
 * period). External servers and servers the stack did not start are left alone.
 */
export async function stackDown(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { settings, logger, components } = resolveOptions(options);
  return withStackLock(lockFile(settings), lockOptions(settings, logger), async () => {
    const started = Date.now();
    const statuses = await settleAll(components, (component) => component.stop(), StackErrorCode.StopFailed, 'down');
    logger.info({ ms: Date.now() - started }, `stack down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return statuses;
  });
}

/** Probes every component; never throws for an unhealthy one (see `healthy` and `detail`). */
export async function stackStatus(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { components } = resolveOptions(options);
  return Promise.all(components.map((component) => component.status()));
}
