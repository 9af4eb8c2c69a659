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
