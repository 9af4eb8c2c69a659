/** A valid `metadata.json` document (as the trainer writes it), with fields replaced by `overrides`. */
export function metadataDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'argus-model/1',
    kind: 'lightgbm',
    seed: 42,
    feature_names: ['amount', 'card_count_1h'],
    schema_hash: 'abc123',
    windows: {
      train: {
        from: '2026-01-01T00:00:00+00:00',
        to: '2026-01-20T00:00:00+00:00',
        labels_known_by: '2026-01-21T00:00:00+00:00',
      },
      calibration: { from: '2026-01-21T00:00:00+00:00', to: '2026-01-25T00:00:00+00:00' },
      test: { from: '2026-01-25T00:00:00+00:00', to: '2026-02-01T00:00:00+00:00' },
    },
    label_delay_days: 1,
    rows: { train: 10 },
    metrics: { calibrated: { auc: 0.9 } },
    calibration: { method: 'isotonic', x: [0.1, 0.9], y: [0.01, 0.5] },
    artefacts: { 'model.onnx': 'a'.repeat(64), 'trees.json': 'b'.repeat(64) },
    libraries: {},
    created_at: '2026-02-01T10:00:00+00:00',
    ...overrides,
  };
}
