import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { StackSettings } from './stack.settings';
import { StackError, StackErrorCode } from './stack.errors';

const PLACEHOLDER = /\{\{([A-Z0-9_]+)\}\}/g;

/**
 * Fills `{{NAME}}` placeholders. Strict both ways, so that a template and its values cannot drift apart
 * silently: a placeholder without a value and a value without a placeholder are both errors.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const rendered = template.replace(PLACEHOLDER, (match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return match;
    }
    used.add(key);
    return String(value);
  });
  if (missing.size > 0) {
    throw new StackError(StackErrorCode.InvalidSetting, `template needs values for ${[...missing].join(', ')}`);
  }
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) {
    throw new StackError(StackErrorCode.InvalidSetting, `template has no placeholder for ${unused.join(', ')}`);
  }
  return rendered;
}

/** Where each component keeps its files: state under the stack folder, runtimes under the shared runtime folder. */
export function stackPaths(settings: StackSettings) {
  const { stackDir, runtimeDir } = settings;
  return {
    logs: join(stackDir, 'logs'),
    run: join(stackDir, 'run'),
    downloads: join(runtimeDir, 'downloads'),
    kafkaLibs: join(runtimeDir, 'kafka-libs'),
    registryApp: join(runtimeDir, `apicurio-registry-app-${settings.registry.version}`),
    kafka: join(stackDir, 'kafka'),
    kafkaData: join(stackDir, 'kafka', 'data'),
    registry: join(stackDir, 'apicurio'),
    postgres: postgresDir(settings),
    postgresData: join(postgresDir(settings), 'data'),
    postgresSocket: postgresSocketDir(settings),
    redis: join(stackDir, 'redis'),
    redisCluster: join(stackDir, 'redis-cluster'),
  };
}

/** A cluster node's folder (its redis.conf and nodes.conf), named after its port. */
export function redisClusterNodeDir(settings: StackSettings, port: number): string {
  return join(stackPaths(settings).redisCluster, String(port));
}

/** Where PostgreSQL's files go when the OS user that runs it cannot reach the stack folder. */
export const POSTGRES_FALLBACK_PARENT = '/var/tmp';

/**
 * Whether every existing folder from `dir` up to `/` lets other users through (the x bit for "others").
 * Folders still to be created are skipped: the stack creates them itself.
 */
export function othersCanTraverse(dir: string, modeOf: (path: string) => number | undefined = folderMode): boolean {
  for (let path = resolve(dir); ; path = dirname(path)) {
    const mode = modeOf(path);
    if (mode !== undefined && (mode & 0o001) === 0) return false;
    if (dirname(path) === path) return true;
  }
}

function folderMode(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL's folder (data, config, socket). Inside the stack folder, unless PostgreSQL runs as another OS user
 * (as root, it runs as `postgres`) that cannot enter it — a checkout under a 0700 home folder or a `mktemp -d`
 * folder. Then a folder of its own under /var/tmp, named after the stack folder so that instances stay apart
 * and `stack up`, `status` and `down` all find the same one.
 */
export function postgresDir(
  settings: StackSettings,
  options: { runsAsOtherUser?: boolean; modeOf?: (path: string) => number | undefined } = {},
): string {
  const inside = join(settings.stackDir, 'postgres');
  const runsAsOtherUser = options.runsAsOtherUser ?? process.getuid?.() === 0;
  if (!runsAsOtherUser || othersCanTraverse(settings.stackDir, options.modeOf)) return inside;
  const id = createHash('sha256').update(resolve(settings.stackDir)).digest('hex').slice(0, 12);
  return join(POSTGRES_FALLBACK_PARENT, `argus-postgres-${id}`);
}

/** Linux limits a Unix socket path to 107 bytes; PostgreSQL refuses to start past it. */
const MAX_SOCKET_PATH = 100;

/**
 * PostgreSQL's socket folder: inside the stack folder, unless the repository sits so deep that the socket path
 * would be too long; then a folder in /tmp named after the stack folder, so that instances stay apart.
 */
export function postgresSocketDir(settings: StackSettings): string {
  const inside = join(postgresDir(settings), 'run');
  if (join(inside, `.s.PGSQL.${settings.postgres.port}`).length <= MAX_SOCKET_PATH) return inside;
  const id = createHash('sha256').update(settings.stackDir).digest('hex').slice(0, 12);
  return join(tmpdir(), `argus-pg-${id}`);
}

export function renderServerProperties(template: string, settings: StackSettings): string {
  return renderTemplate(template, {
    HOST: settings.host,
    KAFKA_PORT: settings.kafka.port,
    CONTROLLER_PORT: settings.kafka.controllerPort,
    LOG_DIRS: stackPaths(settings).kafkaData,
  });
}

export function renderPostgresConf(template: string, settings: StackSettings): string {
  return renderTemplate(template, {
    HOST: settings.host,
    PORT: settings.postgres.port,
    SOCKET_DIR: stackPaths(settings).postgresSocket,
  });
}

/** The single server's redis.conf, or, with `server`, the same settings for one node of the cluster. */
export function renderRedisConf(
  template: string,
  settings: StackSettings,
  server: { readonly port: number; readonly dir: string } = {
    port: settings.redis.port,
    dir: stackPaths(settings).redis,
  },
): string {
  return renderTemplate(template, { HOST: settings.host, PORT: server.port, DATA_DIR: server.dir });
}

/**
 * One cluster node's redis.conf: the single server's settings (redis.conf.template) on the node's port and
 * folder, then the cluster's (redis-cluster.conf.template), which Redis applies last.
 */
export function renderRedisClusterNodeConf(
  baseTemplate: string,
  clusterTemplate: string,
  settings: StackSettings,
  node: number,
): string {
  const cluster = settings.redis.cluster;
  const port = cluster?.ports[node];
  if (cluster === undefined || port === undefined) {
    throw new StackError(StackErrorCode.InvalidSetting, `no Redis Cluster node ${node} (ARGUS_REDIS_CLUSTER)`);
  }
  const base = renderRedisConf(baseTemplate, settings, { port, dir: redisClusterNodeDir(settings, port) });
  const clustered = renderTemplate(clusterTemplate, {
    BUS_PORT: cluster.busPorts[node]!,
    NODE_TIMEOUT_MS: cluster.nodeTimeoutMs,
  });
  return `${base}\n${clustered}`;
}
