/**
 * The analysts' side end to end, on the running services: REVIEW and BLOCK decisions on `decisions` open one
 * case for their card in the case service; an analyst logs in to the case API, claims it, reads it, notes and
 * confirms fraud; the amount needs a second person, so a supervisor approves; the ANALYST labels arrive on
 * `labels`, every action on `case-events` and in the audit chain, which still verifies. The high-value BLOCK is
 * announced once on the Slack-compatible webhook that tools/test.mjs gives the case service
 * (ARGUS_CASE_ALERT_WEBHOOK_URL), which this test serves on loopback.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { alertInput } from '@argus/case/testing';
import type { Decision } from '@argus/contracts';
import { FEATURE_CATALOG } from '@argus/features';
import type { KafkaRuntime } from '@argus/kafka';
import { createPgPool, type PgPool } from '@argus/pg';
import { loadStackSettings, stackUrls, startTestKafka, TopicCollector, waitFor } from '@argus/testing';
import { ensureDemoUsers } from '../apps/cli/src/cases/case-users';
import { runAuditVerify } from '../apps/cli/src/commands/audit.command';

const settings = loadStackSettings();
const urls = stackUrls(settings);
const API = 'http://127.0.0.1:18107';
const runId = `e2e-cases-${randomUUID().slice(0, 8)}`;
const card = `${runId}-card`;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function decision(
  id: string,
  outcome: Decision['outcome'],
  amountMinor: number,
  at: number,
  onCard: string = card,
): Decision {
  const made = alertInput({ id, card: onCard, outcome, amountMinor, at, probability: 0.7, score: 88 }).decision;
  return {
    ...made,
    transaction: { ...made.transaction, device_fingerprint: `${runId}-device` },
    // The whole vector, as the combiner names it for a REVIEW or BLOCK (no terminal: its features missing).
    features:
      outcome === 'APPROVE'
        ? null
        : FEATURE_CATALOG.map(({ name }) => ({
            name,
            value: name === 'amount' ? amountMinor / 100 : name.startsWith('terminal_') ? null : 1,
          })),
    reasons: [
      { kind: 'POLICY', code: 'SCORE_BAND', message: 'Model score 88 is at least 70: REVIEW', value: 88 },
      { kind: 'RULE', code: 'card-testing', message: 'Many small payments on this card', value: null },
      {
        kind: 'MODEL_FACTOR',
        code: 'terminal_amount_7d',
        message: 'no terminal on this payment raised the risk (+2.37)',
        value: 2.37,
      },
    ],
  };
}

const WEBHOOK = process.env['ARGUS_CASE_ALERT_WEBHOOK_URL'];

/** The team's chat, as Slack's incoming webhook would receive it: every posted `text`. */
async function chatReceiver(url: string): Promise<{ server: Server; texts: string[] }> {
  const { hostname, port, pathname } = new URL(url);
  const texts: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === pathname)
        texts.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string }).text);
      response.statusCode = request.url === pathname ? 200 : 404;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(port), hostname, resolve));
  return { server, texts };
}

describe('cases end to end', () => {
  let chat: { server: Server; texts: string[] };
  let kafka: KafkaRuntime;
  let pool: PgPool;
  let labels: TopicCollector<'labels'>;
  let events: TopicCollector<'caseEvents'>;
  let logins: Awaited<ReturnType<typeof ensureDemoUsers>>;

  const login = async (id: string): Promise<string> => {
    const user = logins.find((candidate) => candidate.id === id)!;
    const { status, body } = await call('POST', '/v1/auth/login', null, { user: id, password: user.password });
    expect(status).toBe(200);
    return body['token'] as string;
  };

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e-cases', runId, ['decisions', 'labels', 'caseEvents']);
    pool = createPgPool({ url: urls.postgresUrl, applicationName: 'argus-e2e-cases' });
    logins = await ensureDemoUsers(settings.repoRoot, urls.postgresUrl);
    labels = new TopicCollector(kafka.kafka, kafka.serde, 'labels', (label) => label.card_id === card);
    events = new TopicCollector(kafka.kafka, kafka.serde, 'caseEvents', (event) => event.card_id === card);
    await Promise.all([labels.start(), events.start()]);
    if (WEBHOOK === undefined)
      throw new Error(
        'ARGUS_CASE_ALERT_WEBHOOK_URL is not set: run the end-to-end tests through npm test (tools/test.mjs)',
      );
    chat = await chatReceiver(WEBHOOK);
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => (chat ? chat.server.close(resolve) : resolve(undefined)));
    await Promise.all([labels?.stop(), events?.stop()]);
    await kafka?.stop();
    await pool?.end();
  });

  it('opens one case per card, works it through four eyes, labels it and audits every action', async () => {
    const now = Date.now();
    const otherCard = `${runId}-other-card`;
    await kafka.producer.send('decisions', [
      // Another card on the same device, approved earlier: a linked card of the case.
      { key: otherCard, value: decision(`${runId}-t0`, 'APPROVE', 1_500, now - 90_000, otherCard) },
      { key: card, value: decision(`${runId}-t1`, 'REVIEW', 8_000, now - 60_000) },
      { key: card, value: decision(`${runId}-t2`, 'BLOCK', 900_000, now - 30_000) },
    ]);

    const analyst = await login('analyst');
    let caseId = '';
    await waitFor(
      async () => {
        const { body } = await call('GET', `/v1/cases?card=${card}`, analyst);
        const found = body['cases'] as Array<{ id: string; alert_count: number }>;
        caseId = found[0]?.id ?? '';
        return found.length === 1 && found[0]!.alert_count === 2;
      },
      { timeoutMs: 30_000, description: 'one case with both alerts' },
    );

    const countOf = async (eventType: string, ofCard = card) =>
      Number(
        (
          await pool.query<{ count: string }>(
            'e2e.audit_count',
            'SELECT count(*) AS count FROM audit_log WHERE event_type = $1 AND card_id = $2',
            [eventType, ofCard],
          )
        ).rows[0]!.count,
      );
    // The case file reads the card's decisions, and the linked card's, from the audit log: wait until audit has
    // them (the other card's decision is on another partition, which another audit replica may hold).
    await waitFor(async () => (await countOf('DECISION')) === 2 && (await countOf('DECISION', otherCard)) === 1, {
      timeoutMs: 20_000,
      description: 'decisions audited',
    });

    // The BLOCK of 9 000 EUR moved the case to the 30-minute high-value queue.
    const file = await call('GET', `/v1/cases/${caseId}`, analyst);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ queue: 'high-value', status: 'OPEN' });
    const alerts = file.body['alerts'] as Array<Record<string, unknown>>;
    expect(alerts.map((alert) => alert['transaction_id'])).toEqual([`${runId}-t1`, `${runId}-t2`]);
    expect(alerts[1]).toMatchObject({
      outcome: 'BLOCK',
      amount: { minor: 900_000, currency: 'EUR' },
      rules_fired: [{ rule_id: 'card-testing', message: 'Many small payments on this card' }],
      factors: [{ feature: 'terminal_amount_7d', message: 'no terminal on this payment raised the risk (+2.37)' }],
    });
    // Each alert's whole feature vector, every feature in the catalog's plain words.
    for (const alert of alerts) {
      const features = alert['features'] as Array<{ name: string; value: number | null; description: string }>;
      expect(features).toHaveLength(FEATURE_CATALOG.length);
      expect(features.every((feature) => typeof feature.description === 'string' && feature.description !== '')).toBe(
        true,
      );
    }
    const blockFeatures = alerts[1]!['features'] as Array<Record<string, unknown>>;
    expect(blockFeatures).toContainEqual({
      name: 'amount',
      value: 9_000,
      description: FEATURE_CATALOG.find((feature) => feature.name === 'amount')!.description,
    });
    expect(blockFeatures).toContainEqual(expect.objectContaining({ name: 'terminal_amount_7d', value: null }));

    // The card's decisions on record, and the other card seen on its device (both from the audit log).
    const recent = file.body['recent_decisions'] as { card: Array<{ transaction_id: string }> };
    expect(recent.card.map((row) => row.transaction_id)).toEqual([`${runId}-t2`, `${runId}-t1`]);
    expect(file.body['linked_cards']).toEqual([
      expect.objectContaining({ via: 'DEVICE', card_id: otherCard, decisions: 1, alerts: 0 }),
    ]);

    expect((await call('POST', `/v1/cases/${caseId}/actions`, analyst, { type: 'claim' })).status).toBe(200);
    const note = { type: 'note', text: 'Cardholder denies both payments on the phone' };
    expect((await call('POST', `/v1/cases/${caseId}/actions`, analyst, note)).status).toBe(200);
    const disposed = await call('POST', `/v1/cases/${caseId}/actions`, analyst, {
      type: 'dispose',
      disposition: 'CONFIRMED_FRAUD',
      reason_code: 'CARDHOLDER_DENIED',
    });
    expect(disposed).toMatchObject({ status: 200, body: { status: 'PENDING_APPROVAL' } });
    expect(await call('POST', `/v1/cases/${caseId}/actions`, analyst, { type: 'approve' })).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN' },
    });

    const supervisor = await login('supervisor');
    const approved = await call('POST', `/v1/cases/${caseId}/actions`, supervisor, { type: 'approve' });
    expect(approved).toMatchObject({
      status: 200,
      body: { status: 'CLOSED', disposition: 'CONFIRMED_FRAUD', decided_by: 'analyst', approved_by: 'supervisor' },
    });

    await waitFor(() => labels.records.length >= 2, { timeoutMs: 20_000, description: 'two ANALYST labels' });
    expect(
      labels.records.map((record) => record.value).sort((a, b) => a.transaction_id.localeCompare(b.transaction_id)),
    ).toEqual([
      expect.objectContaining({ transaction_id: `${runId}-t1`, label: 'FRAUD', source: 'ANALYST' }),
      expect.objectContaining({ transaction_id: `${runId}-t2`, label: 'FRAUD', source: 'ANALYST' }),
    ]);

    const expected = [
      'OPENED',
      'ALERT_JOINED',
      'VIEWED',
      'CLAIMED',
      'NOTE_ADDED',
      'DISPOSITION_PROPOSED',
      'APPROVED',
      'CLOSED',
    ];
    await waitFor(() => events.records.length >= expected.length, { timeoutMs: 20_000, description: 'case-events' });
    expect(events.records.map((record) => record.value.type)).toEqual(expected);

    await waitFor(async () => (await countOf('LABEL')) === 2, {
      timeoutMs: 20_000,
      description: 'both labels audited',
    });
    await waitFor(async () => (await countOf('CASE_ACTION')) === expected.length, {
      timeoutMs: 20_000,
      description: 'every case action in the audit chain',
    });
    // The 9 000 EUR BLOCK was announced on the chat, once.
    await waitFor(() => chat.texts.some((text) => text.includes(card)), {
      timeoutMs: 30_000,
      description: 'the high-value BLOCK on the chat webhook',
    });
    const ours = chat.texts.filter((text) => text.includes(card));
    expect(ours).toEqual([
      expect.stringMatching(/^:no_entry: BLOCK of 9,000\.00 EUR \(9,000\.00 EUR at risk, score 88\)/),
    ]);
    const printed: string[] = [];
    await expect(runAuditVerify({ pgUrl: urls.postgresUrl }, (text) => void printed.push(text))).resolves.toBe(0);
  }, 120_000);

  it('answers bad input with a 4xx that names the field, and refuses calls without a session', async () => {
    const analyst = await login('analyst');
    expect(await call('GET', '/v1/cases', null)).toMatchObject({ status: 401, body: { error: 'UNAUTHENTICATED' } });
    expect(await call('GET', '/v1/cases', 'not-a-token')).toMatchObject({ status: 401 });
    const bad = await call('POST', `/v1/cases/${randomUUID()}/actions`, analyst, {
      type: 'dispose',
      disposition: 'MAYBE',
      reason_code: 'x',
    });
    expect(bad.status).toBe(400);
    expect((bad.body['field_errors'] as Array<{ field: string }>).map((error) => error.field).sort()).toEqual([
      'disposition',
      'reason_code',
    ]);
    expect((await call('GET', `/v1/cases/${randomUUID()}`, analyst)).status).toBe(404);
    expect((await call('GET', '/v1/cases/not-a-uuid', analyst)).status).toBe(404);
    expect((await call('GET', '/v1/cases?limit=9999', analyst)).body).toMatchObject({
      field_errors: [{ field: 'limit', message: 'must be 1–500' }],
    });
    expect((await fetch(`${API}/v1/openapi.json`)).status).toBe(200);
  });
});
