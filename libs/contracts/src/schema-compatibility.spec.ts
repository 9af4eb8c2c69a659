import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as avro from 'avsc';
import { AvroSchemas, type AvroRecordName } from './generated/contracts';
import { ALL_TOPICS } from './topics';

const historyDir = join(__dirname, '../../../schemas/history');
const histories = readdirSync(historyDir).map((file) => ({
  record: file.replace(/\.json$/, ''),
  versions: JSON.parse(readFileSync(join(historyDir, file), 'utf8')) as avro.Schema[],
}));

/** BACKWARD: a consumer on the new schema reads every record written with the previous one. */
function readsPrevious(newer: avro.Schema, older: avro.Schema): void {
  avro.Type.forSchema(newer).createResolver(avro.Type.forSchema(older));
}

describe('schema history', () => {
  it('has every topic record, whose last released version is the current schema', () => {
    for (const topic of ALL_TOPICS) {
      const history = histories.find((h) => h.record === topic.valueRecord);
      expect({ topic: topic.name, released: history !== undefined }).toEqual({ topic: topic.name, released: true });
      expect(history!.versions.at(-1)).toEqual(AvroSchemas[topic.valueRecord as AvroRecordName]);
    }
  });

  it.each(histories)('$record: each version is BACKWARD compatible with the one before', ({ versions }) => {
    for (let i = 1; i < versions.length; i += 1)
      expect(() => readsPrevious(versions[i]!, versions[i - 1]!)).not.toThrow();
  });

  it('rejects a change that is not BACKWARD compatible (the check can fail)', () => {
    const current = AvroSchemas['argus.labels.Label'] as unknown as { fields: unknown[] };
    const breaking = { ...current, fields: [...current.fields, { name: 'required_without_default', type: 'string' }] };
    expect(() => readsPrevious(breaking as avro.Schema, current as unknown as avro.Schema)).toThrow();
    const compatible = {
      ...current,
      fields: [...current.fields, { name: 'optional', type: ['null', 'string'], default: null }],
    };
    expect(() => readsPrevious(compatible as avro.Schema, current as unknown as avro.Schema)).not.toThrow();
  });
});
