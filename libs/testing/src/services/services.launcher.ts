import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isProcessAlive,
  readPidFile,
  removePidFile,
  spawnDetached,
  stopProcessGroup,
} from '../stack/process.supervisor';
import { SERVICE_REPLICAS, stackUrls, type StackSettings } from '../stack/stack.settings';
import { waitFor } from '../wait-for.helper';

/** The Argus services run as local processes, in start order (consumers of a topic before its producers). */
export const LOCAL_SERVICES = [
  { name: 'audit', port: 18103 },
  // Reads decisions, labels and step-up results; its case-events are audited.
  { name: 'case', port: 18107 },
  // The analysts' web console; forwards /v1 to the case service.
  { name: 'console', port: 18108 },
  { name: 'decision-combiner', port: 18102 },
  { name: 'feature', port: 18104 },
  { name: 'scoring', port: 18105 },
  // Produces decisions, step-up results and labels: after audit and feature, which read them.
  { name: 'gateway', port: 18106 },
  { name: 'rules', port: 18101 },
  { name: 'ingestion', port: 18100 },
] as const;

export type ServiceName = (typeof LOCAL_SERVICES)[number]['name'];

/**
 * The services that consume Kafka, each in a consumer group of its own: with ARGUS_SERVICES_REPLICAS they run as
 * that many processes sharing the group. The gateway (HTTP in, Kafka out) and the console stay single.
 */
export const REPLICATED_SERVICES: ReadonlySet<ServiceName> = new Set<ServiceName>([
  'audit',
  'case',
  'decision-combiner',
  'feature',
  'scoring',
  'rules',
  'ingestion',
]);

/** Replica k (from 0) of a service listens on the service's port + 1000 × k. */
const REPLICA_PORT_STEP = 1000;

/** One process of a local service. */
export interface ServiceProcess {
  readonly name: ServiceName;
  /** 0 for the first process (the service's own port, pid and log file), 1… for the other replicas. */
  readonly replica: number;
  /** `feature` for the first process, `feature-2`, `feature-3`… for the others: pid, log and instance id. */
  readonly id: string;
  readonly port: number;
}

/**
 * The processes `servicesUp` runs, in start order: every service, and for a consuming service its replicas
 * (`replicas`, default the settings'), each service's processes together.
 */
export function serviceProcesses(settings: StackSettings, replicas = settings.serviceReplicas): ServiceProcess[] {
  return LOCAL_SERVICES.flatMap(({ name, port }) =>
    Array.from({ length: REPLICATED_SERVICES.has(name) ? replicas : 1 }, (_, replica) => ({
      name,
      replica,
      id: replica === 0 ? name : `${name}-${replica + 1}`,
      port: port + REPLICA_PORT_STEP * replica,
    })),
  );
}

export interface ServiceStatus {
  readonly name: ServiceName;
  /** Which process of the service (see ServiceProcess). */
  readonly id: string;
  readonly replica: number;
  readonly url: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly ready: boolean;
  readonly logFile: string;
}

const servicesDir = (settings: StackSettings) => join(settings.repoRoot, '.argus', 'services');
const pidFile = (settings: StackSettings, name: string) => join(servicesDir(settings), `${name}.pid`);
const logFile = (settings: StackSettings, name: string) => join(servicesDir(settings), 'logs', `${name}.log`);
const serviceUrl = (settings: StackSettings, port: number) => `http://${settings.host}:${port}`;

/**
 * A secret of this checkout, made once (under .argus/secrets, never committed): 32 random bytes, base64url.
 * Services and the CLI share it (the card token key: a card gets the same token wherever it is tokenised).
 */
export function localSecret(settings: StackSettings, name: 'pan-token' | 'case-token'): string {
  const dir = join(settings.repoRoot, '.argus', 'secrets');
  const file = join(dir, `${name}.key`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The local HMAC key for card tokens. */
export function localPanTokenKey(settings: StackSettings): string {
  return localSecret(settings, 'pan-token');
}

/** Environment of a local service: the stack's addresses and the local secrets. */
export function serviceEnvironment(
  settings: StackSettings,
  port: number,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const urls = stackUrls(settings);
  return {
    PATH: process.env.PATH,
    TZ: 'UTC',
    ARGUS_KAFKA_BROKERS: urls.kafkaBrokers.join(','),
    ARGUS_SCHEMA_REGISTRY_URL: urls.schemaRegistryUrl,
    ARGUS_PG_URL: urls.postgresUrl,
    ARGUS_REDIS_URL: urls.redisUrl,
    ARGUS_PAN_TOKEN_KEY: localPanTokenKey(settings),
    ARGUS_CASE_TOKEN_SECRET: localSecret(settings, 'case-token'),
    ARGUS_HTTP_HOST: settings.host,
    ARGUS_HTTP_PORT: String(port),
    ARGUS_LOG_LEVEL: 'info',
    ARGUS_CONSOLE_CASE_API_URL: `http://${settings.host}:${LOCAL_SERVICES.find((s) => s.name === 'case')!.port}`,
    // A chat webhook for the case service, when the caller has one (tools/test.mjs points it at the e2e test).
    ...(process.env['ARGUS_CASE_ALERT_WEBHOOK_URL']
      ? { ARGUS_CASE_ALERT_WEBHOOK_URL: process.env['ARGUS_CASE_ALERT_WEBHOOK_URL'] }
      : {}),
    ...extra,
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Every process of the configured replica count, and any other replica still running from an earlier setting. */
export async function servicesStatus(settings: StackSettings): Promise<ServiceStatus[]> {
  const statuses = await Promise.all(
    serviceProcesses(settings, SERVICE_REPLICAS.max).map(async ({ name, id, replica, port }) => {
      const pid = readPidFile(pidFile(settings, id));
      const running = pid !== undefined && isProcessAlive(pid, 'bin/service.js');
      const url = serviceUrl(settings, port);
      const ready = running && (await isReady(url));
      return { name, id, replica, url, pid, running, ready, logFile: logFile(settings, id) };
    }),
  );
  return statuses.filter((status) => status.replica < settings.serviceReplicas || status.running);
}

/**
 * GET `path` from every running process of a service (each replica has state of its own: counters, the models
 * it serves) and parse each JSON answer; fails when none runs.
 */
export async function getFromEveryProcess<T>(settings: StackSettings, name: ServiceName, path: string): Promise<T[]> {
  const running = (await servicesStatus(settings)).filter((status) => status.name === name && status.running);
  if (running.length === 0) throw new Error(`no ${name} process is running: start the services with argus services up`);
  return Promise.all(running.map(async ({ url }) => (await (await fetch(`${url}${path}`)).json()) as T));
}

/**
 * Starts every service that is not already running (from the compiled dist/, built by the CLI), and waits
 * until each answers its readiness probe. Idempotent.
 */
export async function servicesUp(
  settings: StackSettings,
  options: { timeoutMs?: number } = {},
): Promise<ServiceStatus[]> {
  mkdirSync(join(servicesDir(settings), 'logs'), { recursive: true });
  const processes = serviceProcesses(settings);
  for (const { name, id, replica, port } of processes) {
    const pid = readPidFile(pidFile(settings, id));
    if (pid !== undefined && isProcessAlive(pid, 'bin/service.js')) continue;
    spawnDetached({
      command: process.execPath,
      args: [...settings.serviceNodeArgs, 'bin/service.js', name],
      cwd: settings.repoRoot,
      logFile: logFile(settings, id),
      pidFile: pidFile(settings, id),
      // Kafka client ids name the instance: the replicas of a group are told apart in the broker's logs.
      env: serviceEnvironment(settings, port, replica === 0 ? {} : { ARGUS_INSTANCE_ID: `local-${replica + 1}` }),
    });
  }
  for (const { id, port } of processes) {
    const url = serviceUrl(settings, port);
    await waitFor(
      async () => {
        const pid = readPidFile(pidFile(settings, id));
        if (pid === undefined || !isProcessAlive(pid, 'bin/service.js')) {
          throw new Error(`${id} exited during start-up; see ${logFile(settings, id)}`);
        }
        return isReady(url);
      },
      { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, description: `${id} to be ready at ${url}` },
    );
  }
  return servicesStatus(settings);
}

/**
 * Stops every local service, every replica of it (those of an earlier ARGUS_SERVICES_REPLICAS too; SIGTERM:
 * consumers finish their batch and commit), leaving no process.
 */
export async function servicesDown(settings: StackSettings): Promise<void> {
  await Promise.all(serviceProcesses(settings, SERVICE_REPLICAS.max).map((service) => stop(settings, service, false)));
}

/**
 * Stops one local service, every process of it (SIGKILL when `kill`: no drain, no commit — a crash).
 * `servicesUp` starts it again.
 */
export async function stopService(
  settings: StackSettings,
  name: ServiceName,
  options: { kill?: boolean } = {},
): Promise<void> {
  const processes = serviceProcesses(settings, SERVICE_REPLICAS.max).filter((service) => service.name === name);
  await Promise.all(processes.map((service) => stop(settings, service, options.kill === true)));
}

async function stop(settings: StackSettings, { id }: ServiceProcess, kill: boolean): Promise<void> {
  const file = pidFile(settings, id);
  const pid = readPidFile(file);
  if (pid !== undefined && isProcessAlive(pid, 'bin/service.js')) {
    await stopProcessGroup({ name: id, pid, signal: kill ? 'SIGKILL' : 'SIGTERM', graceMs: 15_000 });
  }
  removePidFile(file);
}
