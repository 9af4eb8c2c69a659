import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { BENCH_POPULATION } from '@argus/testing';
import { parseWebhookTransaction } from '@argus/transaction';
import { runSyncBench, type SyncBenchOptions } from './sync.bench';

// A stand-in gateway on an ephemeral port: it checks what the bench sends (Bearer key, a body the ingestion
// webhook parser accepts unchanged, one id per request) and answers the way each test needs, so the
// bench's arithmetic is proven against known server behaviour rather than against the real gateway.

const API_KEY = 'test-key';

type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

/** `sequence` is the request's index in the run, read back from its transaction id. */
type Behaviour = (sequence: number, transactionId: string) => Promise<Reply> | Reply;

interface FakeGateway {
  readonly url: string;
  readonly ids: Set<string>;
  /** Most requests the server held at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

function decision(transactionId: string, sequence: number): Reply {
  const outcome = sequence % 10 === 0 ? 'BLOCK' : sequence % 10 === 1 ? 'REVIEW' : 'APPROVE';
  return { kind: 'json', status: 200, body: { transaction_id: transactionId, outcome, score: 12, reasons: [] } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startGateway(behaviour: Behaviour): Promise<FakeGateway> {
  const ids = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/v1/decisions') return json(404, { error: 'NOT_FOUND' });
    if (request.headers.authorization !== `Bearer ${API_KEY}`) return json(401, { error: 'UNAUTHORISED' });
    const body: unknown = JSON.parse(await readBody(request));
    let transactionId: string;
    try {
      const transaction = parseWebhookTransaction(body);
      // The bench sends the Avro Transaction shape as is: it must be exactly what the webhook parser reads.
      if (!isDeepStrictEqual(transaction, body)) return json(422, { error: 'ALTERED_BY_PARSER' });
      transactionId = transaction.transaction_id;
    } catch {
      return json(400, { error: 'INVALID_TRANSACTION' });
    }
    if (ids.has(transactionId)) return json(409, { error: 'DUPLICATE_TRANSACTION' });
    ids.add(transactionId);

    const reply = await behaviour(Number(/-(\d+)$/.exec(transactionId)![1]), transactionId);
    if (reply.kind === 'hang') return;
    if (reply.kind === 'reset') return void request.socket.destroy();
    json(reply.status, reply.body);
  };

  const server: Server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => (inFlight -= 1));
    void handle(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ids,
    maxInFlight: () => maxInFlight,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function options(url: string, overrides: Partial<SyncBenchOptions>): SyncBenchOptions {
  return {
    url,
    apiKey: API_KEY,
    rate: 200,
    durationS: 2,
    warmupS: 0,
    connections: 64,
    timeoutMs: 2_000,
    seed: 7,
    ...BENCH_POPULATION,
    ...overrides,
  };
}

describe('runSyncBench against a local HTTP server', () => {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('sends every scheduled request on time and records each answer, warm-up excluded', async () => {
    gateway = await startGateway(async (sequence, id) => {
      await delay(2);
      return decision(id, sequence);
    });

    const result = await runSyncBench(options(gateway.url, { warmupS: 0.5 }));

    // 100 warm-up requests reached the server, each with its own id, but only the 400 measured ones count.
    expect(gateway.ids.size).toBe(500);
    expect(result).toMatchObject({ sent: 400, ok: 400, errors: 0, errors_by_status: {} });
    expect(result.outcomes).toEqual({ BLOCK: 40, REVIEW: 40, APPROVE: 320 });
    // Paced, not bursted: 400 requests over their 2 s schedule, and answered as fast (bounds allow a busy host).
    expect(result.achieved_send_rate_per_s).toBeGreaterThanOrEqual(180);
    expect(result.achieved_send_rate_per_s).toBeLessThanOrEqual(201);
    expect(result.throughput_per_s).toBeGreaterThanOrEqual(170);
    expect(result.throughput_per_s).toBeLessThanOrEqual(201);
    expect(result.p50_ms).toBeGreaterThanOrEqual(2);
    // Well under the stalls of the tests below, so those prove something a normal run does not show.
    expect(result.p99_ms).toBeLessThan(250);
    expect(result.p999_ms).toBeGreaterThanOrEqual(result.p99_ms);
    expect(result.max_ms).toBeGreaterThanOrEqual(result.p999_ms);
  }, 10_000);

  it('counts a server stall against every request due during it, though only one was on the wire', async () => {
    let stallUntil = 0;
    gateway = await startGateway(async (sequence, id) => {
      if (sequence === 200) stallUntil = performance.now() + 300;
      const held = stallUntil - performance.now();
      if (held > 0) await delay(held);
      return decision(id, sequence);
    });

    // One connection: during the stall the other requests wait in the client, never reaching the server.
    const result = await runSyncBench(options(gateway.url, { connections: 1 }));

    expect(gateway.maxInFlight()).toBe(1);
    expect(result).toMatchObject({ sent: 400, ok: 400, errors: 0 });
    // About 60 requests were due during the 300 ms: the slowest 1 % waited nearly all of it.
    expect(result.p99_ms).toBeGreaterThanOrEqual(250);
    expect(result.max_ms).toBeGreaterThanOrEqual(290);
    expect(result.p50_ms).toBeLessThan(50);
  }, 10_000);

  it('counts latency from the scheduled time when the sender itself is frozen', async () => {
    gateway = await startGateway((sequence, id) => {
      // Blocks the whole process, the bench's sender included, as a long GC pause would: nothing is sent
      // for 300 ms, so latency measured from the actual send would miss the pause entirely.
      if (sequence === 200) {
        const until = performance.now() + 300;
        while (performance.now() < until);
      }
      return decision(id, sequence);
    });

    const result = await runSyncBench(options(gateway.url, {}));

    expect(result).toMatchObject({ sent: 400, ok: 400, errors: 0 });
    expect(result.send_lag_max_ms).toBeGreaterThanOrEqual(250);
    expect(result.p99_ms).toBeGreaterThanOrEqual(250);
    expect(result.p50_ms).toBeLessThan(50);
  }, 10_000);

  it('counts error statuses, timeouts, resets and non-decisions by kind, and times only the decisions', async () => {
    gateway = await startGateway((sequence, id): Reply => {
      switch (sequence % 10) {
        case 1:
          return { kind: 'json', status: 400, body: { error: 'INVALID_TRANSACTION' } };
        case 2:
          return { kind: 'json', status: 503, body: { error: 'UNAVAILABLE' } };
        case 3:
          return { kind: 'json', status: 429, body: { error: 'RATE_LIMITED' } };
        case 4:
          return { kind: 'hang' };
        case 5:
          return { kind: 'reset' };
        case 6:
          return { kind: 'json', status: 200, body: { transaction_id: id, status: 'accepted' } };
        default:
          return decision(id, sequence);
      }
    });

    const result = await runSyncBench(options(gateway.url, { rate: 100, durationS: 1, timeoutMs: 1_000 }));

    expect(result).toMatchObject({ sent: 100, ok: 40, errors: 60 });
    expect(result.errors_by_status).toEqual({
      '400': 10,
      '429': 10,
      '503': 10,
      invalid_response: 10,
      timeout: 10,
      transport: 10,
    });
    // The timed-out requests waited 1 s; had they been timed, the maximum would show it.
    expect(result.max_ms).toBeLessThan(1_000);
  }, 10_000);

  it('counts refused connections as transport errors', async () => {
    gateway = await startGateway((sequence, id) => decision(id, sequence));
    const url = gateway.url;
    await gateway.close();
    gateway = undefined;

    const result = await runSyncBench(options(url, { rate: 20, durationS: 1 }));

    expect(result).toMatchObject({ sent: 20, ok: 0, errors: 20, errors_by_status: { transport: 20 } });
  }, 10_000);
});
