import { AvroSchemas, type FeatureVector, type NormalizedTransaction, type Score } from '@argus/contracts';
import * as avro from 'avsc';
import { parseModelMetadata } from './model-metadata';
import { metadataDocument } from './__fixtures__/metadata.fixture';
import { scoreBatch, type Classifier, type ServableModel } from './model.scorer';

/** A classifier whose probability is the first feature: enough to check the plumbing around it. */
class FirstColumn implements Classifier {
  calls = 0;
  async predict(rows: Float32Array, count: number, width: number): Promise<Float32Array> {
    this.calls += 1;
    return Float32Array.from({ length: count }, (_, i) => rows[i * width]!);
  }
}

function model(version: string, overrides: Record<string, unknown> = {}, classifier: Classifier = new FirstColumn()) {
  const metadata = parseModelMetadata(
    metadataDocument({ calibration: { method: 'isotonic', x: [0, 1], y: [0, 1] }, ...overrides }),
  );
  return {
    version,
    metadata,
    classifier,
    explainer: {
      top: (row: Float64Array, k: number) =>
        [...row].slice(0, k).map((value, i) => ({ feature: metadata.featureNames[i]!, value, contribution: value })),
    },
  } satisfies ServableModel;
}

function vector(id: string, values: number[], schemaHash = 'abc123'): FeatureVector {
  return {
    transaction: { transaction_id: id, card_id: `card_${id}` } as NormalizedTransaction,
    schema_hash: schemaHash,
    names: ['amount', 'card_count_1h'],
    values,
    degraded: [],
    computed_at: 0,
  };
}

describe('scoreBatch', () => {
  it('scores with the champion: calibrated probability, score, tier, contributions of float32 values', async () => {
    const champion = model('m1');
    const { scores, unscored } = await scoreBatch(
      [vector('t1', [0.5, 3]), vector('t2', [0.001, 0.1])],
      champion,
      [],
      {
        explain: true,
        explainMinScore: 0,
        topK: 2,
        tiers: { medium: 50, high: 75, critical: 90 },
      },
      () => 1234,
    );
    expect(unscored).toEqual([]);
    expect(scores.map((s) => [s.transaction_id, s.card_id, s.model_version, s.score, s.risk_tier])).toEqual([
      ['t1', 'card_t1', 'm1', 92, 'CRITICAL'],
      ['t2', 'card_t2', 'm1', 25, 'LOW'],
    ]);
    expect(scores[0]!.probability).toBe(0.5);
    expect(scores[1]!.probability).toBe(Math.fround(0.001));
    expect(scores[1]!.contributions).toEqual([
      { feature: 'amount', value: Math.fround(0.001), contribution: Math.fround(0.001) },
      { feature: 'card_count_1h', value: Math.fround(0.1), contribution: Math.fround(0.1) },
    ]);
    expect(scores[0]!.scored_at).toBe(1234);
    expect(scores[0]!.shadow).toEqual([]);
  });

  it("carries the vector's values as the vector has them (not float32), with its schema hash", async () => {
    const { scores } = await scoreBatch([vector('t1', [0.001, Number.NaN])], model('m1'), []);
    expect(scores[0]!.feature_values).toEqual({ schema_hash: 'abc123', values: [0.001, Number.NaN] });
    // A missing value survives the topic's Avro encoding as NaN; the combiner makes it null in the decision.
    const type = avro.Type.forSchema(AvroSchemas['argus.scoring.Score'] as unknown as avro.Schema);
    const decoded = type.fromBuffer(type.toBuffer(scores[0]!)) as Score;
    expect(decoded.feature_values).toEqual({ schema_hash: 'abc123', values: [0.001, Number.NaN] });
  });

  it('leaves contributions out when explanations are off', async () => {
    const { scores } = await scoreBatch([vector('t1', [0.5, 3])], model('m1'), [], {
      explain: false,
      explainMinScore: 0,
      topK: 5,
      tiers: { medium: 50, high: 75, critical: 90 },
    });
    expect(scores[0]!.contributions).toEqual([]);
  });

  it('explains only the scores at or above explainMinScore', async () => {
    const { scores } = await scoreBatch([vector('t1', [0.5, 3]), vector('t2', [0.001, 0.1])], model('m1'), [], {
      explain: true,
      explainMinScore: 50,
      topK: 5,
      tiers: { medium: 50, high: 75, critical: 90 },
    });
    expect(scores.map((s) => [s.score, s.contributions.length, s.status])).toEqual([
      [92, 2, 'SCORED'],
      [25, 0, 'SCORED'],
    ]);
  });

  it('refuses vectors of another schema without failing the others', async () => {
    const { scores, unscored } = await scoreBatch(
      [vector('t1', [0.5, 3], 'zzz'), vector('t2', [0.2, 1])],
      model('m1'),
      [],
    );
    expect(scores.map((s) => s.transaction_id)).toEqual(['t2']);
    expect(unscored).toHaveLength(1);
    expect(unscored[0]!.reason).toBe('SCHEMA_MISMATCH');
    expect(unscored[0]!.message).toContain('schema zzz');
  });

  it('adds shadow probabilities and survives a failing shadow', async () => {
    const failing: Classifier = { predict: () => Promise.reject(new Error('boom')) };
    const halving = model('s1', { calibration: { method: 'isotonic', x: [0, 1], y: [0, 0.5] } });
    const { scores, shadowFailures } = await scoreBatch([vector('t1', [0.5, 3])], model('m1'), [
      halving,
      model('s2', {}, failing),
      model('s3', { schema_hash: 'other' }),
    ]);
    expect(scores[0]!.probability).toBe(0.5);
    expect(scores[0]!.shadow).toEqual([{ model_version: 's1', probability: 0.25 }]);
    expect(shadowFailures.map((f) => f.version)).toEqual(['s2']);
  });

  it('fails the batch when the champion fails', async () => {
    const failing: Classifier = { predict: () => Promise.reject(new Error('onnx down')) };
    await expect(scoreBatch([vector('t1', [0.5, 3])], model('m1', {}, failing), [])).rejects.toThrow('onnx down');
  });

  it('does not call the model for an empty batch', async () => {
    const classifier = new FirstColumn();
    const { scores } = await scoreBatch([], model('m1', {}, classifier), []);
    expect(scores).toEqual([]);
    expect(classifier.calls).toBe(0);
  });
});
