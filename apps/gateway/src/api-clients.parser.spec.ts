import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiClients } from './api-clients.parser';
import { authenticate, presentedKey } from './api-key.authenticator';
import { ClientsFileError } from './gateway.errors';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const DEPLOY_FILE = join(__dirname, '../../../deploy/config/gateway/clients.yaml');

const file = (clients: string) => `clients:\n${clients}`;
const client = (id: string, key: string, extra = '') =>
  `  - id: ${id}\n    key_sha256: ${sha(key)}\n    scopes: [decisions]\n    rate_limit_per_s: 10\n    burst: 20\n${extra}`;

describe('parseApiClients', () => {
  it('reads the deployed file: the demo client with every scope, step-up-only without decisions', () => {
    const { clients, version } = parseApiClients(readFileSync(DEPLOY_FILE, 'utf8'), DEPLOY_FILE);
    expect(version).toMatch(/^sha256:[0-9a-f]{12}$/);
    const demo = authenticate(clients, 'argus-demo-key');
    expect(demo).toMatchObject({ id: 'demo', ratePerSecond: 5000, burst: 5000 });
    expect([...demo!.scopes]).toEqual(['decisions', 'step-up']);
    const stepUp = authenticate(clients, 'argus-step-up-demo-key');
    expect(stepUp?.id).toBe('step-up-only');
    expect([...stepUp!.scopes]).toEqual(['step-up']);
  });

  it('never holds a key, only its hash', () => {
    const text = readFileSync(DEPLOY_FILE, 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    expect(text).not.toContain('argus-demo-key');
    expect(text).not.toContain('argus-step-up-demo-key');
  });

  it.each([
    [
      'a key instead of its hash',
      file(client('a', 'k').replace(/key_sha256: \w+/, 'key_sha256: argus-demo-key')),
      'clients[0].key_sha256',
    ],
    ['an unknown scope', file(client('a', 'k').replace('[decisions]', '[decisions, admin]')), 'clients[0].scopes[1]'],
    ['no scope', file(client('a', 'k').replace('[decisions]', '[]')), 'clients[0].scopes'],
    [
      'a zero rate',
      file(client('a', 'k').replace('rate_limit_per_s: 10', 'rate_limit_per_s: 0')),
      'clients[0].rate_limit_per_s',
    ],
    ['a fractional burst', file(client('a', 'k').replace('burst: 20', 'burst: 2.5')), 'clients[0].burst'],
    ['an unknown field', file(client('a', 'k', '    owner: me\n')), 'clients[0]'],
    ['a repeated id', file(client('a', 'k1') + client('a', 'k2')), 'clients[1].id'],
    ['a key shared by two clients', file(client('a', 'k') + client('b', 'k')), 'clients[1].key_sha256'],
    ['no clients list', 'other: 1\n', 'clients'],
  ])('refuses %s, naming where', (_what, text, path) => {
    expect(() => parseApiClients(text, 'clients.yaml')).toThrow(ClientsFileError);
    expect(() => parseApiClients(text, 'clients.yaml')).toThrow(path);
  });

  it('refuses YAML it cannot read, and repeated keys', () => {
    expect(() => parseApiClients('clients: [', 'clients.yaml')).toThrow(/clients.yaml: not valid YAML/);
    expect(() => parseApiClients('clients: []\nclients: []\n', 'clients.yaml')).toThrow(ClientsFileError);
  });

  it('names every problem at once', () => {
    const text = file(client('A', 'k').replace('burst: 20', 'burst: 0'));
    expect(() => parseApiClients(text, 'clients.yaml')).toThrow(/2 problems: clients\[0\]\.id .*; clients\[0\]\.burst/);
  });

  it('accepts an empty list (every request is then refused)', () => {
    expect(parseApiClients('clients: []\n', 'clients.yaml').clients).toEqual([]);
  });
});

describe('authenticate', () => {
  const { clients } = parseApiClients(file(client('a', 'key-a') + client('b', 'key-b')), 'clients.yaml');

  it('finds the client of a key by its hash', () => {
    expect(authenticate(clients, 'key-a')?.id).toBe('a');
    expect(authenticate(clients, 'key-b')?.id).toBe('b');
  });

  it('knows no other key, not even a prefix or the hash itself', () => {
    expect(authenticate(clients, 'key-')).toBeNull();
    expect(authenticate(clients, 'key-a ')).toBeNull();
    expect(authenticate(clients, sha('key-a'))).toBeNull();
    expect(authenticate([], 'key-a')).toBeNull();
  });
});

describe('presentedKey', () => {
  it.each([
    [{ authorization: 'Bearer abc' }, 'abc'],
    [{ authorization: 'bearer   abc ' }, 'abc'],
    [{ 'x-api-key': 'abc' }, 'abc'],
    [{ 'x-api-key': ['abc', 'def'] }, 'abc'],
    [{ authorization: 'Basic YWJjOmRlZg==' }, null],
    [{ authorization: 'Bearer' }, null],
    [{ authorization: 'Bearer a b' }, null],
    // Authorization wins: a request that sends it with another scheme is not rescued by X-Api-Key.
    [{ authorization: 'Basic x', 'x-api-key': 'abc' }, null],
    [{ 'x-api-key': '  ' }, null],
    [{}, null],
  ])('%j → %s', (headers, key) => {
    expect(presentedKey(headers)).toBe(key);
  });
});
