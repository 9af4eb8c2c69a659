import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseRedisUrl, redisClusterUrl } from '@argus/redis';
import { describeError, StackError, StackErrorCode } from './stack.errors';

/** Only loopback: the stack is for tests and local runs, never reachable from the network. */
export const STACK_HOST = '127.0.0.1';

export interface KafkaSettings {
  readonly version: string;
  readonly port: number;
  /** KRaft controller listener; always the broker port + 1. */
  readonly controllerPort: number;
  readonly heapMb: number;
}

export interface RegistrySettings {
  /** Apicurio Registry version, from Maven Central `io.apicurio:apicurio-registry-app:<v>:tar.gz:all`. */
  readonly version: string;
  readonly port: number;
  readonly heapMb: number;
}

export interface PostgresSettings {
  readonly port: number;
  /** When set, an already running server is used as is: nothing is started or stopped. */
  readonly externalUrl: string | undefined;
  /** Debian's PostgreSQL 15 binaries. */
  readonly binDir: string;
  readonly aptPackage: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** Non-root OS user that owns and runs the cluster when the stack runs as root (postgres refuses root). */
  readonly osUser: string;
}

export interface RedisSettings {
  readonly port: number;
  /** When set, an already running server (or cluster) is used as is: nothing is started or stopped. */
  readonly externalUrl: string | undefined;
  readonly aptPackage: string;
  /** ARGUS_REDIS_CLUSTER: the stack runs this Redis Cluster instead of the single server; undefined: one server. */
  readonly cluster: RedisClusterSettings | undefined;
}

/** A Redis Cluster of masters only (no replicas) on loopback, each node a redis-server of its own. */
export interface RedisClusterSettings {
  /** The masters' ports: ARGUS_REDIS_CLUSTER_PORT and the ones after it. */
  readonly ports: readonly number[];
  /** Each master's cluster bus (node-to-node) port: its port + 10000, Redis's convention. */
  readonly busPorts: readonly number[];
  /** How long a node may not answer before the others count it as failing (cluster-node-timeout). */
  readonly nodeTimeoutMs: number;
}

/** Redis's convention: a node's cluster bus listens on its port + 10000. */
export const CLUSTER_BUS_OFFSET = 10_000;
/** The fewest masters `redis-cli --cluster create` accepts; more than this many is not a local stack. */
const CLUSTER_MASTERS = { min: 3, max: 9 } as const;

export interface StackTimeouts {
  readonly kafkaReadyMs: number;
  readonly registryReadyMs: number;
  readonly postgresReadyMs: number;
  readonly redisReadyMs: number;
  /** After SIGTERM (SIGINT for PostgreSQL), how long to wait before SIGKILL. */
  readonly stopGraceMs: number;
  /** Maven and apt downloads on a cold machine. */
  readonly installMs: number;
}

/** Everything the local stack needs, read from the environment once by {@link loadStackSettings}. */
export interface StackSettings {
  readonly repoRoot: string;
  /** `<repo>/.argus/stack`: this stack's data, logs and pid files (ignored by git). */
  readonly stackDir: string;
  /**
   * `<repo>/.argus/stack/runtime`: downloaded runtimes (Kafka jars, Apicurio), shared by every stack instance of
   * the repository, including the isolated one the stack's own integration test runs.
   */
  readonly runtimeDir: string;
  /** `<repo>/deploy/local`: the static config templates that are committed. */
  readonly deployDir: string;
  readonly host: string;
  readonly javaBin: string;
  readonly mavenBin: string;
  /** For artefacts Maven itself cannot resolve (Apicurio's app archive: its parent pom is not published). */
  readonly mavenCentralUrl: string;
  readonly kafka: KafkaSettings;
  readonly registry: RegistrySettings;
  readonly postgres: PostgresSettings;
  readonly redis: RedisSettings;
  readonly timeouts: StackTimeouts;
  /**
   * Extra Node flags for every service `servicesUp` starts (ARGUS_SERVICES_NODE_ARGS, split on spaces), for
   * profiling: `--cpu-prof --cpu-prof-dir=.argus/profiles` writes a V8 CPU profile per service when it stops
   * (NODE_OPTIONS refuses --cpu-prof).
   */
  readonly serviceNodeArgs: readonly string[];
  /**
   * Processes per Kafka-consuming service that `servicesUp` starts (ARGUS_SERVICES_REPLICAS, 1 to 4): the
   * replicas of a service share its consumer group, so the partitions of its topics are spread over them.
   */
  readonly serviceReplicas: number;
}

export interface StackUrls {
  readonly kafkaBrokers: string[];
  readonly schemaRegistryUrl: string;
  readonly postgresUrl: string;
  readonly redisUrl: string;
}

export const DEFAULT_PORTS = {
  kafka: 19092,
  registry: 18081,
  postgres: 15432,
  redis: 16379,
  /** The first master of the Redis Cluster (ARGUS_REDIS_CLUSTER); the others follow, buses at + 10000. */
  redisCluster: 16380,
} as const;

/** The environment variables the stack reads; nothing else is looked at. */
export const STACK_ENV = {
  kafkaPort: 'ARGUS_KAFKA_PORT',
  registryPort: 'ARGUS_REGISTRY_PORT',
  postgresPort: 'ARGUS_PG_PORT',
  redisPort: 'ARGUS_REDIS_PORT',
  redisCluster: 'ARGUS_REDIS_CLUSTER',
  redisClusterPort: 'ARGUS_REDIS_CLUSTER_PORT',
  postgresUrl: 'ARGUS_PG_URL',
  redisUrl: 'ARGUS_REDIS_URL',
  serviceNodeArgs: 'ARGUS_SERVICES_NODE_ARGS',
  serviceReplicas: 'ARGUS_SERVICES_REPLICAS',
} as const;

/** How many processes of one service the local services may run (their ports are 1000 apart). */
export const SERVICE_REPLICAS = { min: 1, max: 4 } as const;

export interface LoadStackSettingsOptions {
  /** Defaults to `process.env`; tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to the folder holding nx.json above this file. */
  readonly repoRoot?: string;
  /** Another folder for data, logs and pid files: a second, isolated stack (use other ports too). */
  readonly stackDir?: string;
  /** The kernel's range of outgoing (ephemeral) ports; defaults to /proc/sys/net/ipv4/ip_local_port_range. */
  readonly ephemeralPorts?: PortRange;
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Linux's default when /proc cannot be read. */
export const DEFAULT_EPHEMERAL_PORTS: PortRange = { from: 32768, to: 60999 };

/** The ports the kernel hands to outgoing connections: a server fixed on one of them can find it taken. */
export function ephemeralPortRange(procFile = '/proc/sys/net/ipv4/ip_local_port_range'): PortRange {
  try {
    const [from, to] = readFileSync(procFile, 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(from) && Number.isInteger(to) && from <= to) return { from: from!, to: to! };
  } catch {
    // not Linux, or /proc not mounted: assume the kernel default
  }
  return DEFAULT_EPHEMERAL_PORTS;
}

/**
 * Reads and validates the stack's settings. The only place in the stack that reads the environment:
 * a bad value stops here with a message naming the variable.
 */
export function loadStackSettings(options: LoadStackSettingsOptions = {}): StackSettings {
  const env = options.env ?? process.env;
  const repoRoot = options.repoRoot ?? findRepoRoot(__dirname);
  const ephemeral = options.ephemeralPorts ?? ephemeralPortRange();
  const kafkaPort = parsePort(env, STACK_ENV.kafkaPort, DEFAULT_PORTS.kafka, ephemeral);
  const registryPort = parsePort(env, STACK_ENV.registryPort, DEFAULT_PORTS.registry, ephemeral);
  const postgresPort = parsePort(env, STACK_ENV.postgresPort, DEFAULT_PORTS.postgres, ephemeral);
  const redisPort = parsePort(env, STACK_ENV.redisPort, DEFAULT_PORTS.redis, ephemeral);
  const redisExternalUrl = parseRedisSetting(env, STACK_ENV.redisUrl);
  const redisCluster = parseRedisCluster(env, ephemeral);
  if (redisExternalUrl !== undefined && redisCluster !== undefined) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${STACK_ENV.redisUrl} and ${STACK_ENV.redisCluster} are both set: the stack either uses the Redis at the URL ` +
        `(a cluster too: redis+cluster://…) or runs a cluster of its own; unset one`,
    );
  }
  if (kafkaPort + 1 >= ephemeral.from && kafkaPort + 1 <= ephemeral.to) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${STACK_ENV.kafkaPort}=${kafkaPort}: the KRaft controller takes the next port, ${kafkaPort + 1}, which is in ` +
        `the kernel's ephemeral range ${ephemeral.from}–${ephemeral.to}; pick a lower one`,
    );
  }
  if (kafkaPort === 65535) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${STACK_ENV.kafkaPort}=${kafkaPort}: the KRaft controller needs the next port too; pick a lower one`,
    );
  }
  const settings: StackSettings = {
    repoRoot,
    stackDir: options.stackDir ?? join(repoRoot, '.argus', 'stack'),
    runtimeDir: join(repoRoot, '.argus', 'stack', 'runtime'),
    deployDir: join(repoRoot, 'deploy', 'local'),
    host: STACK_HOST,
    javaBin: 'java',
    mavenBin: 'mvn',
    mavenCentralUrl: 'https://repo1.maven.org/maven2',
    kafka: { version: '4.1.2', port: kafkaPort, controllerPort: kafkaPort + 1, heapMb: 512 },
    // 3.1.x is not on Maven Central as a runnable archive and 3.2+ needs Java 21: 3.0.9 is the newest that is
    // published and runs on Debian 12's Java 17.
    registry: { version: '3.0.9', port: registryPort, heapMb: 320 },
    postgres: {
      port: postgresPort,
      externalUrl: parseUrl(env, STACK_ENV.postgresUrl, ['postgres:', 'postgresql:']),
      binDir: '/usr/lib/postgresql/15/bin',
      aptPackage: 'postgresql-15',
      database: 'argus',
      user: 'argus',
      password: 'argus',
      osUser: 'postgres',
    },
    redis: {
      port: redisPort,
      externalUrl: redisExternalUrl,
      aptPackage: 'redis-server',
      cluster: redisCluster,
    },
    timeouts: {
      kafkaReadyMs: 90_000,
      registryReadyMs: 90_000,
      postgresReadyMs: 30_000,
      redisReadyMs: 15_000,
      stopGraceMs: 20_000,
      installMs: 20 * 60_000,
    },
    serviceNodeArgs: (env[STACK_ENV.serviceNodeArgs] ?? '').split(/\s+/).filter((arg) => arg !== ''),
    serviceReplicas: parseServiceReplicas(env),
  };
  assertDistinctPorts(settings);
  return settings;
}

/** Where clients connect: the stack's own servers, or the external PostgreSQL / Redis when configured. */
export function stackUrls(settings: StackSettings): StackUrls {
  const { host, postgres, redis } = settings;
  return {
    kafkaBrokers: [`${host}:${settings.kafka.port}`],
    schemaRegistryUrl: `http://${host}:${settings.registry.port}/apis/ccompat/v7`,
    postgresUrl:
      postgres.externalUrl ??
      `postgres://${postgres.user}:${postgres.password}@${host}:${postgres.port}/${postgres.database}`,
    redisUrl:
      redis.externalUrl ??
      (redis.cluster === undefined
        ? `redis://${host}:${redis.port}`
        : redisClusterUrl(redis.cluster.ports.map((port) => ({ host, port })))),
  };
}

/** Walks up from `start` to the folder that holds nx.json (works from sources and from dist/). */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new StackError(StackErrorCode.RepoRootNotFound, `no nx.json found in ${start} or any folder above it`);
    }
    dir = parent;
  }
}

function parsePort(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  ephemeral: PortRange,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new StackError(StackErrorCode.InvalidSetting, `${name}=${raw}: expected a port number from 1024 to 65535`);
  }
  assertUsablePort(`${name}=${raw}`, port, ephemeral);
  return port;
}

/** A fixed port must be a port, and outside the range the kernel hands to outgoing connections. */
function assertUsablePort(what: string, port: number, ephemeral: PortRange): void {
  if (port > 65535) {
    throw new StackError(StackErrorCode.InvalidSetting, `${what}: past 65535; pick a lower port`);
  }
  if (port >= ephemeral.from && port <= ephemeral.to) {
    // Any outgoing connection of the machine may hold such a port at the moment the server binds it.
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${what}: in the kernel's ephemeral port range ${ephemeral.from}–${ephemeral.to}, where an outgoing ` +
        `connection can hold it at any moment; pick a port below ${ephemeral.from}`,
    );
  }
}

/** ARGUS_SERVICES_REPLICAS=<processes per consuming service> (1 to 4; unset: 1). */
function parseServiceReplicas(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[STACK_ENV.serviceReplicas]?.trim();
  if (raw === undefined || raw === '') return 1;
  const replicas = Number(raw);
  if (!/^\d+$/.test(raw) || replicas < SERVICE_REPLICAS.min || replicas > SERVICE_REPLICAS.max) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${STACK_ENV.serviceReplicas}=${raw}: expected the number of processes per consuming service, ` +
        `${SERVICE_REPLICAS.min} to ${SERVICE_REPLICAS.max}`,
    );
  }
  return replicas;
}

/**
 * ARGUS_REDIS_CLUSTER=<masters> (3 to 9; unset or 0: one server) on ARGUS_REDIS_CLUSTER_PORT and the ports after
 * it, each with its cluster bus 10000 above.
 */
function parseRedisCluster(
  env: Readonly<Record<string, string | undefined>>,
  ephemeral: PortRange,
): RedisClusterSettings | undefined {
  const raw = env[STACK_ENV.redisCluster]?.trim();
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  const masters = Number(raw);
  if (!/^\d+$/.test(raw) || masters < CLUSTER_MASTERS.min || masters > CLUSTER_MASTERS.max) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${STACK_ENV.redisCluster}=${raw}: expected the number of masters, ${CLUSTER_MASTERS.min} to ` +
        `${CLUSTER_MASTERS.max} (0 or unset: one Redis server)`,
    );
  }
  const first = parsePort(env, STACK_ENV.redisClusterPort, DEFAULT_PORTS.redisCluster, ephemeral);
  const ports = Array.from({ length: masters }, (_, i) => first + i);
  const busPorts = ports.map((port) => port + CLUSTER_BUS_OFFSET);
  ports.forEach((port, i) => {
    const what = `${STACK_ENV.redisClusterPort}=${first} with ${STACK_ENV.redisCluster}=${masters}`;
    assertUsablePort(`${what}: master ${i + 1} on port ${port}`, port, ephemeral);
    assertUsablePort(
      `${what}: master ${i + 1}'s cluster bus on port ${busPorts[i]} (+ 10000)`,
      busPorts[i]!,
      ephemeral,
    );
  });
  return { ports, busPorts, nodeTimeoutMs: 3_000 };
}

/** ARGUS_REDIS_URL: one server or a cluster (see @argus/redis), checked here so that a bad one names the variable. */
function parseRedisSetting(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  try {
    parseRedisUrl(raw);
  } catch (error) {
    throw new StackError(StackErrorCode.InvalidSetting, `${name}: ${describeError(error)}`, { cause: error });
  }
  return raw;
}

function parseUrl(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  protocols: readonly string[],
): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new StackError(StackErrorCode.InvalidSetting, `${name}: not a URL`, { cause: error });
  }
  if (!protocols.includes(url.protocol)) {
    throw new StackError(
      StackErrorCode.InvalidSetting,
      `${name}: expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL, got ${url.protocol}//`,
    );
  }
  return raw;
}

function assertDistinctPorts(settings: StackSettings): void {
  const ports: ReadonlyArray<readonly [string, number]> = [
    [STACK_ENV.kafkaPort, settings.kafka.port],
    [`${STACK_ENV.kafkaPort} + 1 (KRaft controller)`, settings.kafka.controllerPort],
    [STACK_ENV.registryPort, settings.registry.port],
    [STACK_ENV.postgresPort, settings.postgres.port],
    [STACK_ENV.redisPort, settings.redis.port],
    ...(settings.redis.cluster?.ports ?? []).map(
      (port, i) => [`${STACK_ENV.redisClusterPort} + ${i} (cluster master)`, port] as const,
    ),
    ...(settings.redis.cluster?.busPorts ?? []).map(
      (port, i) => [`${STACK_ENV.redisClusterPort} + ${i} + 10000 (cluster bus)`, port] as const,
    ),
  ];
  const seen = new Map<number, string>();
  for (const [name, port] of ports) {
    const other = seen.get(port);
    if (other !== undefined) {
      throw new StackError(StackErrorCode.InvalidSetting, `${name} and ${other} both use port ${port}`);
    }
    seen.set(port, name);
  }
}
