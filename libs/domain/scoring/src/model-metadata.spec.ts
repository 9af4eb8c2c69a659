import { assertSchemaMatches, parseModelMetadata } from './model-metadata';
import { ModelError, ModelErrorCode } from './scoring.errors';
import { metadataDocument } from './__fixtures__/metadata.fixture';

function problem(document: unknown): ModelError {
  try {
    parseModelMetadata(document);
  } catch (error) {
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('parseModelMetadata', () => {
  it('reads what serving and the registry need', () => {
    const meta = parseModelMetadata(metadataDocument());
    expect(meta.kind).toBe('lightgbm');
    expect(meta.featureNames).toEqual(['amount', 'card_count_1h']);
    expect(meta.schemaHash).toBe('abc123');
    expect(meta.windows.train.labelsKnownBy).toBe('2026-01-21T00:00:00+00:00');
    expect(meta.calibration.x).toEqual([0.1, 0.9]);
    expect(meta.artefacts['model.onnx']).toBe('a'.repeat(64));
  });

  it('names every problem with its path', () => {
    const error = problem(
      metadataDocument({
        format: 'other/1',
        kind: 'catboost',
        calibration: { method: 'isotonic', x: [0.5, 0.1], y: [0, 1] },
      }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe(ModelErrorCode.METADATA_INVALID);
    expect(error.message).toContain('format');
    expect(error.message).toContain('kind');
    expect(error.message).toContain('x must be strictly increasing');
  });

  it('refuses duplicate feature names, bad hashes and non-objects', () => {
    expect(problem(metadataDocument({ feature_names: ['a', 'a'] })).message).toContain('duplicates');
    expect(problem(metadataDocument({ artefacts: { 'model.onnx': 'xyz' } })).message).toContain('sha256');
    expect(problem('nope').code).toBe(ModelErrorCode.METADATA_INVALID);
  });
});

describe('assertSchemaMatches', () => {
  it('passes the same hash and refuses another with a clear message', () => {
    const meta = parseModelMetadata(metadataDocument());
    expect(() => assertSchemaMatches('m1', meta, 'abc123')).not.toThrow();
    expect(() => assertSchemaMatches('m1', meta, 'fff000')).toThrow(
      /model m1 was trained on feature schema abc123 but the live features are fff000/,
    );
  });
});
