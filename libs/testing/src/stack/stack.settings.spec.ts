import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError, StackErrorCode } from './stack.errors';
import {
  DEFAULT_EPHEMERAL_PORTS,
  DEFAULT_PORTS,
  ephemeralPortRange,
  findRepoRoot,
  loadStackSettings,
  stackUrls,
} from './stack.settings';

const repoRoot = '/repo';

function load(env: Record<string, string | undefined> = {}) {
  return loadStackSettings({ env, repoRoot });
}

function errorOf(action: () => unknown): StackError {
  try {
    action();
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe('loadStackSettings', () => {
  it('passes no extra Node flags to the services unless ARGUS_SERVICES_NODE_ARGS names some', () => {
    expect(load().serviceNodeArgs).toEqual([]);
    expect(load({ ARGUS_SERVICES_NODE_ARGS: ' --cpu-prof  --cpu-prof-dir=/tmp/p ' }).serviceNodeArgs).toEqual([
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/p',
    ]);
  });

  it('runs one process per service unless ARGUS_SERVICES_REPLICAS asks for 2 to 4, and refuses anything else', () => {
    expect(load().serviceReplicas).toBe(1);
    expect(load({ ARGUS_SERVICES_REPLICAS: ' 2 ' }).serviceReplicas).toBe(2);
    expect(load({ ARGUS_SERVICES_REPLICAS: '4' }).serviceReplicas).toBe(4);
    for (const bad of ['0', '5', 'two', '1.5', '-1']) {
      const error = errorOf(() => load({ ARGUS_SERVICES_REPLICAS: bad }));
      expect(error.code).toBe(StackErrorCode.InvalidSetting);
      expect(error.message).toContain(`ARGUS_SERVICES_REPLICAS=${bad}`);
    }
  });

  it('uses the loopback defaults and keeps everything under .argus/stack', () => {
    const settings = load();
    expect(settings.host).toBe('127.0.0.1');
    expect(settings.kafka.port).toBe(DEFAULT_PORTS.kafka);
    expect(settings.kafka.controllerPort).toBe(19093);
    expect(settings.registry.port).toBe(18081);
    expect(settings.postgres.port).toBe(15432);
    expect(settings.redis.port).toBe(16379);
    expect(settings.stackDir).toBe('/repo/.argus/stack');
    expect(settings.runtimeDir).toBe('/repo/.argus/stack/runtime');
    expect(settings.deployDir).toBe('/repo/deploy/local');
    expect(settings.postgres.externalUrl).toBeUndefined();
    expect(settings.redis.externalUrl).toBeUndefined();
  });

  it('takes ports from ARGUS_*_PORT, the controller following the broker', () => {
    const settings = load({
      ARGUS_KAFKA_PORT: '29092',
      ARGUS_REGISTRY_PORT: '28081',
      ARGUS_PG_PORT: ' 25433 ',
      ARGUS_REDIS_PORT: '26379',
    });
    expect(settings.kafka).toMatchObject({ port: 29092, controllerPort: 29093 });
    expect(settings.registry.port).toBe(28081);
    expect(settings.postgres.port).toBe(25433);
    expect(settings.redis.port).toBe(26379);
  });

  it('treats empty variables as unset', () => {
    expect(load({ ARGUS_KAFKA_PORT: '', ARGUS_PG_URL: '' })).toMatchObject({
      kafka: { port: DEFAULT_PORTS.kafka },
      postgres: { externalUrl: undefined },
    });
  });

  it.each(['abc', '80', '70000', '19092.5', '-1'])('rejects ARGUS_KAFKA_PORT=%s naming the variable', (value) => {
    const error = errorOf(() => load({ ARGUS_KAFKA_PORT: value }));
    expect(error.code).toBe(StackErrorCode.InvalidSetting);
    expect(error.message).toContain('ARGUS_KAFKA_PORT');
  });

  it("refuses a port in the kernel's ephemeral range, where an outgoing connection can hold it", () => {
    // The range is the machine's (/proc); a narrow one here keeps every port of the example out of a real range.
    const range = { from: 20000, to: 24999 };
    const refused = (env: Record<string, string>) =>
      errorOf(() => loadStackSettings({ env, repoRoot, ephemeralPorts: range })).message;
    expect(refused({ ARGUS_KAFKA_PORT: '21092' })).toMatch(
      /ARGUS_KAFKA_PORT=21092: in the kernel's ephemeral port range 20000–24999/,
    );
    expect(refused({ ARGUS_PG_PORT: '20000' })).toContain('pick a port below 20000');
    expect(refused({ ARGUS_KAFKA_PORT: '19999' })).toContain('the KRaft controller takes the next port, 20000');
    expect(loadStackSettings({ env: { ARGUS_REDIS_PORT: '19998' }, repoRoot, ephemeralPorts: range }).redis.port).toBe(
      19998,
    );
    expect(loadStackSettings({ env: { ARGUS_REDIS_PORT: '25000' }, repoRoot, ephemeralPorts: range }).redis.port).toBe(
      25000,
    );
  });

  it('reads the ephemeral range from /proc, or assumes the kernel default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-ports-'));
    writeFileSync(join(dir, 'range'), '20000\t24999\n');
    expect(ephemeralPortRange(join(dir, 'range'))).toEqual({ from: 20000, to: 24999 });
    expect(ephemeralPortRange(join(dir, 'missing'))).toEqual(DEFAULT_EPHEMERAL_PORTS);
  });

  it('rejects two components on one port, including the KRaft controller port', () => {
    expect(errorOf(() => load({ ARGUS_REDIS_PORT: '15432' })).message).toMatch(/ARGUS_REDIS_PORT.*ARGUS_PG_PORT/);
    expect(errorOf(() => load({ ARGUS_REGISTRY_PORT: '19093' })).message).toContain('KRaft controller');
  });

  it('accepts external PostgreSQL and Redis URLs and rejects other schemes', () => {
    const settings = load({ ARGUS_PG_URL: 'postgresql://u:p@db:5432/x', ARGUS_REDIS_URL: 'redis://cache:6379' });
    expect(settings.postgres.externalUrl).toBe('postgresql://u:p@db:5432/x');
    expect(settings.redis.externalUrl).toBe('redis://cache:6379');
    expect(errorOf(() => load({ ARGUS_PG_URL: 'mysql://db' })).message).toContain('ARGUS_PG_URL');
    expect(errorOf(() => load({ ARGUS_REDIS_URL: 'not a url' })).message).toContain('ARGUS_REDIS_URL');
  });

  it('keeps the password of an invalid URL out of the message', () => {
    expect(errorOf(() => load({ ARGUS_PG_URL: 'mysql://u:s3cret@db' })).message).not.toContain('s3cret');
  });

  describe('Redis Cluster (ARGUS_REDIS_CLUSTER)', () => {
    it('runs one Redis server unless asked for a cluster', () => {
      expect(load().redis.cluster).toBeUndefined();
      expect(load({ ARGUS_REDIS_CLUSTER: '0' }).redis.cluster).toBeUndefined();
      expect(load({ ARGUS_REDIS_CLUSTER: ' ' }).redis.cluster).toBeUndefined();
    });

    it('puts the masters on 16380 and the ports after it, each bus 10000 above', () => {
      expect(load({ ARGUS_REDIS_CLUSTER: '3' }).redis.cluster).toEqual({
        ports: [16380, 16381, 16382],
        busPorts: [26380, 26381, 26382],
        nodeTimeoutMs: 3_000,
      });
      expect(load({ ARGUS_REDIS_CLUSTER: '4', ARGUS_REDIS_CLUSTER_PORT: '21380' }).redis.cluster?.ports).toEqual([
        21380, 21381, 21382, 21383,
      ]);
    });

    it('points clients at every master', () => {
      expect(stackUrls(load({ ARGUS_REDIS_CLUSTER: '3' })).redisUrl).toBe(
        'redis+cluster://127.0.0.1:16380,127.0.0.1:16381,127.0.0.1:16382',
      );
    });

    it.each(['2', '10', 'three', '3.5'])('refuses ARGUS_REDIS_CLUSTER=%s, saying what it takes', (value) => {
      expect(errorOf(() => load({ ARGUS_REDIS_CLUSTER: value })).message).toContain(
        `ARGUS_REDIS_CLUSTER=${value}: expected the number of masters, 3 to 9`,
      );
    });

    it("refuses masters or cluster buses in the kernel's ephemeral range, or past 65535", () => {
      const range = { from: 32768, to: 60999 };
      const refused = (env: Record<string, string>) =>
        errorOf(() => loadStackSettings({ env, repoRoot, ephemeralPorts: range })).message;
      expect(refused({ ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_CLUSTER_PORT: '23000' })).toContain(
        "master 1's cluster bus on port 33000 (+ 10000): in the kernel's ephemeral port range 32768–60999",
      );
      expect(
        errorOf(() =>
          loadStackSettings({
            env: { ARGUS_REDIS_CLUSTER: '3' },
            repoRoot,
            ephemeralPorts: { from: 16382, to: 16400 },
          }),
        ).message,
      ).toContain('ARGUS_REDIS_CLUSTER_PORT=16380 with ARGUS_REDIS_CLUSTER=3: master 3 on port 16382: in the kernel');
      expect(
        errorOf(() =>
          loadStackSettings({
            env: { ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_CLUSTER_PORT: '65534' },
            repoRoot,
            ephemeralPorts: { from: 1024, to: 1024 },
          }),
        ).message,
      ).toContain('past 65535');
    });

    it("refuses a master or a bus on another component's port", () => {
      expect(errorOf(() => load({ ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_CLUSTER_PORT: '16378' })).message).toMatch(
        /ARGUS_REDIS_CLUSTER_PORT \+ 1 \(cluster master\) and ARGUS_REDIS_PORT both use port 16379/,
      );
      expect(
        errorOf(() => load({ ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_CLUSTER_PORT: '9080', ARGUS_KAFKA_PORT: '19081' }))
          .message,
      ).toContain('cluster bus');
    });

    it('refuses a cluster of its own together with an external Redis', () => {
      expect(
        errorOf(() => load({ ARGUS_REDIS_CLUSTER: '3', ARGUS_REDIS_URL: 'redis://cache:6379' })).message,
      ).toContain('ARGUS_REDIS_URL and ARGUS_REDIS_CLUSTER are both set');
    });

    it('takes an external cluster by URL', () => {
      const url = 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000';
      expect(stackUrls(load({ ARGUS_REDIS_URL: url })).redisUrl).toBe(url);
      expect(errorOf(() => load({ ARGUS_REDIS_URL: 'redis://a:1,b:2' })).message).toContain(
        'ARGUS_REDIS_URL: a list of servers needs the redis+cluster:// scheme',
      );
    });
  });

  it('puts a second, isolated stack in its own folder but shares the runtimes', () => {
    const settings = loadStackSettings({ env: {}, repoRoot, stackDir: '/repo/.argus/stack-int' });
    expect(settings.stackDir).toBe('/repo/.argus/stack-int');
    expect(settings.runtimeDir).toBe('/repo/.argus/stack/runtime');
  });
});

describe('stackUrls', () => {
  it('points clients at the stack', () => {
    expect(stackUrls(load())).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      schemaRegistryUrl: 'http://127.0.0.1:18081/apis/ccompat/v7',
      postgresUrl: 'postgres://argus:argus@127.0.0.1:15432/argus',
      redisUrl: 'redis://127.0.0.1:16379',
    });
  });

  it('points clients at external servers when configured', () => {
    const urls = stackUrls(load({ ARGUS_PG_URL: 'postgres://a:b@db/x', ARGUS_REDIS_URL: 'redis://cache:1' }));
    expect(urls.postgresUrl).toBe('postgres://a:b@db/x');
    expect(urls.redisUrl).toBe('redis://cache:1');
  });
});

describe('findRepoRoot', () => {
  it('walks up to the folder holding nx.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'argus-root-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    const deep = join(root, 'dist', 'libs', 'testing', 'src', 'stack');
    mkdirSync(deep, { recursive: true });
    expect(findRepoRoot(deep)).toBe(root);
  });

  it('finds this repository from this file', () => {
    expect(findRepoRoot(__dirname)).toBe(join(__dirname, '..', '..', '..', '..'));
  });

  it('fails with a typed error outside any workspace', () => {
    expect(errorOf(() => findRepoRoot('/')).code).toBe(StackErrorCode.RepoRootNotFound);
  });
});
