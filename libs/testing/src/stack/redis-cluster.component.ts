import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '@argus/logger';
import { createRedis } from '@argus/redis';
import type { Redis } from 'ioredis';
import { waitFor } from '../wait-for.helper';
import { redisClusterNodeDir, renderRedisClusterNodeConf } from './config.renderer';
import { type HealthResult, parseInfo, probeRedis } from './health.checks';
import { type ComponentContext, ProcessComponent } from './process.component';
import { commandExists, type DetachedProcessSpec, runCommand } from './process.supervisor';
import { ensureRedisServer, readRedisTemplate, REDIS_SERVER } from './redis.component';
import type { ComponentStatus, NodeStatus, StackComponent } from './stack.component';
import { describeError, StackError, StackErrorCode } from './stack.errors';
import { type RedisClusterSettings, stackUrls } from './stack.settings';

const REDIS_CLI = 'redis-cli';
const SLOTS = 16_384;

/** What one node says of the cluster (CLUSTER INFO). */
export interface ClusterView {
  readonly state: string;
  readonly knownNodes: number;
  /** Masters that serve slots. */
  readonly size: number;
  readonly slotsAssigned: number;
}

/** Every node sees one cluster of exactly `masters` masters serving every slot, and says `cluster_state:ok`. */
export function isFormed(views: readonly ClusterView[], masters: number): boolean {
  return views.every(
    (view) =>
      view.state === 'ok' && view.knownNodes === masters && view.size === masters && view.slotsAssigned === SLOTS,
  );
}

/** A new node: it knows only itself and serves no slot (`redis-cli --cluster create` accepts only these). */
export function isFresh(view: ClusterView): boolean {
  return view.knownNodes === 1 && view.slotsAssigned === 0;
}

/**
 * What `stack up` does with running nodes: nothing when they form the cluster; create it when they are all new;
 * wait for restarted nodes to find each other again (nodes.conf); rebuild when some are new and others are
 * not (a node that lost its nodes.conf never rejoins by itself). Pure.
 */
export function clusterPlan(views: readonly ClusterView[], masters: number): 'formed' | 'create' | 'await' | 'rebuild' {
  if (isFormed(views, masters)) return 'formed';
  if (views.every(isFresh)) return 'create';
  return views.some(isFresh) ? 'rebuild' : 'await';
}

export function clusterView(clusterInfo: string): ClusterView {
  const fields = parseInfo(clusterInfo);
  const number = (name: string) => Number(fields.get(name) ?? 0);
  return {
    state: fields.get('cluster_state') ?? '?',
    knownNodes: number('cluster_known_nodes'),
    size: number('cluster_size'),
    slotsAssigned: number('cluster_slots_assigned'),
  };
}

/** `master of 0-5460` from the `myself` line of CLUSTER NODES. */
export function describeClusterNode(clusterNodes: string): string {
  const myself = clusterNodes.split('\n').find((line) => line.split(' ')[2]?.split(',').includes('myself'));
  if (myself === undefined) return 'not in a cluster';
  const fields = myself.trim().split(' ');
  const role = fields[2]!.split(',').includes('master') ? 'master' : 'replica';
  const slots = fields.slice(8);
  return slots.length === 0 ? `${role}, no slots` : `${role} of ${slots.join(' ')}`;
}

let silent: Logger | undefined;

/** Runs `work` on a short-lived connection to one node that fails at once rather than retry. */
async function onNode<T>(host: string, port: number, work: (node: Redis) => Promise<T>): Promise<T> {
  silent ??= createLogger({ service: 'stack-probe', level: 'silent' });
  const node = createRedis(`redis://${host}:${port}`, silent, 'argus-stack-cluster', { failFast: true }) as Redis;
  try {
    await node.connect();
    return await work(node);
  } finally {
    node.disconnect();
  }
}

/** A redis-server of the cluster on its own port, folder, log and pid file (`redis-cluster-<port>`). */
class RedisClusterNode extends ProcessComponent {
  readonly name = 'redis-cluster';
  protected readonly processMarker = REDIS_SERVER;

  constructor(
    context: ComponentContext,
    private readonly node: number,
    private readonly cluster: RedisClusterSettings,
  ) {
    super(context);
  }

  get port(): number {
    return this.cluster.ports[this.node]!;
  }

  get address(): string {
    return `${this.settings.host}:${this.port}`;
  }

  override get pidFile(): string {
    return join(this.settings.stackDir, 'run', `redis-cluster-${this.port}.pid`);
  }

  override get logFile(): string {
    return join(this.settings.stackDir, 'logs', `redis-cluster-${this.port}.log`);
  }

  protected get readyTimeoutMs(): number {
    return this.settings.timeouts.redisReadyMs;
  }

  protected install(): Promise<void> {
    return ensureRedisServer(this.settings, this.context.installer);
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const dir = redisClusterNodeDir(this.settings, this.port);
    mkdirSync(dir, { recursive: true });
    const confFile = join(dir, 'redis.conf');
    const conf = renderRedisClusterNodeConf(
      readRedisTemplate(this.settings, 'redis.conf.template'),
      readRedisTemplate(this.settings, 'redis-cluster.conf.template'),
      this.settings,
      this.node,
    );
    writeFileSync(confFile, conf);
    return { command: REDIS_SERVER, args: [confFile], cwd: dir, logFile: this.logFile, pidFile: this.pidFile };
  }

  /** Answers, in cluster mode; the cluster's own state is the component's probe. */
  protected async probe(): Promise<HealthResult> {
    try {
      return await onNode(this.settings.host, this.port, async (node) => {
        const info = parseInfo(await node.info());
        const version = info.get('redis_version') ?? '?';
        if (info.get('cluster_enabled') !== '1') {
          return { healthy: false, detail: `Redis ${version} answers, but not in cluster mode` };
        }
        const role = describeClusterNode(String(await node.cluster('NODES')));
        const { state } = clusterView(String(await node.cluster('INFO')));
        return { healthy: true, detail: `Redis ${version}, ${role}, cluster_state:${state}` };
      });
    } catch (error) {
      return { healthy: false, detail: `PING failed: ${describeError(error)}` };
    }
  }

  view(): Promise<ClusterView> {
    return onNode(this.settings.host, this.port, async (node) => clusterView(String(await node.cluster('INFO'))));
  }

  /** Forgets the node's peers, slots and keys: a new node again, for `--cluster create`. */
  reset(): Promise<void> {
    return onNode(this.settings.host, this.port, async (node) => {
      // CLUSTER RESET refuses a master that holds keys.
      await node.flushall();
      await node.cluster('RESET', 'HARD');
    });
  }
}

/**
 * The local Redis Cluster (ARGUS_REDIS_CLUSTER): one redis-server per master (deploy/local/redis, no RDB, no AOF,
 * no replicas), joined by `redis-cli --cluster create` the first time. Each node keeps its nodes.conf, so a
 * restarted cluster comes back by itself; one that does not (a node's folder lost, another number of masters)
 * is reset and created again.
 */
export class RedisClusterComponent implements StackComponent {
  readonly name = 'redis-cluster';
  private readonly nodes: readonly RedisClusterNode[];

  constructor(private readonly context: ComponentContext) {
    const cluster = context.settings.redis.cluster;
    if (cluster === undefined) {
      throw new StackError(StackErrorCode.InvalidSetting, 'no Redis Cluster is configured (ARGUS_REDIS_CLUSTER)');
    }
    this.nodes = cluster.ports.map((_, node) => new RedisClusterNode(context, node, cluster));
  }

  get address(): string {
    return stackUrls(this.context.settings).redisUrl;
  }

  private get logFile(): string {
    return join(this.context.settings.stackDir, 'logs', 'redis-cluster.log');
  }

  async status(): Promise<ComponentStatus> {
    const [nodes, health] = await Promise.all([
      Promise.all(this.nodes.map((n) => n.status())),
      probeRedis(this.address),
    ]);
    const ours = nodes.some((node) => node.pid !== null);
    const healthy = health.healthy && nodes.every((node) => node.healthy);
    return {
      name: this.name,
      address: this.address,
      pid: null,
      running: nodes.some((node) => node.running),
      healthy,
      external: !ours && healthy,
      detail: !ours && healthy ? `${health.detail} (not started by the stack)` : health.detail,
      nodes: nodes.map(({ address, pid, running, healthy: up, detail }): NodeStatus => ({
        address,
        pid,
        running,
        healthy: up,
        detail,
      })),
    };
  }

  async start(): Promise<ComponentStatus> {
    const started = Date.now();
    await this.ensureCli();
    await Promise.all(this.nodes.map((node) => node.start()));
    await this.form();
    const status = await this.status();
    if (!status.healthy) {
      throw new StackError(StackErrorCode.StartFailed, `redis-cluster started but is not healthy: ${status.detail}`);
    }
    this.context.logger.info(
      { component: this.name, ms: Date.now() - started },
      `redis-cluster ready at ${this.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return status;
  }

  async stop(): Promise<ComponentStatus> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    return this.status();
  }

  private async ensureCli(): Promise<void> {
    if (await commandExists(REDIS_CLI, ['--version'])) return;
    await this.context.installer.ensureAptPackages(['redis-tools'], 'redis-cli (redis-tools)');
  }

  private views(): Promise<ClusterView[]> {
    return Promise.all(this.nodes.map((node) => node.view()));
  }

  /** Leaves the running nodes as one cluster of every master, creating or rebuilding it when they are not. */
  private async form(): Promise<void> {
    const masters = this.nodes.length;
    const plan = clusterPlan(await this.views(), masters);
    if (plan === 'formed') return;
    const foreign = this.nodes.filter((node) => node.ownPid() === undefined).map((node) => node.address);
    if (foreign.length > 0) {
      throw new StackError(
        StackErrorCode.StartFailed,
        `redis-cluster: ${foreign.join(', ')} answer but were not started by the stack, and the nodes do not form ` +
          `one cluster of ${masters} masters; stop them or choose other ports (ARGUS_REDIS_CLUSTER_PORT)`,
      );
    }
    if (plan === 'await' && (await this.converges())) return;
    if (plan !== 'create') {
      this.context.logger.warn(
        { component: this.name, views: await this.views() },
        `redis-cluster: the nodes do not come back as one cluster of ${masters} masters; resetting and creating it ` +
          'again (a cache: it kept nothing across the restart anyway)',
      );
      await Promise.all(this.nodes.map((node) => node.reset()));
    }
    await runCommand({
      command: REDIS_CLI,
      args: [
        '--cluster',
        'create',
        ...this.nodes.map((node) => node.address),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      timeoutMs: 60_000,
      logFile: this.logFile,
    });
    await this.waitFormed(this.context.settings.timeouts.redisReadyMs);
  }

  /**
   * Restarted nodes read their peers and slots from nodes.conf and find each other again within a few node
   * timeouts (a master marked failing before the stop is cleared after two).
   */
  private async converges(): Promise<boolean> {
    try {
      await this.waitFormed(4 * this.context.settings.redis.cluster!.nodeTimeoutMs);
      return true;
    } catch (error) {
      if (error instanceof StackError && error.code === StackErrorCode.Timeout) return false;
      throw error;
    }
  }

  private async waitFormed(timeoutMs: number): Promise<void> {
    const masters = this.nodes.length;
    await waitFor(async () => isFormed(await this.views(), masters), {
      timeoutMs,
      intervalMs: 250,
      description: `the Redis Cluster to report cluster_state:ok on all ${masters} masters`,
    });
  }
}
