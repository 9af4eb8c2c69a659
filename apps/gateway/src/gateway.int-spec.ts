/**
 * The gateway as a process (`node bin/service.js gateway`, as the launcher runs it, on an ephemeral port)
 * against the real local stack (`argus stack up`): its own rule set, policy and API clients in a temp
 * directory, decisions, step-up results and labels read back from Kafka. A process rather than in Jest:
 * NestJS 12 ships ES modules only, which Jest's CommonJS runtime cannot load on Node 20.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FEATURE_NAMES } from '@argus/features';
import { KafkaRuntime } from '@argus/kafka';
import { createLogger } from '@argus/logger';
// An app may not depend on the testing library, but its integration test needs the stack's helpers.
import { loadStackSettings, stackUrls, TopicCollector, waitFor } from '@argus/testing';
import { maskPans } from '@argus/transaction';
import type { DecisionResponse } from './decision.response';

const ROOT = join(__dirname, '../../..');
const urls = stackUrls(loadStackSettings());
const runId = `gw-${randomUUID().slice(0, 8)}`;
const PAN = '4111111111111111';
const REVIEW_MERCHANT = `${runId}-review-merchant`;

const keys = {
  decider: `${runId}-decider-${randomBytes(16).toString('hex')}`,
  other: `${runId}-other-${randomBytes(16).toString('hex')}`,
  stepUp: `${runId}-step-up-${randomBytes(16).toString('hex')}`,
  limited: `${runId}-limited-${randomBytes(16).toString('hex')}`,
};
const sha = (key: string) => createHash('sha256').update(key).digest('hex');

const RULES = `name: gateway-int
rules:
  - id: gw-review-merchant
    reason: 'Merchant {{merchant_id}} is under review'
    action: REVIEW
    priority: 500
    when: txn.merchant_id == "${REVIEW_MERCHANT}"
`;
// No score bands: the outcome depends on the rules alone, whatever champion the registry serves.
const POLICY = `name: gateway-int
version: '1'
default_outcome: APPROVE
`;
const CLIENTS = `clients:
  - { id: decider, key_sha256: ${sha(keys.decider)}, scopes: [decisions, step-up], rate_limit_per_s: 1000, burst: 1000 }
  - { id: other, key_sha256: ${sha(keys.other)}, scopes: [decisions], rate_limit_per_s: 1000, burst: 1000 }
  - { id: step-up-only, key_sha256: ${sha(keys.stepUp)}, scopes: [step-up], rate_limit_per_s: 1000, burst: 1000 }
  - { id: limited, key_sha256: ${sha(keys.limited)}, scopes: [decisions], rate_limit_per_s: 0.01, burst: 2 }
`;

let sequence = 0;
function transaction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    transaction_id: `${runId}-${sequence}`,
    event_time: new Date().toISOString(),
    card_id: `${runId}-card`,
    customer_id: `${runId}-customer`,
    amount: '42.50',
    currency: 'EUR',
    merchant_id: `${runId}-merchant`,
    merchant_category_code: '5411',
    merchant_country: 'DE',
    channel: 'CARD_PRESENT',
    payment_method: 'CARD',
    terminal_id: 'term-1',
    ...overrides,
  };
}

describe('gateway (a process on the local stack)', () => {
  let dir: string;
  let gateway: GatewayProcess;
  let base: string;
  let kafka: KafkaRuntime;
  let decisions: TopicCollector<'decisions'>;
  let labels: TopicCollector<'labels'>;
  let stepUps: TopicCollector<'stepUpResults'>;

  const post = async (path: string, body: unknown, key: string | null = keys.decider, headers = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'argus-gateway-int-'));
    writeFileSync(join(dir, 'rules.yaml'), RULES);
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'clients.yaml'), CLIENTS);
    // Compiled as `argus` and the services launcher do (incremental: about a second when dist/ is fresh).
    execFileSync(process.execPath, ['-e', "require('./bin/runtime').ensureBuilt(process.cwd())"], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    gateway = await startGateway({
      PATH: process.env['PATH'],
      TZ: 'UTC',
      ARGUS_KAFKA_BROKERS: urls.kafkaBrokers.join(','),
      ARGUS_SCHEMA_REGISTRY_URL: urls.schemaRegistryUrl,
      ARGUS_PG_URL: urls.postgresUrl,
      ARGUS_REDIS_URL: urls.redisUrl,
      ARGUS_PAN_TOKEN_KEY: randomBytes(32).toString('base64url'),
      ARGUS_INSTANCE_ID: runId,
      ARGUS_HTTP_HOST: '127.0.0.1',
      ARGUS_HTTP_PORT: '0',
      ARGUS_LOG_LEVEL: 'info',
      ARGUS_RULES_FILE: join(dir, 'rules.yaml'),
      ARGUS_POLICY_FILE: join(dir, 'policy.yaml'),
      ARGUS_GATEWAY_CLIENTS_FILE: join(dir, 'clients.yaml'),
      // A champion's first inference warms onnxruntime up: do not let it time out into a flaky degradation.
      ARGUS_GATEWAY_SCORE_TIMEOUT_MS: '1000',
    });
    base = gateway.url;
    const logger = createLogger({ service: 'gateway-int', level: 'warn' });

    kafka = new KafkaRuntime({
      brokers: urls.kafkaBrokers,
      schemaRegistryUrl: urls.schemaRegistryUrl,
      service: 'gateway-int',
      instanceId: runId,
      logger,
      mask: maskPans,
    });
    await kafka.start(['decisions', 'labels', 'stepUpResults']);
    const ours = (id: string) => id.startsWith(runId);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (d) => ours(d.transaction_id));
    labels = new TopicCollector(kafka.kafka, kafka.serde, 'labels', (l) => ours(l.transaction_id));
    stepUps = new TopicCollector(kafka.kafka, kafka.serde, 'stepUpResults', (s) => ours(s.transaction_id));
    await Promise.all([decisions.start(), labels.start(), stepUps.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([decisions?.stop(), labels?.stop(), stepUps?.stop()]);
    await kafka?.stop();
    await gateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('is ready and describes itself', async () => {
    const ready = await fetch(`${base}/health/ready`);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { redis: true, postgres: true, kafka: true, 'publish-queue': true },
    });
    const document = (await (await fetch(`${base}/v1/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/decisions', '/v1/step-up-results']));
  });

  it('answers 401 without a key and with an unknown one, 403 without the scope', async () => {
    const none = await post('/v1/decisions', transaction(), null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'UNAUTHENTICATED' });
    const wrong = await post('/v1/decisions', transaction(), `${keys.decider}x`);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'UNAUTHENTICATED', message: 'unknown API key' } });
    const viaHeader = await post('/v1/decisions', transaction(), null, { 'x-api-key': keys.stepUp });
    expect(viaHeader).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
  });

  it('answers 429 with Retry-After beyond the burst', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await post('/v1/decisions', transaction(), keys.limited);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.body).toMatchObject({ error: 'RATE_LIMITED' });
    expect(last!.body['retry_after_ms']).toBeGreaterThan(0);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 400 naming each invalid field', async () => {
    const bad = await post(
      '/v1/decisions',
      transaction({
        currency: 'ZZQ',
        merchant_category_code: '12a',
        merchant_country: 'XX',
        amount: undefined,
        amount_minor: 4250,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toBe('INVALID_TRANSACTION');
    const fields = (bad.body['field_errors'] as { field: string; code: string }[]).map(({ field, code }) => [
      field,
      code,
    ]);
    expect(fields.sort()).toEqual([
      ['currency', 'UNKNOWN_CURRENCY'],
      ['merchant_category_code', 'INVALID_MCC'],
      ['merchant_country', 'INVALID_COUNTRY'],
    ]);
    const notJson = await fetch(`${base}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.decider}` },
      body: '{"transaction_id": ',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'INVALID_BODY' });
  });

  it('decides, answers a retry with the same decision, publishes it once, tokenised; step-up → label', async () => {
    const body = transaction({ merchant_id: REVIEW_MERCHANT, card_id: undefined, pan: PAN, channel: 'ECOMMERCE' });
    const id = body['transaction_id'] as string;
    const first = await post('/v1/decisions', body);
    expect(first.status).toBe(200);
    const decision = first.body as unknown as DecisionResponse;
    expect(decision).toMatchObject({
      transaction_id: id,
      outcome: 'REVIEW',
      rule_set_version: expect.stringMatching(/^gateway-int@/),
      policy_version: expect.stringMatching(/^gateway-int@1\+/),
      step_up: { required: true, methods: ['THREE_DS', 'OTP'] },
    });
    expect(decision.reasons).toContainEqual(
      expect.objectContaining({
        kind: 'RULE',
        code: 'gw-review-merchant',
        message: `Merchant ${REVIEW_MERCHANT} is under review`,
      }),
    );
    expect(decision.latency_ms).toBeGreaterThan(0);
    expect(JSON.stringify(decision)).not.toContain(PAN);

    const retry = await post('/v1/decisions', body);
    expect(retry).toMatchObject({ status: 200 });
    expect(retry.body).toEqual(first.body);

    // Another client, or other content under the same id, is not this transaction's retry.
    expect((await post('/v1/decisions', body, keys.other)).body).toMatchObject({ error: 'DUPLICATE_TRANSACTION' });
    expect((await post('/v1/decisions', { ...body, amount: '43.00' })).status).toBe(409);

    // A later decision on the same card lands on the same partition after it: once it is seen, so is
    // everything the gateway published before for this card.
    const sentinel = transaction({ card_id: undefined, pan: PAN });
    expect((await post('/v1/decisions', sentinel)).status).toBe(200);
    await waitFor(() => decisions.records.some((r) => r.value.transaction_id === sentinel['transaction_id']), {
      timeoutMs: 20_000,
      description: 'the sentinel decision on `decisions`',
    });
    const published = decisions.records.filter((r) => r.value.transaction_id === id);
    expect(published).toHaveLength(1);
    const [record] = published;
    expect(record!.value).toMatchObject({ outcome: 'REVIEW', transaction: { source: 'GATEWAY', card_last4: '1111' } });
    // The REVIEW's whole feature vector, named, through the topic's Avro schema; not in the client's answer.
    expect(record!.value.features!.map((feature) => feature.name)).toEqual(FEATURE_NAMES);
    expect(decision).not.toHaveProperty('features');
    expect(record!.value.card_id).toMatch(/^tok_/);
    expect(record!.key).toBe(record!.value.card_id);
    expect(record!.raw.toString('latin1')).not.toContain(PAN);

    const passed = await post(
      '/v1/step-up-results',
      { transaction_id: id, method: 'THREE_DS', outcome: 'PASSED', completed_at: new Date().toISOString() },
      null,
      { 'x-api-key': keys.stepUp },
    );
    expect(passed).toEqual({
      status: 202,
      headers: expect.anything(),
      body: { transaction_id: id, label: 'LEGITIMATE' },
    });
    await waitFor(() => labels.records.some((r) => r.value.transaction_id === id), {
      timeoutMs: 20_000,
      description: 'the step-up label on `labels`',
    });
    const label = labels.records.find((r) => r.value.transaction_id === id)!;
    expect(label.key).toBe(record!.value.card_id);
    expect(label.value).toMatchObject({
      label: 'LEGITIMATE',
      source: 'STEP_UP',
      card_id: record!.value.card_id,
      event_time: record!.value.timings.event_time,
    });
    await waitFor(() => stepUps.records.some((r) => r.value.transaction_id === id), {
      timeoutMs: 20_000,
      description: 'the StepUpResult on `step-up-results`',
    });
    expect(stepUps.records.find((r) => r.value.transaction_id === id)!.value).toMatchObject({
      method: 'THREE_DS',
      outcome: 'PASSED',
      client_id: 'step-up-only',
    });
  }, 60_000);

  it('refuses a step-up for an APPROVE (409), an unknown transaction without card (404), a bad body (400)', async () => {
    const approved = await post('/v1/decisions', transaction());
    expect(approved.body).toMatchObject({ outcome: 'APPROVE', step_up: null });
    const result = { method: 'OTP', outcome: 'FAILED', completed_at: new Date().toISOString() };
    const onApprove = await post('/v1/step-up-results', { ...result, transaction_id: approved.body['transaction_id'] });
    expect(onApprove).toMatchObject({ status: 409, body: { error: 'NOT_A_REVIEW' } });
    const unknown = await post('/v1/step-up-results', { ...result, transaction_id: `${runId}-never-decided` });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'UNKNOWN_TRANSACTION' } });
    const invalid = await post('/v1/step-up-results', { transaction_id: `${runId}-x`, method: 'SMS', outcome: 'OK' });
    expect(invalid.status).toBe(400);
    expect((invalid.body['field_errors'] as { field: string }[]).map(({ field }) => field).sort()).toEqual([
      'completed_at',
      'method',
      'outcome',
    ]);
  });

  it('stops on SIGTERM after flushing what it queued', async () => {
    const body = transaction();
    expect((await post('/v1/decisions', body)).status).toBe(200);
    // Nest runs the shutdown hooks, then raises the signal again: a clean stop ends by SIGTERM, not a code.
    expect(await gateway.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    // On failure, the last lines say how the shutdown went.
    expect(gateway.lines.slice(-15).join('\n')).toContain('"msg":"publish queue flushed"');
    await waitFor(() => decisions.records.some((r) => r.value.transaction_id === body['transaction_id']), {
      timeoutMs: 20_000,
      description: 'the last decision on `decisions`',
    });
  }, 60_000);
});

interface GatewayProcess {
  readonly url: string;
  /** Every line the process wrote (JSON logs), for assertions and for the failure message. */
  readonly lines: string[];
  /** SIGTERM, then how the process ended (idempotent). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bin/service.js gateway` and resolves with the address it logs once listening. */
function startGateway(env: NodeJS.ProcessEnv): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['bin/service.js', 'gateway'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  // 'close', not 'exit': the process can exit before its last lines are read from the pipes.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the gateway did not start within 60 s:\n${lines.slice(-30).join('\n')}`));
    }, 60_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code ?? signal}) during start-up:\n${lines.slice(-30).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"msg":"service started"')) return;
      clearTimeout(timer);
      const { address } = JSON.parse(line) as { address: string };
      resolve({ url: address.replace('[::1]', '127.0.0.1'), lines, stop });
    });
  });
}
