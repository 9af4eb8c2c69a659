/**
 * Risk teams change rules without a deploy: the running services pick up an edited rule set, refuse a broken
 * one (the last good set stays in force, the log names the line and the reason), and every decision names the
 * rule-set version it was decided under. The test edits the repository's rule file the services read and
 * always puts the original back.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '@argus/contracts';
import type { KafkaRuntime } from '@argus/kafka';
import { ruleSetVersion } from '@argus/rules';
import {
  loadStackSettings,
  seededRandom,
  startTestKafka,
  syntheticTransaction,
  TopicCollector,
  waitFor,
} from '@argus/testing';

const settings = loadStackSettings();
const RULES_FILE = join(settings.repoRoot, 'deploy/config/rules/default.yaml');
const runId = `reload-${randomUUID().slice(0, 8)}`;
const MERCHANT = `mer-hot-${runId}`;

const NEW_RULE = `
  - id: e2e-hot-reload-merchant
    reason: 'Merchant {{merchant_id}} blocked by a rule added while running'
    action: BLOCK
    priority: 990
    when: txn.merchant_id == "${MERCHANT}"
`;

describe('rule set hot reload end to end', () => {
  const original = readFileSync(RULES_FILE, 'utf8');
  let kafka: KafkaRuntime;
  let decisions: TopicCollector<'decisions'>;
  const random = seededRandom(5);
  let sequence = 0;

  beforeAll(async () => {
    kafka = await startTestKafka(settings, 'e2e-reload', runId, ['transactions', 'decisions']);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (d) => d.transaction_id.startsWith(runId));
    await decisions.start();
  }, 60_000);

  afterAll(async () => {
    writeFileSync(RULES_FILE, original);
    await decisions?.stop();
    await kafka?.stop();
  });

  /** Sends one transaction at the watched merchant and returns its decision. */
  async function decideOne(): Promise<Decision> {
    const transaction = { ...syntheticTransaction(sequence++, random, { runId }), merchant_id: MERCHANT };
    await kafka.producer.send('transactions', [{ key: transaction.card_id!, value: transaction }]);
    const find = () => decisions.records.find((r) => r.value.transaction_id === transaction.transaction_id)?.value;
    await waitFor(() => find() !== undefined, { timeoutMs: 30_000, intervalMs: 50, description: 'a decision' });
    return find()!;
  }

  /** Sends transactions until one is decided under the expected rule-set version (the reload is asynchronous). */
  async function decidedUnder(version: string): Promise<Decision> {
    let decision: Decision | undefined;
    await waitFor(
      async () => {
        decision = await decideOne();
        return decision.rule_set_version === version;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `a decision under rule set ${version}` },
    );
    return decision!;
  }

  it('applies an added rule without a restart, keeps it through a broken edit, and drops it when removed', async () => {
    const originalVersion = ruleSetVersion('default', original);
    const before = await decidedUnder(originalVersion);
    expect(before.reasons.map((r) => r.code)).not.toContain('e2e-hot-reload-merchant');

    const edited = `${original.trimEnd()}\n${NEW_RULE}`;
    writeFileSync(RULES_FILE, edited);
    const editedVersion = ruleSetVersion('default', edited);
    const blocked = await decidedUnder(editedVersion);
    expect(blocked.outcome).toBe('BLOCK');
    expect(blocked.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'RULE',
          code: 'e2e-hot-reload-merchant',
          message: `Merchant ${MERCHANT} blocked by a rule added while running`,
        }),
      ]),
    );

    // A broken edit (a condition that does not type-check) is refused: the edited set stays in force.
    writeFileSync(RULES_FILE, edited.replace(`txn.merchant_id == "${MERCHANT}"`, 'txn.merchant_id == 42'));
    const log = join(settings.repoRoot, '.argus/services/logs/rules.log');
    // The log line is JSON: the reason's quotes are escaped.
    const refusal = /default\.yaml:\d+:\d+: rule \\"e2e-hot-reload-merchant\\": condition does not type-check/;
    await waitFor(() => refusal.test(readFileSync(log, 'utf8')), {
      timeoutMs: 15_000,
      description: 'the rules service to refuse the broken file, naming its line',
    });
    const still = await decideOne();
    expect(still).toMatchObject({ outcome: 'BLOCK', rule_set_version: editedVersion });

    writeFileSync(RULES_FILE, original);
    const after = await decidedUnder(originalVersion);
    expect(after.reasons.map((r) => r.code)).not.toContain('e2e-hot-reload-merchant');
  }, 180_000);
});
