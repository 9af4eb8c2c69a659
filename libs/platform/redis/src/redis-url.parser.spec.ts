import { RedisError, RedisErrorCode } from './redis.errors';
import { maskRedisUrl, parseRedisUrl, redisClusterUrl } from './redis-url.parser';

function errorOf(url: string): RedisError {
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (error instanceof RedisError) return error;
    throw error;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('parseRedisUrl', () => {
  it('reads redis:// and rediss:// as one server, handing the URL to ioredis as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:16379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:16379' });
    expect(parseRedisUrl('rediss://:secret@redis.internal:6380/2')).toMatchObject({ kind: 'single' });
  });

  it('reads redis+cluster:// as the seed nodes of a cluster', () => {
    expect(parseRedisUrl('redis+cluster://127.0.0.1:16380,127.0.0.1:16381, 127.0.0.1:16382')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 16380 },
        { host: '127.0.0.1', port: 16381 },
        { host: '127.0.0.1', port: 16382 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
  });

  it('takes credentials, TLS, the default port and IPv6 addresses in a cluster URL', () => {
    expect(parseRedisUrl('rediss+cluster://argus:p%40ss@redis-0.redis:6380,[::1]/')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-0.redis', port: 6380 },
        { host: '::1', port: 6379 },
      ],
      username: 'argus',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://:only-password@h:1')).toMatchObject({
      username: undefined,
      password: 'only-password',
    });
  });

  it.each([
    ['http://127.0.0.1:16379', 'unknown scheme http://'],
    ['redis://127.0.0.1:16380,127.0.0.1:16381', 'needs the redis+cluster:// scheme'],
    ['127.0.0.1:16379', 'not a URL'],
    ['redis+cluster://', 'an empty seed node'],
    ['redis+cluster://a:1,,b:2', 'an empty seed node'],
    ['redis+cluster://a:99999', 'seed node a:99999 is not host:port'],
    ['redis+cluster://a:1/0', 'expected redis://'],
    ['redis+cluster://a:1?db=1', 'expected redis://'],
    ['not a url', 'not a URL'],
  ])('refuses %s, saying what it expects', (url, why) => {
    const error = errorOf(url);
    expect(error.code).toBe(RedisErrorCode.INVALID_URL);
    expect(error.message).toContain(why);
    expect(error.message).toContain('redis+cluster://[user:password@]host:port,host:port');
  });

  it('never echoes a password in an error', () => {
    expect(errorOf('redis+cluster://user:hunter2@a:1/0').message).not.toContain('hunter2');
  });
});

describe('maskRedisUrl and redisClusterUrl', () => {
  it('masks the password of either form', () => {
    expect(maskRedisUrl('redis://:secret@h:1')).toBe('redis://:***@h:1');
    expect(maskRedisUrl('redis+cluster://u:secret@a:1,b:2')).toBe('redis+cluster://u:***@a:1,b:2');
    expect(maskRedisUrl('redis+cluster://a:1,b:2')).toBe('redis+cluster://a:1,b:2');
  });

  it('writes the URL of a set of nodes, which parses back to them', () => {
    const nodes = [
      { host: '127.0.0.1', port: 16380 },
      { host: '127.0.0.1', port: 16381 },
    ];
    const url = redisClusterUrl(nodes);
    expect(url).toBe('redis+cluster://127.0.0.1:16380,127.0.0.1:16381');
    expect(parseRedisUrl(url)).toMatchObject({ kind: 'cluster', nodes });
  });
});
