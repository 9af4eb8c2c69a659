import { z } from 'zod';
import { ConfigError, describeConfig, loadConfig, parsers, setting } from './config';
import { redisSettings } from './common.settings';

const spec = {
  brokers: setting({ env: 'T_BROKERS', schema: parsers.csv, group: 'kafka', description: 'brokers', default: 'a:1' }),
  port: setting({ env: 'T_PORT', schema: parsers.int(1, 65535), group: 'http', description: 'port' }),
  key: setting({ env: 'T_KEY', schema: z.string().min(32), group: 'security', description: 'key', secret: true }),
};

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const config = loadConfig(spec, { T_PORT: '8080', T_KEY: 'k'.repeat(32) });
    expect(config).toEqual({ brokers: ['a:1'], port: 8080, key: 'k'.repeat(32) });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every problem at once, naming each variable, never echoing a secret', () => {
    let error: unknown;
    try {
      loadConfig(spec, { T_PORT: '99999', T_KEY: 'short-secret-value' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^T_PORT="99999" is invalid/);
    expect(problems[1]).toMatch(/^T_KEY=<secret> is invalid/);
    expect((error as Error).message).not.toContain('short-secret-value');
  });

  it('names a missing required variable', () => {
    expect(() => loadConfig(spec, { T_KEY: 'k'.repeat(32) })).toThrow(/T_PORT is required \(port\)/);
  });

  it('gives an optional setting left unset or empty the value "" (turned off), and still checks a given one', () => {
    const optional = {
      hook: setting({
        env: 'T_HOOK',
        schema: z.union([z.literal(''), z.url()]),
        group: 'x',
        description: 'hook',
        optional: true,
      }),
    };
    expect(loadConfig(optional, {})).toEqual({ hook: '' });
    expect(loadConfig(optional, { T_HOOK: '' })).toEqual({ hook: '' });
    expect(loadConfig(optional, { T_HOOK: 'https://example.org/h' })).toEqual({ hook: 'https://example.org/h' });
    expect(() => loadConfig(optional, { T_HOOK: 'not a url' })).toThrow(/T_HOOK="not a url" is invalid/);
  });

  it('describes settings as a table without secret values', () => {
    const table = describeConfig(spec);
    expect(table).toContain('| `T_BROKERS` | kafka | brokers | `a:1` |');
    expect(table).toContain('| `T_KEY` | security | key | (secret) |');
  });
});

describe('the Redis URL setting', () => {
  it('takes one server or a cluster, and names the variable and the expected forms otherwise', () => {
    expect(loadConfig(redisSettings, {})).toEqual({ redisUrl: 'redis://127.0.0.1:16379' });
    const cluster = 'redis+cluster://127.0.0.1:16380,127.0.0.1:16381,127.0.0.1:16382';
    expect(loadConfig(redisSettings, { ARGUS_REDIS_URL: cluster })).toEqual({ redisUrl: cluster });
    expect(() => loadConfig(redisSettings, { ARGUS_REDIS_URL: 'redis://127.0.0.1:16380,127.0.0.1:16381' })).toThrow(
      /ARGUS_REDIS_URL="redis:\/\/127.0.0.1:16380,127.0.0.1:16381" is invalid: a list of servers needs the redis\+cluster:\/\/ scheme/,
    );
  });
});
