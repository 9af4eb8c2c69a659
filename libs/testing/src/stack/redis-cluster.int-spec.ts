import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@argus/logger';
import { createRedis, isRedisCluster, masterNodes } from '@argus/redis';
import { redisClusterNodeDir } from './config.renderer';
import { isProcessAlive } from './process.supervisor';
import type { ComponentStatus } from './stack.component';
import { stackDown, type StackOptions, stackStatus, stackUp } from './stack.orchestrator';
import { findRepoRoot, loadStackSettings, stackUrls } from './stack.settings';

// An instance of its own (folder and ports 21380–21382, buses 31380–31382), and only its Redis Cluster: it
// never touches the stack other tests or a developer use, nor a cluster on the default ports.
const settings = loadStackSettings({
  stackDir: join(findRepoRoot(__dirname), '.argus', 'stack-cluster-int'),
  env: { ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_CLUSTER_PORT: '21380' },
});
const logger = createLogger({ service: 'stack-cluster-int', level: 'warn' });
const options: StackOptions = { settings, logger, only: ['redis-cluster'] };
const url = stackUrls(settings).redisUrl;

const pidsOf = (status: ComponentStatus) => (status.nodes ?? []).map((node) => node.pid);

async function nodeIds(): Promise<string[]> {
  const client = createRedis(url, logger, 'stack-cluster-int');
  await client.connect();
  try {
    const masters = await masterNodes(client);
    return (await Promise.all(masters.map((master) => master.cluster('MYID')))).map(String).sort();
  } finally {
    client.disconnect();
  }
}

async function only(): Promise<ComponentStatus> {
  const [status] = await stackUp(options);
  return status!;
}

jest.setTimeout(60_000);

describe('local Redis Cluster (isolated instance on ports 21380–21382)', () => {
  let formed: ComponentStatus;

  beforeAll(async () => {
    await stackDown(options);
    rmSync(join(settings.stackDir, 'redis-cluster'), { recursive: true, force: true });
    formed = await only();
  });

  afterAll(async () => {
    await stackDown(options);
  });

  it('starts three masters of its own and forms them into one cluster serving every slot', () => {
    expect(formed).toMatchObject({ name: 'redis-cluster', address: url, healthy: true, external: false, pid: null });
    expect(formed.detail).toMatch(/3 masters, cluster_state:ok/);
    expect(formed.nodes?.map((node) => node.address)).toEqual([
      '127.0.0.1:21380',
      '127.0.0.1:21381',
      '127.0.0.1:21382',
    ]);
    for (const node of formed.nodes ?? []) {
      expect(node).toMatchObject({ healthy: true, running: true });
      expect(isProcessAlive(node.pid!)).toBe(true);
      expect(node.detail).toMatch(/master of \d+-\d+, cluster_state:ok/);
    }
  });

  it('serves a cluster client: keys of every master written and read back', async () => {
    const client = createRedis(url, logger, 'stack-cluster-int');
    await client.connect();
    try {
      expect(isRedisCluster(client)).toBe(true);
      const keys = Array.from({ length: 30 }, (_, i) => `stack-cluster-int:${i}`);
      await Promise.all(keys.map((key) => client.set(key, key, 'EX', 60)));
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys);
      const counts = await Promise.all((await masterNodes(client)).map((master) => master.dbsize()));
      expect(counts.every((count) => count > 0)).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('is idempotent: a second up keeps the same processes and is fast', async () => {
    const before = Date.now();
    const again = await only();
    expect(pidsOf(again)).toEqual(pidsOf(formed));
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it('comes back as the same cluster after a restart (nodes.conf kept), and as a pure cache', async () => {
    const ids = await nodeIds();
    await stackDown(options);
    const restarted = await only();
    expect(restarted.healthy).toBe(true);
    expect(await nodeIds()).toEqual(ids);
    const client = createRedis(url, logger, 'stack-cluster-int');
    await client.connect();
    try {
      expect(await client.get('stack-cluster-int:0')).toBeNull();
    } finally {
      client.disconnect();
    }
  });

  it('restarts a master that died and the cluster is whole again', async () => {
    const status = (await stackStatus(options))[0]!;
    const victim = status.nodes![1]!;
    process.kill(victim.pid!, 'SIGKILL');
    const back = await only();
    expect(back.healthy).toBe(true);
    expect(back.nodes![1]!.pid).not.toBe(victim.pid);
    expect(back.nodes!.map((node) => node.pid)).toEqual([
      status.nodes![0]!.pid,
      back.nodes![1]!.pid,
      status.nodes![2]!.pid,
    ]);
  });

  it('rebuilds the cluster when a node lost its nodes.conf', async () => {
    const ids = await nodeIds();
    await stackDown(options);
    rmSync(join(redisClusterNodeDir(settings, 21382), 'nodes.conf'));
    const rebuilt = await only();
    expect(rebuilt.healthy).toBe(true);
    expect(await nodeIds()).not.toEqual(ids);
  });

  it('down stops every node and removes the pid files', async () => {
    const pids = pidsOf((await stackStatus(options))[0]!);
    const [stopped] = await stackDown(options);
    expect(stopped).toMatchObject({ running: false, healthy: false });
    expect(pids.filter((pid) => pid !== null && isProcessAlive(pid))).toEqual([]);
    for (const port of [21380, 21381, 21382]) {
      expect(existsSync(join(settings.stackDir, 'run', `redis-cluster-${port}.pid`))).toBe(false);
    }
  });
});
