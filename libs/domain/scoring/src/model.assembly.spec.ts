import { metadataDocument } from './__fixtures__/metadata.fixture';
import { assembleModel, type TreeExplainer } from './model.assembly';
import type { Classifier } from './model.scorer';
import { ModelErrorCode } from './scoring.errors';

/** A "model" whose margin is the sum of the non-missing values; the classifier and the trees agree unless told. */
const sumMargin = (row: ArrayLike<number>) => Array.from(row).reduce((sum, v) => (Number.isNaN(v) ? sum : sum + v), 0);

function explainer(featureNames = ['amount', 'card_count_1h']): TreeExplainer {
  return { featureNames, margin: sumMargin, top: () => [] };
}

function classifier(shift = 0): Classifier {
  return {
    predict: async (rows, count, width) =>
      Float32Array.from(
        { length: count },
        (_, i) => 1 / (1 + Math.exp(-(sumMargin(rows.subarray(i * width, (i + 1) * width)) + shift))),
      ),
  };
}

describe('assembleModel', () => {
  const parts = { version: 'm1', metadata: metadataDocument(), liveSchemaHash: 'abc123' };

  it('assembles a model whose artefacts agree', async () => {
    const model = await assembleModel({ ...parts, classifier: classifier(), explainer: explainer() });
    expect(model.version).toBe('m1');
    expect(model.metadata.schemaHash).toBe('abc123');
  });

  it('refuses another feature schema', async () => {
    await expect(
      assembleModel({ ...parts, liveSchemaHash: 'other', classifier: classifier(), explainer: explainer() }),
    ).rejects.toMatchObject({ code: ModelErrorCode.SCHEMA_MISMATCH });
  });

  it('refuses trees listing other features', async () => {
    await expect(
      assembleModel({ ...parts, classifier: classifier(), explainer: explainer(['amount', 'other']) }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.METADATA_INVALID,
      message: expect.stringContaining('different features'),
    });
  });

  it('refuses an ONNX model and a tree structure that disagree', async () => {
    await expect(
      assembleModel({ ...parts, classifier: classifier(0.5), explainer: explainer() }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.ARTEFACTS_DISAGREE,
      message: expect.stringContaining('do not describe the same model'),
    });
  });
});
