import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@argus/contracts';
import { createLogger } from '@argus/logger';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { waitFor } from '../wait-for.helper';
import { isProcessAlive, processFamily } from './process.supervisor';
import type { ComponentStatus } from './stack.component';
import { createStackComponents, stackDown, stackStatus, stackUp } from './stack.orchestrator';
import { findRepoRoot, loadStackSettings, stackUrls } from './stack.settings';
import { provisionTopics } from './topics.provisioner';

// An instance of its own (folder and ports), so that this lifecycle test never stops the stack that other
// integration tests or a developer are using. Downloaded runtimes are shared with the default instance.
const settings = loadStackSettings({
  stackDir: join(findRepoRoot(__dirname), '.argus', 'stack-int'),
  env: { ARGUS_KAFKA_PORT: '29092', ARGUS_REGISTRY_PORT: '28091', ARGUS_PG_PORT: '25432', ARGUS_REDIS_PORT: '26379' },
});
const urls = stackUrls(settings);
const logger = createLogger({ service: 'stack-int', destination: 2 });
const options = { settings, logger };

const byName = (statuses: readonly ComponentStatus[]) => new Map(statuses.map((status) => [status.name, status]));

jest.setTimeout(60_000);

describe('local stack (isolated instance on ports 29092 / 28091 / 25432 / 26379)', () => {
  let started: ComponentStatus[] = [];

  beforeAll(async () => {
    // A cold machine downloads Kafka and Apicurio (and may apt-get redis-server) first.
    started = await stackUp(options);
  }, 20 * 60_000);

  afterAll(async () => {
    // Whatever failed above, leave no process behind.
    await stackDown(options);
  }, 120_000);

  it('starts every component itself and reports it healthy', () => {
    expect(started.map((status) => status.name)).toEqual(['kafka', 'schema-registry', 'postgres', 'redis']);
    for (const status of started) {
      expect(status).toMatchObject({ healthy: true, running: true, external: false });
      expect(status.pid).toEqual(expect.any(Number));
      expect(isProcessAlive(status.pid!)).toBe(true);
    }
  });

  it('creates every contract topic with its partitions and config', async () => {
    const admin = new Kafka({ brokers: urls.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((topic) => topic.name) });
      const partitions = new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
      for (const topic of ALL_TOPICS)
        expect([topic.name, partitions.get(topic.name)]).toEqual([topic.name, topic.partitions]);
      const [first] = ALL_TOPICS;
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* TOPIC */, name: first!.name, configNames: ['retention.ms'] }],
      });
      expect(described.resources[0]?.configEntries[0]?.configValue).toBe(first!.config['retention.ms']);
    } finally {
      await admin.disconnect();
    }
  });

  it('provisions idempotently: existing topics are kept, short ones grow', async () => {
    const spec = { name: `stack-int.${randomUUID()}`, valueRecord: 'x.Y', config: {}, description: 'test' };
    const first = await provisionTopics(urls.kafkaBrokers, [{ ...spec, partitions: 1 }], logger);
    const again = await provisionTopics(urls.kafkaBrokers, [{ ...spec, partitions: 1 }], logger);
    const grown = await provisionTopics(urls.kafkaBrokers, [{ ...spec, partitions: 3 }], logger);
    expect([first.create.length, again.unchanged, grown.grow.map((g) => g.from)]).toEqual([1, [spec.name], [1]]);
    const admin = new Kafka({ brokers: urls.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [spec.name] });
      expect(topics[0]?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('carries a message from a producer to a consumer', async () => {
    const kafka = new Kafka({ clientId: 'stack-int', brokers: urls.kafkaBrokers, logLevel: logLevel.NOTHING });
    const topic = 'transactions.dlq';
    const key = randomUUID();
    const received: string[] = [];
    const consumer = kafka.consumer({ groupId: `stack-int-${key}`, maxWaitTimeInMs: 100 });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([consumer.connect(), producer.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === key) received.push(message.value?.toString() ?? '');
        },
      });
      await producer.send({ topic, acks: -1, messages: [{ key, value: 'hello from the stack test' }] });
      await waitFor(() => received.length > 0, { timeoutMs: 30_000, description: 'the consumer to get the message' });
      expect(received).toEqual(['hello from the stack test']);
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
  });

  describe('schema registry (Confluent-compatible API)', () => {
    const record = (fields: object[]) =>
      JSON.stringify({ type: 'record', name: 'Probe', namespace: 'argus.int', fields });
    const v1 = record([{ name: 'id', type: 'string' }]);
    const register = (subject: string, schema: string) =>
      fetch(`${urls.schemaRegistryUrl}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema }),
      });

    it('returns the same id when the same schema is registered twice, even reformatted', async () => {
      const subject = `int-${randomUUID()}-value`;
      const first = await register(subject, v1);
      const second = await register(subject, JSON.stringify(JSON.parse(v1), null, 2));
      expect([first.status, second.status]).toEqual([200, 200]);
      const [a, b] = (await Promise.all([first.json(), second.json()])) as Array<{ id: number }>;
      expect(b!.id).toBe(a!.id);
    });

    it('rejects a BACKWARD-incompatible schema with 409 and accepts a compatible one', async () => {
      const subject = `int-${randomUUID()}-value`;
      expect((await register(subject, v1)).status).toBe(200);
      const incompatible = await register(
        subject,
        record([
          { name: 'id', type: 'string' },
          { name: 'n', type: 'int' },
        ]),
      );
      expect(incompatible.status).toBe(409);
      const compatible = await register(
        subject,
        record([
          { name: 'id', type: 'string' },
          { name: 'n', type: 'int', default: 0 },
        ]),
      );
      expect(compatible.status).toBe(200);
    });

    it('works with @kafkajs/confluent-schema-registry: register twice, encode, decode', async () => {
      const registry = new SchemaRegistry({ host: urls.schemaRegistryUrl });
      const subject = `int-${randomUUID()}-value`;
      const { id } = await registry.register({ type: SchemaType.AVRO, schema: v1 }, { subject });
      const again = await new SchemaRegistry({ host: urls.schemaRegistryUrl }).register(
        { type: SchemaType.AVRO, schema: v1 },
        { subject },
      );
      expect(again.id).toBe(id);
      const decoded: unknown = await registry.decode(await registry.encode(id, { id: 'tx-1' }));
      expect(decoded).toEqual({ id: 'tx-1' });
    });
  });

  it('serves the argus database to the argus role', async () => {
    const client = new Client({ connectionString: urls.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; user: string; db: string; owner: string }>(
        `select 1 as one, current_user as user, current_database() as db,
                (select pg_get_userbyid(datdba) from pg_database where datname = current_database()) as owner`,
      );
      expect(rows[0]).toEqual({ one: 1, user: 'argus', db: 'argus', owner: 'argus' });
    } finally {
      await client.end();
    }
  });

  it('serves Redis', async () => {
    const redis = new Redis(urls.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const key = `stack-int:${randomUUID()}`;
      expect(await redis.set(key, 'value', 'EX', 60)).toBe('OK');
      expect(await redis.get(key)).toBe('value');
    } finally {
      redis.disconnect();
    }
  });

  it('reports every component healthy in status', async () => {
    const statuses = byName(await stackStatus(options));
    for (const status of started) {
      expect(statuses.get(status.name)).toMatchObject({ healthy: true, running: true, pid: status.pid });
    }
  });

  it('is idempotent: a second up keeps the same processes and is fast', async () => {
    const before = Date.now();
    const again = byName(await stackUp(options));
    const elapsed = Date.now() - before;
    for (const status of started) expect(again.get(status.name)?.pid).toBe(status.pid);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('reuses a PostgreSQL and a Redis given by URL, and never stops them', async () => {
    const external = loadStackSettings({
      stackDir: join(settings.stackDir, 'external'),
      env: { ARGUS_PG_URL: urls.postgresUrl, ARGUS_REDIS_URL: urls.redisUrl, ARGUS_PG_PORT: '25999' },
    });
    const components = createStackComponents(external, logger).filter(
      (c) => c.name === 'postgres' || c.name === 'redis',
    );
    for (const component of components) {
      expect(await component.start()).toMatchObject({ healthy: true, external: true, pid: null });
      expect(await component.stop()).toMatchObject({ healthy: true, external: true });
    }
    const ours = byName(await stackStatus(options));
    expect(ours.get('postgres')).toMatchObject({ healthy: true, pid: byName(started).get('postgres')?.pid });
    expect(ours.get('redis')).toMatchObject({ healthy: true, pid: byName(started).get('redis')?.pid });
  });

  it('down stops every process it started, children included, and removes the pid files', async () => {
    const pids = started.map((status) => status.pid!);
    const children = pids.flatMap((pid) => processFamily(pid));
    expect(children.length).toBeGreaterThan(0); // PostgreSQL's background processes at least

    const stopped = await stackDown(options);

    for (const status of stopped) expect(status).toMatchObject({ running: false, healthy: false, pid: null });
    const survivors = [...pids, ...children].filter((pid) => isProcessAlive(pid));
    expect(survivors).toEqual([]);
    for (const status of started) expect(existsSync(join(settings.stackDir, 'run', `${status.name}.pid`))).toBe(false);
    const after = await stackStatus(options);
    expect(after.filter((status) => status.running)).toEqual([]);
  });
});
