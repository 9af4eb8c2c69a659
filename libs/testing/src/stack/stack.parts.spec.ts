import { ALL_TOPICS, type TopicSpec } from '@argus/contracts';
import { mavenPath, parseJavaMajor } from './artefact.installer';
import { newClusterId } from './kafka.component';
import { findPasswdEntry, maskUrlPassword } from './postgres.component';
import type { ComponentName, ComponentStatus, StackComponent } from './stack.component';
import { selectComponents } from './stack.orchestrator';
import { componentState, formatStatusTable } from './status.formatter';
import { planTopics } from './topics.provisioner';

describe('newClusterId', () => {
  it('is 22 base64url characters, like Kafka prints a Uuid', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with a dash, which a command line would take for an option', () => {
    let calls = 0;
    const random = (size: number) => Buffer.alloc(size, ++calls === 1 ? 0xf8 : 0x41);
    const id = newClusterId(random);
    expect(calls).toBe(2);
    expect(id.startsWith('-')).toBe(false);
  });
});

describe('planTopics', () => {
  const topic = (name: string, partitions: number): TopicSpec => ({
    name,
    partitions,
    valueRecord: 'x.Y',
    config: {},
    description: name,
  });

  it('creates missing topics, grows short ones and leaves the rest alone', () => {
    const plan = planTopics(
      [topic('a', 6), topic('b', 6), topic('c', 6), topic('d', 1)],
      new Map([
        ['b', 3],
        ['c', 6],
        ['d', 12],
        ['other', 1],
      ]),
    );
    expect(plan.create.map((t) => t.name)).toEqual(['a']);
    expect(plan.grow.map(({ topic: t, from }) => [t.name, from])).toEqual([['b', 3]]);
    expect(plan.unchanged).toEqual(['c', 'd']);
  });

  it('creates every contract topic on an empty broker', () => {
    expect(planTopics(ALL_TOPICS, new Map()).create).toHaveLength(ALL_TOPICS.length);
  });
});

describe('installer helpers', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_382"', 8],
    ['no java here', undefined],
  ])('reads the Java major version from %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  it('lays out Maven repository paths', () => {
    expect(
      mavenPath({
        groupId: 'io.apicurio',
        artifactId: 'apicurio-registry-app',
        version: '3.0.9',
        classifier: 'all',
        extension: 'tar.gz',
      }),
    ).toBe('io/apicurio/apicurio-registry-app/3.0.9/apicurio-registry-app-3.0.9-all.tar.gz');
    expect(mavenPath({ groupId: 'a.b', artifactId: 'c', version: '1', extension: 'pom' })).toBe('a/b/c/1/c-1.pom');
  });
});

describe('postgres helpers', () => {
  it('finds a user in /etc/passwd', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL:/var/lib/postgresql:/bin/bash\n';
    expect(findPasswdEntry(passwd, 'postgres')).toEqual({ name: 'postgres', uid: 101, gid: 104 });
    expect(findPasswdEntry(passwd, 'nobody')).toBeUndefined();
  });

  it('masks passwords in URLs', () => {
    expect(maskUrlPassword('postgres://argus:argus@127.0.0.1:15432/argus')).toBe(
      'postgres://argus:***@127.0.0.1:15432/argus',
    );
    expect(maskUrlPassword('redis://127.0.0.1:16379')).toBe('redis://127.0.0.1:16379');
  });
});

describe('status table', () => {
  const status = (overrides: Partial<ComponentStatus>): ComponentStatus => ({
    name: 'kafka',
    address: '127.0.0.1:19092',
    pid: 42,
    running: true,
    healthy: true,
    external: false,
    detail: 'ok',
    ...overrides,
  });

  it('names the state of each component', () => {
    expect(componentState(status({}))).toBe('up');
    expect(componentState(status({ external: true, pid: null }))).toBe('up (external)');
    expect(componentState(status({ healthy: false }))).toBe('unhealthy');
    expect(componentState(status({ healthy: false, running: false, pid: null }))).toBe('down');
  });

  it('aligns the columns', () => {
    const table = formatStatusTable([
      status({}),
      status({
        name: 'redis',
        address: 'redis://127.0.0.1:16379',
        pid: null,
        running: false,
        healthy: false,
        detail: 'PING failed',
      }),
    ]);
    expect(table).toBe(
      [
        'COMPONENT  ADDRESS                  STATE  PID  DETAIL',
        'kafka      127.0.0.1:19092          up     42   ok',
        'redis      redis://127.0.0.1:16379  down   -    PING failed',
        '',
      ].join('\n'),
    );
  });
});

describe('status table of a component of several servers', () => {
  it('lists each node under the component, with its own state and pid', () => {
    const cluster: ComponentStatus = {
      name: 'redis-cluster',
      address: 'redis+cluster://127.0.0.1:16380,127.0.0.1:16381',
      pid: null,
      running: true,
      healthy: false,
      external: false,
      detail: 'cluster_state:fail',
      nodes: [
        { address: '127.0.0.1:16380', pid: 7, running: true, healthy: true, detail: 'master of 0-8191' },
        { address: '127.0.0.1:16381', pid: null, running: false, healthy: false, detail: 'PING failed' },
      ],
    };
    expect(formatStatusTable([cluster])).toBe(
      [
        'COMPONENT      ADDRESS                                          STATE      PID  DETAIL',
        'redis-cluster  redis+cluster://127.0.0.1:16380,127.0.0.1:16381  unhealthy  -    cluster_state:fail',
        '  node         127.0.0.1:16380                                  up         7    master of 0-8191',
        '  node         127.0.0.1:16381                                  down       -    PING failed',
        '',
      ].join('\n'),
    );
  });
});

describe('selectComponents', () => {
  const component = (name: ComponentName): StackComponent => ({
    name,
    start: () => Promise.reject(new Error('not in this test')),
    stop: () => Promise.reject(new Error('not in this test')),
    status: () => Promise.reject(new Error('not in this test')),
  });
  const all = [component('kafka'), component('postgres'), component('redis-cluster')];

  it('keeps every component, or those named, in display order', () => {
    expect(selectComponents(all, undefined).map((c) => c.name)).toEqual(['kafka', 'postgres', 'redis-cluster']);
    expect(selectComponents(all, ['redis-cluster', 'kafka']).map((c) => c.name)).toEqual(['kafka', 'redis-cluster']);
  });

  it('refuses a component the stack does not have, saying how to get the cluster', () => {
    const single = [component('kafka'), component('redis')];
    expect(() => selectComponents(single, ['redis-cluster'])).toThrow(
      'no component redis-cluster in this stack (redis-cluster runs only with ARGUS_REDIS_CLUSTER=3); it has kafka, redis',
    );
  });
});
