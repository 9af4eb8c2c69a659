import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroSchemas, type Label } from '@argus/contracts';
import { commonSettings, loadConfig } from '@argus/config';
import { AvroSerde } from './avro.serde';
import { SchemaRegistryErrorCode } from './schema-registry.errors';

// Against the real registry of the local stack (`argus stack up`).
const { schemaRegistryUrl } = loadConfig(commonSettings);
const historyDir = join(__dirname, '../../../../schemas/history');

const label: Label = {
  transaction_id: 't-1',
  card_id: 'tok_1',
  label: 'FRAUD',
  source: 'CHARGEBACK',
  reported_at: 1_700_000_000_000,
  event_time: null,
  note: 'chargeback 10.4',
};

describe('AvroSerde against the real registry', () => {
  const registry = new SchemaRegistry({ host: schemaRegistryUrl });

  it('registers every topic schema idempotently (same ids the second time)', async () => {
    const first = new AvroSerde(schemaRegistryUrl);
    const second = new AvroSerde(schemaRegistryUrl);
    const all = [
      'transactions',
      'transactionsNormalized',
      'transactionsDlq',
      'transactionsFeatures',
      'transactionsScores',
      'transactionsRuleResults',
      'decisions',
      'labels',
    ] as const;
    await first.registerTopics(all);
    await second.registerTopics(all);
    for (const topic of all) expect(second.schemaId(topic)).toBe(first.schemaId(topic));
  });

  it.each(readdirSync(historyDir))('%s: every released version registers in order under BACKWARD', async (file) => {
    const versions = JSON.parse(readFileSync(join(historyDir, file), 'utf8')) as object[];
    const subject = `compat-${randomUUID()}-value`;
    for (const version of versions) {
      await expect(
        registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(version) }, { subject }),
      ).resolves.toHaveProperty('id');
    }
  });

  it('refuses a BACKWARD-incompatible change', async () => {
    const subject = `compat-${randomUUID()}-value`;
    const current = AvroSchemas['argus.labels.Label'];
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(current) }, { subject });
    const breaking = { ...current, fields: [...current.fields, { name: 'mandatory', type: 'string' }] };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(breaking) }, { subject }),
    ).rejects.toThrow();
  });

  it('round-trips a record and classifies every kind of bad bytes', async () => {
    const serde = new AvroSerde(schemaRegistryUrl);
    await serde.registerTopics(['labels', 'decisions']);
    const bytes = serde.encode('labels', label);
    await expect(serde.decode('labels', bytes)).resolves.toEqual(label);

    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'decoded',
        (error: { code: string }) => error.code,
      );
    const unknownId = Buffer.from(bytes);
    unknownId.writeInt32BE(2_000_000_000, 1);
    expect(await code(serde.decode('labels', Buffer.from('{"json":true}')))).toBe(
      SchemaRegistryErrorCode.BAD_MAGIC_BYTE,
    );
    expect(await code(serde.decode('labels', unknownId))).toBe(SchemaRegistryErrorCode.UNKNOWN_SCHEMA_ID);
    expect(await code(serde.decode('labels', bytes.subarray(0, 9)))).toBe(SchemaRegistryErrorCode.MALFORMED_AVRO);
    expect(await code(serde.decode('labels', Buffer.concat([bytes, Buffer.from([1, 2])])))).toBe(
      SchemaRegistryErrorCode.MALFORMED_AVRO,
    );
    expect(await code(serde.decode('decisions', bytes))).toBe(SchemaRegistryErrorCode.INCOMPATIBLE_SCHEMA);
    expect(await code(serde.decode('labels', null))).toBe(SchemaRegistryErrorCode.EMPTY_VALUE);
    expect(() => serde.encode('labels', { ...label, label: 'MAYBE' as Label['label'] })).toThrow(/at label/);
  });
});
