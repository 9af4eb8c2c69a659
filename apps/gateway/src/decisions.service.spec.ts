import type { Claim, ClaimResult as ClaimResultType } from '@argus/redis';
import { ClaimResult } from '@argus/redis';
import { parsePolicy } from '@argus/decision';
import type { Decision } from '@argus/contracts';
import { noModelScore, type InProcessDecisionDeps } from '@argus/decisioning';
import { FEATURE_NAMES, InMemoryFeatureState } from '@argus/features';
import { createLogger } from '@argus/logger';
import { parseRuleSet } from '@argus/rules';
import { currencyExponent, PanTokeniser, TransactionValidationError } from '@argus/transaction';
import type { ApiClient } from './api-clients.parser';
import type { StoredDecision } from './decision.store';
import { DecisionsService } from './decisions.service';
import { GatewayError } from './gateway.errors';
import { PublishBuffer, type EncodedRecord } from './publish.buffer';

const logger = createLogger({ service: 'test', level: 'silent' });
const ruleSet = parseRuleSet(
  `name: unit
rules:
  - id: big-amount
    reason: 'Amount {{amount_major}} {{currency}} is big'
    action: REVIEW
    priority: 10
    when: txn.amount_major > 1000.0
`,
  'rules.yaml',
);
const policy = parsePolicy(`name: unit\nversion: '1'\n`, 'policy.yaml');
const client = (id: string): ApiClient => ({
  id,
  keySha256: Buffer.alloc(32),
  scopes: new Set(['decisions']),
  ratePerSecond: 100,
  burst: 100,
});
const alice = client('alice');
const bob = client('bob');

class FakeStore {
  available = true;
  readonly entries = new Map<string, StoredDecision>();
  async get(id: string): Promise<StoredDecision | null> {
    return this.entries.get(id) ?? null;
  }
  async put(id: string, stored: StoredDecision): Promise<void> {
    this.entries.set(id, stored);
  }
}

/** The decided-once guard as Redis answers it: the first origin of an id wins. */
class FakeGuard {
  readonly origins = new Map<string, string>();
  async claimOrAssumeNew(claims: readonly Claim[]): Promise<{ results: ClaimResultType[]; error: Error | null }> {
    const results = claims.map((claim) => {
      const previous = this.origins.get(claim.id);
      if (previous === undefined) {
        this.origins.set(claim.id, claim.origin);
        return ClaimResult.NEW;
      }
      return previous === claim.origin ? ClaimResult.REDELIVERY : ClaimResult.DUPLICATE;
    });
    return { results, error: null };
  }
}

class CountingState extends InMemoryFeatureState {
  applied = 0;
  override async apply(...args: Parameters<InMemoryFeatureState['apply']>) {
    this.applied += args[0].length;
    return super.apply(...args);
  }
}

function setup(capacity = 10, maxInFlight = 10, pipeline: Partial<InProcessDecisionDeps> = {}) {
  const store = new FakeStore();
  const decided = new FakeGuard();
  const state = new CountingState();
  const buffer = new PublishBuffer({ sendRaw: async () => undefined }, { capacity, lingerMs: 60_000 }, logger);
  buffers.push(buffer);
  const queued: EncodedRecord[] = [];
  const reserve = buffer.reserve.bind(buffer);
  jest.spyOn(buffer, 'reserve').mockImplementation((count) => {
    const reservation = reserve(count);
    return (
      reservation && {
        publish: (records) => {
          queued.push(...records);
          reservation.publish(records);
        },
        cancel: () => reservation.cancel(),
      }
    );
  });
  const service = new DecisionsService({
    tokeniser: new PanTokeniser({ keyId: 'k1', key: Buffer.from('k'.repeat(32)) }),
    maxAmountMajor: 1_000_000,
    pipeline: {
      state,
      features: { currencyExponent, stateTimeoutMs: 1_000 },
      ruleSet: () => ruleSet,
      policy: () => policy,
      score: async (vectors) => ({
        champion: null,
        scores: vectors.map((vector) => noModelScore(vector, 0)),
        unscored: [],
        shadowFailures: [],
      }),
      scoreTimeoutMs: 1_000,
      ...pipeline,
    },
    store,
    decided,
    redisTimeoutMs: 50,
    maxInFlight,
    inFlightWaitMs: 30,
    buffer,
    serde: { encode: (_topic, value) => Buffer.from(JSON.stringify(value)) },
    logger,
  });
  return { service, store, decided, state, buffer, queued };
}

let sequence = 0;
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    transaction_id: `unit-${sequence}`,
    event_time: Date.now() - 1_000,
    pan: '4111111111111111',
    customer_id: 'cus-1',
    amount: '1500.00',
    currency: 'EUR',
    merchant_id: 'mer-1',
    channel: 'ECOMMERCE',
    ...overrides,
  };
}

const buffers: PublishBuffer[] = [];
afterEach(async () => {
  await Promise.all(buffers.splice(0).map((buffer) => buffer.close(0)));
});

describe('DecisionsService', () => {
  it('decides, remembers the answer, and queues the tokenised Decision for `decisions`', async () => {
    const { service, store, queued, state } = setup();
    const request = body();
    const response = await service.decide(alice, request, performance.now());
    expect(response).toMatchObject({
      transaction_id: request['transaction_id'],
      outcome: 'REVIEW',
      step_up: { required: true, methods: ['THREE_DS', 'OTP'] },
      degraded: expect.arrayContaining(['MODEL_UNAVAILABLE']),
    });
    expect(response.reasons).toContainEqual(expect.objectContaining({ kind: 'RULE', code: 'big-amount' }));
    expect(state.applied).toBe(1);
    const stored = store.entries.get(request['transaction_id'] as string)!;
    expect(stored).toMatchObject({ client_id: 'alice', outcome: 'REVIEW', response });
    expect(stored.card_id).toMatch(/^tok_k1_/);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ topic: 'decisions', transactionId: request['transaction_id'] });
    expect(queued[0]!.message.key).toBe(stored.card_id);
    const published = JSON.parse(String(queued[0]!.message.value)) as { transaction: { source: string } };
    expect(published.transaction.source).toBe('GATEWAY');
    expect(String(queued[0]!.message.value)).not.toContain('4111111111111111');
  });

  it('publishes a REVIEW with its whole feature vector named, an APPROVE without, and answers neither with it', async () => {
    const { service, queued } = setup();
    const review = await service.decide(alice, body(), performance.now());
    const approve = await service.decide(alice, body({ amount: '15.00' }), performance.now());
    expect([review.outcome, approve.outcome]).toEqual(['REVIEW', 'APPROVE']);
    expect(review).not.toHaveProperty('features');
    const [reviewed, approved] = queued.map((record) => JSON.parse(String(record.message.value)) as Decision);
    expect(reviewed!.features!.map((feature) => feature.name)).toEqual(FEATURE_NAMES);
    expect(reviewed!.features!.find((feature) => feature.name === 'amount')).toEqual({ name: 'amount', value: 1500 });
    // The card's first payment: nothing earlier to compare with, a missing value.
    expect(reviewed!.features!.find((feature) => feature.name === 'card_seconds_since_previous')!.value).toBeNull();
    expect(approved!.features).toBeNull();
  });

  it('publishes the vector of a REVIEW whose score did not come in time (the vector is at hand)', async () => {
    const { service, queued } = setup(10, 10, { score: () => new Promise(() => undefined), scoreTimeoutMs: 5 });
    const response = await service.decide(alice, body(), performance.now());
    expect(response).toMatchObject({ outcome: 'REVIEW', degraded: expect.arrayContaining(['SCORE_TIMEOUT']) });
    const published = JSON.parse(String(queued[0]!.message.value)) as Decision;
    expect(published.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('answers a retry of the same client with the first answer, without deciding or publishing again', async () => {
    const { service, queued, state } = setup();
    const request = body();
    const first = await service.decide(alice, request, performance.now());
    const again = await service.decide(alice, request, performance.now());
    expect(again).toEqual(first);
    expect(state.applied).toBe(1);
    expect(queued).toHaveLength(1);
  });

  it.each([
    ['another client', (request: Record<string, unknown>) => ({ who: bob, request })],
    ['other content', (request: Record<string, unknown>) => ({ who: alice, request: { ...request, amount: '1.00' } })],
  ])('refuses the same id from %s with 409 DUPLICATE_TRANSACTION', async (_what, vary) => {
    const { service, state } = setup();
    const request = body();
    await service.decide(alice, request, performance.now());
    const { who, request: second } = vary(request);
    await expect(service.decide(who, second, performance.now())).rejects.toMatchObject({
      code: 'DUPLICATE_TRANSACTION',
    });
    expect(state.applied).toBe(1);
  });

  it('does not decide a transaction the async path decided already', async () => {
    const { service, decided, state } = setup();
    const request = body();
    decided.origins.set(request['transaction_id'] as string, 'transactions.rule-results/3/1042');
    await expect(service.decide(alice, request, performance.now())).rejects.toMatchObject({
      code: 'DUPLICATE_TRANSACTION',
    });
    expect(state.applied).toBe(0);
  });

  it('decides again when an earlier request of the same client left no answer', async () => {
    const { service, decided, queued } = setup();
    const request = body();
    decided.origins.set(request['transaction_id'] as string, 'gateway/alice');
    await expect(service.decide(alice, request, performance.now())).resolves.toMatchObject({ outcome: 'REVIEW' });
    expect(queued).toHaveLength(1);
  });

  it('decides without the idempotency check while Redis is unavailable', async () => {
    const { service, store, decided, queued } = setup();
    store.available = false;
    const request = body({ amount: '10.00' });
    await expect(service.decide(alice, request, performance.now())).resolves.toMatchObject({ outcome: 'APPROVE' });
    expect(decided.origins.size).toBe(0);
    expect(queued).toHaveLength(1);
  });

  it('refuses with 503 BACKPRESSURE before deciding when the publish queue is full', async () => {
    const { service, buffer, state } = setup(1);
    const held = buffer.reserve(1)!;
    const error = await service.decide(alice, body(), performance.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('BACKPRESSURE');
    expect(state.applied).toBe(0);
    held.cancel();
    await expect(service.decide(alice, body(), performance.now())).resolves.toBeDefined();
  });

  it('sheds requests beyond maxInFlight with 503 OVERLOADED, without deciding them, and takes them again once room frees', async () => {
    const { service, state } = setup(10, 2);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => service.decide(alice, body(), performance.now())));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    const shed = (results[2] as PromiseRejectedResult).reason as GatewayError;
    expect(shed).toMatchObject({ code: 'OVERLOADED', retryAfterMs: 100 });
    expect(state.applied).toBe(2);
    await expect(service.decide(alice, body(), performance.now())).resolves.toBeDefined();
  });

  it('refuses an invalid transaction naming every field, and gives its queue room back', async () => {
    const { service, buffer } = setup(1);
    const error = await service
      .decide(alice, body({ currency: 'ZZQ', amount: undefined, amount_minor: 100, merchant_country: 'XX' }), 0)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionValidationError);
    expect((error as TransactionValidationError).fieldErrors.map((e) => e.field).sort()).toEqual([
      'currency',
      'merchant_country',
    ]);
    expect(buffer.depth).toBe(0);
  });
});
