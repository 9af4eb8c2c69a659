import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  othersCanTraverse,
  postgresDir,
  postgresSocketDir,
  renderPostgresConf,
  renderRedisClusterNodeConf,
  renderRedisConf,
  renderServerProperties,
  renderTemplate,
} from './config.renderer';
import { StackErrorCode } from './stack.errors';
import { findRepoRoot, loadStackSettings } from './stack.settings';

const repoRoot = findRepoRoot(__dirname);
const template = (path: string) => readFileSync(join(repoRoot, 'deploy', 'local', path), 'utf8');

/** key=value lines of a .properties file (comments and blank lines dropped). */
function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );
}

describe('renderTemplate', () => {
  it('fills every placeholder', () => {
    expect(renderTemplate('a={{A}} b={{B}} again={{A}}', { A: 1, B: 'x' })).toBe('a=1 b=x again=1');
  });

  it('fails on a placeholder without a value', () => {
    expect(() => renderTemplate('{{A}} {{MISSING}}', { A: 1 })).toThrow(
      expect.objectContaining({ code: StackErrorCode.InvalidSetting, message: expect.stringContaining('MISSING') }),
    );
  });

  it('fails on a value without a placeholder, so a template cannot silently drop a setting', () => {
    expect(() => renderTemplate('{{A}}', { A: 1, EXTRA: 2 })).toThrow(/EXTRA/);
  });
});

describe('renderServerProperties (deploy/local/kafka/server.properties.template)', () => {
  const settings = loadStackSettings({ env: { ARGUS_KAFKA_PORT: '29092' }, repoRoot: '/repo' });
  const rendered = renderServerProperties(template('kafka/server.properties.template'), settings);
  const props = properties(rendered);

  it('listens on loopback only, with the controller on the next port', () => {
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:29092');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:29093');
    expect(props.get('process.roles')).toBe('broker,controller');
  });

  it('keeps the log dirs in the stack folder', () => {
    expect(props.get('log.dirs')).toBe('/repo/.argus/stack/kafka/data');
  });

  it('is sized for one broker on a small box', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
    expect(props.get('share.coordinator.state.topic.replication.factor')).toBe('1');
    expect(props.get('min.insync.replicas')).toBe('1');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('num.network.threads')).toBe('2');
    expect(props.get('num.io.threads')).toBe('2');
    expect(Number(props.get('log.cleaner.dedupe.buffer.size'))).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('never creates topics on the fly', () => {
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });

  it('leaves no placeholder behind', () => {
    expect(rendered).not.toMatch(/\{\{/);
  });
});

describe('PostgreSQL and Redis configs', () => {
  const settings = loadStackSettings({ env: {}, repoRoot: '/repo' });

  it('binds PostgreSQL to loopback with its socket inside the stack folder', () => {
    const conf = renderPostgresConf(template('postgres/postgresql.conf.template'), settings);
    expect(conf).toContain("listen_addresses = '127.0.0.1'");
    expect(conf).toContain('port = 15432');
    expect(conf).toContain("unix_socket_directories = '/repo/.argus/stack/postgres/run'");
    expect(conf).toContain('synchronous_commit = off');
  });

  it('binds Redis to loopback without persistence', () => {
    const conf = renderRedisConf(template('redis/redis.conf.template'), settings);
    expect(conf).toMatch(/^bind 127\.0\.0\.1$/m);
    expect(conf).toMatch(/^port 16379$/m);
    expect(conf).toMatch(/^save ""$/m);
    expect(conf).toMatch(/^appendonly no$/m);
    expect(conf).toMatch(/^daemonize no$/m);
    expect(conf).toContain('dir "/repo/.argus/stack/redis"');
  });

  it("gives each cluster node the single server's settings on its own port and folder, then the cluster's", () => {
    const clustered = loadStackSettings({ env: { ARGUS_REDIS_CLUSTER: '3' }, repoRoot: '/repo' });
    const conf = renderRedisClusterNodeConf(
      template('redis/redis.conf.template'),
      template('redis/redis-cluster.conf.template'),
      clustered,
      1,
    );
    expect(conf).toMatch(/^bind 127\.0\.0\.1$/m);
    expect(conf).toMatch(/^port 16381$/m);
    expect(conf).toContain('dir "/repo/.argus/stack/redis-cluster/16381"');
    expect(conf).toMatch(/^save ""$/m);
    expect(conf).toMatch(/^appendonly no$/m);
    expect(conf).toMatch(/^cluster-enabled yes$/m);
    expect(conf).toMatch(/^cluster-config-file nodes\.conf$/m);
    expect(conf).toMatch(/^cluster-port 26381$/m);
    expect(conf).toMatch(/^cluster-node-timeout 3000$/m);
    expect(() => renderRedisClusterNodeConf(template('redis/redis.conf.template'), 'x', settings, 0)).toThrow(
      /ARGUS_REDIS_CLUSTER/,
    );
  });
});

describe('postgresSocketDir', () => {
  it('keeps the socket in the stack folder', () => {
    const settings = loadStackSettings({ env: {}, repoRoot: '/repo' });
    expect(postgresSocketDir(settings)).toBe('/repo/.argus/stack/postgres/run');
  });

  it('moves it to a per-instance /tmp folder when the path would be too long for a Unix socket', () => {
    const deep = `/${'x'.repeat(90)}`;
    const a = postgresSocketDir(loadStackSettings({ env: {}, repoRoot: deep }));
    const b = postgresSocketDir(loadStackSettings({ env: {}, repoRoot: deep, stackDir: `${deep}/other` }));
    expect(a).toMatch(/argus-pg-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
    expect(`${a}/.s.PGSQL.15432`.length).toBeLessThanOrEqual(100);
  });
});

describe('postgresDir', () => {
  const settings = loadStackSettings({ env: {}, repoRoot: '/opt/alice/argus' });
  const modes = (private_: string) => (path: string) => (path === private_ ? 0o40700 : 0o40755);

  it('keeps PostgreSQL in the stack folder when its OS user can reach it, or when it runs as the caller', () => {
    expect(postgresDir(settings, { runsAsOtherUser: true, modeOf: () => 0o40755 })).toBe(
      '/opt/alice/argus/.argus/stack/postgres',
    );
    expect(postgresDir(settings, { runsAsOtherUser: false, modeOf: modes('/opt/alice') })).toBe(
      '/opt/alice/argus/.argus/stack/postgres',
    );
  });

  it('moves it under /var/tmp, one folder per stack, when a folder above is closed to other users (0700 home)', () => {
    const moved = postgresDir(settings, { runsAsOtherUser: true, modeOf: modes('/opt/alice') });
    expect(moved).toMatch(/^\/var\/tmp\/argus-postgres-[0-9a-f]{12}$/);
    const other = loadStackSettings({ env: {}, repoRoot: '/opt/alice/argus', stackDir: '/opt/alice/argus/.argus/x' });
    expect(postgresDir(other, { runsAsOtherUser: true, modeOf: modes('/opt/alice') })).not.toBe(moved);
  });

  it('skips folders that do not exist yet (the stack creates them) but not their closed parents', () => {
    expect(othersCanTraverse('/tmp/a/b', (path) => (path === '/tmp' || path === '/' ? 0o41777 : undefined))).toBe(true);
    expect(
      othersCanTraverse('/tmp/tmp.x/b', (path) =>
        path === '/tmp/tmp.x' ? 0o40700 : path === '/' ? 0o40755 : undefined,
      ),
    ).toBe(false);
  });
});
