import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@argus/contracts';
import { createLogger, type Logger } from '@argus/logger';
import { ArtefactInstaller } from './artefact.installer';
import { stackPaths } from './config.renderer';
import { ExternalComponent } from './external.component';
import { probePostgres, probeRedis } from './health.checks';
import { KafkaComponent } from './kafka.component';
import { maskUrlPassword, PostgresComponent } from './postgres.component';
import { RedisComponent } from './redis.component';
import { SchemaRegistryComponent } from './schema-registry.component';
import type { ComponentStatus, StackComponent } from './stack.component';
import { describeError, StackError, StackErrorCode } from './stack.errors';
import { type LockOptions, withStackLock } from './stack.lock';
import { loadStackSettings, STACK_ENV, type StackSettings, stackUrls } from './stack.settings';
import { provisionTopics } from './topics.provisioner';

export interface StackOptions {
  /** Defaults to {@link loadStackSettings}(). */
  readonly settings?: StackSettings;
  /** Defaults to a JSON logger on stderr (`service: stack`). */
  readonly logger?: Logger;
}

let stderrLogger: Logger | undefined;

/** Progress goes to stderr, so that stdout stays for the CLI's table or JSON. */
function defaultLogger(): Logger {
  stderrLogger ??= createLogger({ service: 'stack', destination: 2 });
  return stderrLogger;
}

function resolveOptions(options: StackOptions): { settings: StackSettings; logger: Logger } {
  return { settings: options.settings ?? loadStackSettings(), logger: options.logger ?? defaultLogger() };
}

/** The components in display order; PostgreSQL and Redis are external when their URL is configured. */
export function createStackComponents(settings: StackSettings, logger: Logger): StackComponent[] {
  const context = { settings, installer: new ArtefactInstaller(settings, logger), logger };
  const urls = stackUrls(settings);
  const postgresUrl = settings.postgres.externalUrl;
  const redisUrl = settings.redis.externalUrl;
  return [
    new KafkaComponent(context),
    new SchemaRegistryComponent(context),
    postgresUrl === undefined
      ? new PostgresComponent(context)
      : new ExternalComponent('postgres', maskUrlPassword(urls.postgresUrl), STACK_ENV.postgresUrl, () =>
          probePostgres({ connectionString: postgresUrl }),
        ),
    redisUrl === undefined
      ? new RedisComponent(context)
      : new ExternalComponent('redis', maskUrlPassword(urls.redisUrl), STACK_ENV.redisUrl, () => probeRedis(redisUrl)),
  ];
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
  const { settings, logger } = resolveOptions(options);
  const paths = stackPaths(settings);
  for (const dir of [paths.logs, paths.run]) mkdirSync(dir, { recursive: true });
  return withStackLock(lockFile(settings), lockOptions(settings, logger), async () => {
    const started = Date.now();
    const statuses = await settleAll(
      createStackComponents(settings, logger),
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
  const { settings, logger } = resolveOptions(options);
  return withStackLock(lockFile(settings), lockOptions(settings, logger), async () => {
    const started = Date.now();
    const statuses = await settleAll(
      createStackComponents(settings, logger),
      (component) => component.stop(),
      StackErrorCode.StopFailed,
      'down',
    );
    logger.info({ ms: Date.now() - started }, `stack down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return statuses;
  });
}

/** Probes every component; never throws for an unhealthy one (see `healthy` and `detail`). */
export async function stackStatus(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { settings, logger } = resolveOptions(options);
  return Promise.all(createStackComponents(settings, logger).map((component) => component.status()));
}
