import type { PgPool } from '@argus/pg';
import { createTestSchema, type TestSchema } from '@argus/pg/testing';
import { ModelRegistryError, ModelRegistryErrorCode } from './model-registry.errors';
import type { ModelRegistration } from './model-registry.types';
import { ModelRegistry, REGISTRY_CHANNEL, sha256Hex } from './model.registry';

const change = { reason: 'test', actor: 'jest' };

function registration(version: string, modelBytes = Buffer.from(`onnx-${version}`)): ModelRegistration {
  const trees = Buffer.from(JSON.stringify({ format: 'argus-trees/1', version }));
  return {
    version,
    kind: 'lightgbm',
    schemaHash: 'b52c10234510e506',
    windows: {
      trainFrom: '2026-01-01T00:00:00.000Z',
      trainTo: '2026-01-19T00:00:00.000Z',
      labelsKnownBy: '2026-01-20T00:00:00.000Z',
      calibrationFrom: '2026-01-20T00:00:00.000Z',
      calibrationTo: '2026-01-25T00:00:00.000Z',
      testFrom: '2026-01-25T00:00:00.000Z',
      testTo: '2026-02-01T00:00:00.000Z',
    },
    labelDelayDays: 1,
    metrics: { calibrated: { auc: 0.93 } },
    metadata: { format: 'argus-model/1', kind: 'lightgbm' },
    artefacts: [
      { name: 'model.onnx', bytes: modelBytes, sha256: sha256Hex(modelBytes) },
      { name: 'trees.json', bytes: trees, sha256: sha256Hex(trees) },
    ],
    source: '/tmp/table.csv',
  };
}

async function failure(promise: Promise<unknown>): Promise<ModelRegistryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelRegistryError);
    return error as ModelRegistryError;
  }
  throw new Error('expected a ModelRegistryError');
}

describe('ModelRegistry against PostgreSQL', () => {
  let testSchema: TestSchema;
  let pool: PgPool;
  let registry: ModelRegistry;

  beforeAll(async () => {
    testSchema = await createTestSchema('models_test', { max: 4 });
    pool = testSchema.pool;
    registry = new ModelRegistry(pool);
    expect((await registry.migrate()).applied).toEqual(['0001_model_registry.sql']);
    expect((await registry.migrate()).applied).toEqual([]);
  });

  afterAll(async () => {
    await testSchema?.drop();
  });

  it('registers a candidate with its artefacts, idempotently, and refuses a conflicting version', async () => {
    const record = await registry.register(registration('lgbm-a'), change);
    expect(record.status).toBe('candidate');
    expect(record.windows.trainTo).toBe('2026-01-19T00:00:00.000Z');
    expect(record.labelDelayDays).toBe(1);
    expect(Object.keys(record.artefacts).sort()).toEqual(['model.onnx', 'trees.json']);
    expect((await registry.artefact('lgbm-a', 'model.onnx')).toString()).toBe('onnx-lgbm-a');

    expect((await registry.register(registration('lgbm-a'), change)).registeredAt).toBe(record.registeredAt);
    const conflict = await failure(registry.register(registration('lgbm-a', Buffer.from('other bytes')), change));
    expect(conflict.code).toBe(ModelRegistryErrorCode.VERSION_CONFLICT);
  });

  it('refuses artefacts whose bytes do not match their hash', async () => {
    const bad = registration('lgbm-bad');
    const tampered = { ...bad, artefacts: [{ ...bad.artefacts[0]!, bytes: Buffer.from('tampered') }] };
    expect((await failure(registry.register(tampered, change))).code).toBe(
      ModelRegistryErrorCode.ARTEFACT_HASH_MISMATCH,
    );
    expect((await failure(registry.get('lgbm-bad'))).code).toBe(ModelRegistryErrorCode.NOT_FOUND);
  });

  it('detects artefact bytes changed in the database', async () => {
    await registry.register(registration('lgbm-tamper'), change);
    await pool.query('test.tamper', "UPDATE model_artefacts SET bytes = 'x'::bytea WHERE version = 'lgbm-tamper'");
    expect((await failure(registry.artefact('lgbm-tamper', 'model.onnx'))).code).toBe(
      ModelRegistryErrorCode.ARTEFACT_HASH_MISMATCH,
    );
  });

  it('promotes: one champion at a time, the previous one retired, shadows served beside it, all on the trail', async () => {
    await registry.register(registration('lgbm-b'), change);
    await registry.register(registration('lgbm-c'), change);
    expect((await registry.serving()).champion).toBeNull();

    await registry.setStatus('lgbm-a', 'champion', { reason: 'first model', actor: 'alice' });
    await registry.setStatus('lgbm-b', 'shadow', { reason: 'challenger', actor: 'alice' });
    let serving = await registry.serving();
    expect(serving.champion?.version).toBe('lgbm-a');
    expect(serving.shadows.map((s) => s.version)).toEqual(['lgbm-b']);
    const fingerprint = serving.fingerprint;
    expect(await registry.servingFingerprint()).toBe(fingerprint);

    await registry.setStatus('lgbm-b', 'champion', { reason: 'beat the champion', actor: 'bob' });
    serving = await registry.serving();
    expect(serving.champion?.version).toBe('lgbm-b');
    expect(serving.shadows).toEqual([]);
    expect(serving.fingerprint).not.toBe(fingerprint);
    expect(await registry.servingFingerprint()).toBe(serving.fingerprint);
    expect((await registry.get('lgbm-a')).status).toBe('retired');

    const trail = await registry.events('lgbm-a');
    expect(trail.map((e) => [e.from, e.to, e.actor])).toEqual([
      [null, 'candidate', 'jest'],
      ['candidate', 'champion', 'alice'],
      ['champion', 'retired', 'bob'],
    ]);
    expect(trail[2]!.reason).toContain('replaced by lgbm-b');
  });

  it('refuses transitions that make no sense, and allows a rollback to a retired champion', async () => {
    const demote = await failure(registry.setStatus('lgbm-b', 'candidate', change));
    expect(demote.code).toBe(ModelRegistryErrorCode.INVALID_TRANSITION);
    expect(demote.message).toContain('promote another model');
    expect((await failure(registry.setStatus('nope', 'shadow', change))).code).toBe(ModelRegistryErrorCode.NOT_FOUND);

    await registry.setStatus('lgbm-a', 'champion', { reason: 'rollback', actor: 'carol' });
    expect((await registry.serving()).champion?.version).toBe('lgbm-a');
    expect((await registry.get('lgbm-b')).status).toBe('retired');
  });

  it('lets only one of two concurrent promotions win the champion seat at a time', async () => {
    await Promise.all([
      registry.setStatus('lgbm-c', 'champion', change),
      registry.setStatus('lgbm-b', 'champion', change),
    ]);
    const champions = (await registry.list()).filter((r) => r.status === 'champion');
    expect(champions).toHaveLength(1);
  });

  it('announces status changes on its NOTIFY channel', async () => {
    const client = await pool.native.connect();
    try {
      const received = new Promise<string>((resolve) => client.on('notification', (n) => resolve(n.payload ?? '')));
      await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
      await registry.setStatus('lgbm-tamper', 'shadow', change);
      expect(await received).toBe('lgbm-tamper:shadow');
    } finally {
      client.release();
    }
  });

  it('records an evaluation on the version', async () => {
    await registry.recordEvaluation('lgbm-c', { auc: 0.95, report: '/tmp/report.html' });
    expect((await registry.get('lgbm-c')).evaluation).toEqual({ auc: 0.95, report: '/tmp/report.html' });
    expect((await failure(registry.recordEvaluation('nope', {}))).code).toBe(ModelRegistryErrorCode.NOT_FOUND);
  });
});
