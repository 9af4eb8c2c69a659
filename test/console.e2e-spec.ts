/**
 * The analysts' console in a real browser (Debian Chromium driven by playwright-core), on the running services:
 * a fraudulent card-present payment replayed on `transactions` is blocked by the pipeline and opens a case; an
 * analyst logs in to the console, takes the case, reads its factors, rules and feature vector, and confirms
 * fraud; the amount needs a second person, so a supervisor approves it from the Approvals page. The ANALYST
 * label arrives on `labels`, the feature service counts it (the merchant's next payment sees one fraud label),
 * the dashboard counts the disposition and the approval, and the audit chain, which now holds the analyst actions,
 * verifies. Screenshots of the case view and the dashboard are kept in .argus/test-artefacts/console/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Transaction } from '@argus/contracts';
import { featureNamesOf } from '@argus/features';
import type { KafkaRuntime } from '@argus/kafka';
import { createPgPool, type PgPool } from '@argus/pg';
import { loadStackSettings, stackUrls, startTestKafka, TopicCollector, waitFor } from '@argus/testing';
import { ensureDemoUsers } from '../apps/cli/src/cases/case-users';
import { runAuditVerify } from '../apps/cli/src/commands/audit.command';

const settings = loadStackSettings();
const urls = stackUrls(settings);
const CONSOLE = 'http://127.0.0.1:18108';
const CHROMIUM = '/usr/bin/chromium';
/** As the machine notes say: no GPU, no sandbox as root, and nothing that calls out of this closed network. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const artefacts = join(settings.repoRoot, '.argus', 'test-artefacts', 'console');

const runId = `e2e-console-${randomUUID().slice(0, 8)}`;
const card = `${runId}-card`;
const merchant = `${runId}-merchant`;

/** The rule that blocks the test's payment (deploy/config/rules/default.yaml). */
const RULE = 'card-present-amount-limit';

function payment(id: string, amountMinor: number, at: number): Transaction {
  return {
    transaction_id: id,
    event_time: at,
    card_id: card,
    pan: null,
    customer_id: `${runId}-customer`,
    account_id: null,
    amount_minor: amountMinor,
    currency: 'EUR',
    merchant_id: merchant,
    merchant_category_code: '5944',
    merchant_country: 'FR',
    terminal_id: `${runId}-terminal`,
    channel: 'CARD_PRESENT',
    payment_method: 'CARD',
    device_fingerprint: null,
    ip_address: null,
    geo: { lat: 48.85, lon: 2.35, country: 'FR', city: 'Paris' },
    attributes: {},
  };
}

describe('the console in Chromium', () => {
  let kafka: KafkaRuntime;
  let pool: PgPool;
  let labels: TopicCollector<'labels'>;
  let vectors: TopicCollector<'transactionsFeatures'>;
  let logins: Awaited<ReturnType<typeof ensureDemoUsers>>;
  const contexts: { context: BrowserContext; dir: string }[] = [];
  const pageErrors: string[] = [];

  /** A fresh browser profile per person, as two people on two machines. */
  async function openConsole(): Promise<Page> {
    const dir = mkdtempSync(join(tmpdir(), 'argus-chromium-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1440, height: 1000 },
    });
    contexts.push({ context, dir });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
    await page.goto(CONSOLE);
    return page;
  }

  async function logIn(page: Page, id: string): Promise<void> {
    const user = logins.find((candidate) => candidate.id === id)!;
    await page.fill('input[name=user]', id);
    await page.fill('input[name=password]', user.password);
    await page.click('button[type=submit]');
    await page.getByTestId('who').waitFor();
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no browser at ${CHROMIUM}: run the end-to-end tests through npm test (it installs chromium)`);
    mkdirSync(artefacts, { recursive: true });
    kafka = await startTestKafka(settings, 'e2e-console', runId, ['transactions', 'labels', 'transactionsFeatures']);
    pool = createPgPool({ url: urls.postgresUrl, applicationName: 'argus-e2e-console' });
    logins = await ensureDemoUsers(settings.repoRoot, urls.postgresUrl);
    labels = new TopicCollector(kafka.kafka, kafka.serde, 'labels', (label) => label.card_id === card);
    vectors = new TopicCollector(
      kafka.kafka,
      kafka.serde,
      'transactionsFeatures',
      (vector) => vector.transaction.merchant_id === merchant,
    );
    await Promise.all([labels.start(), vectors.start()]);
  }, 120_000);

  afterAll(async () => {
    for (const { context, dir } of contexts) {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await Promise.all([labels?.stop(), vectors?.stop()]);
    await kafka?.stop();
    await pool?.end();
  });

  it('takes a replayed fraud from the queue to a label the features count, through four eyes', async () => {
    // 900 000 EUR at a card terminal: over the card-present limit, BLOCKed, and worth more than any other case
    // the suite leaves open, so "take next" reaches it first.
    const fraud = `${runId}-t1`;
    await kafka.producer.send('transactions', [{ key: card, value: payment(fraud, 90_000_000, Date.now()) }]);

    const caseOfCard = async () =>
      (await pool.query<{ id: string }>('e2e.console_case', 'SELECT id FROM cases WHERE card_id = $1', [card])).rows[0]
        ?.id;
    await waitFor(async () => (await caseOfCard()) !== undefined, {
      timeoutMs: 60_000,
      description: 'the blocked payment to open a case',
    });
    const caseId = (await caseOfCard())!;
    // The case file reads the card's decisions from the audit log.
    await waitFor(
      async () =>
        (
          await pool.query(
            'e2e.console_audited',
            "SELECT 1 FROM audit_log WHERE event_type = 'DECISION' AND card_id = $1",
            [card],
          )
        ).rowCount === 1,
      { timeoutMs: 30_000, description: 'the decision audited' },
    );

    // The analyst: logs in, takes the next case, reads why it was blocked, confirms fraud.
    const analyst = await openConsole();
    await logIn(analyst, 'analyst');
    await analyst.getByTestId('queue').waitFor();
    await analyst.getByTestId('take-next').click();
    await analyst.waitForURL(`**/#/cases/${caseId}`, { timeout: 15_000 });
    await analyst.getByTestId('case').waitFor();
    expect(await analyst.getByTestId('case-status').textContent()).toBe('Claimed');
    const alert = analyst.getByTestId('alert');
    await expect(alert.textContent()).resolves.toContain('BLOCK');
    await expect(alert.textContent()).resolves.toContain('€900,000.00');
    await expect(analyst.getByTestId('rules').textContent()).resolves.toContain(RULE);

    // The factors on the page are the decision's, in words, with one bar each.
    const file = (await (
      await analyst.request.get(`${CONSOLE}/v1/cases/${caseId}`, {
        headers: { authorization: `Bearer ${await sessionToken(analyst)}` },
      })
    ).json()) as { alerts: { factors: { message: string }[]; features: unknown[] | null; score: number | null }[] };
    const { factors, features, score } = file.alerts[0]!;
    if (score !== null) {
      expect(factors.length).toBeGreaterThan(0);
      await analyst.getByTestId('factors').waitFor();
      const words = await analyst.locator('.factor-words li').allTextContents();
      expect(words).toEqual(factors.map((factor) => factor.message));
      expect(await analyst.locator('.factors .recharts-bar-rectangle').count()).toBe(factors.length);
    } else {
      // No champion in the registry: the decision was the rules' alone, and the page says so.
      await expect(alert.textContent()).resolves.toContain('The model gave no factors');
    }
    // The whole vector, one row per feature, missing values said as such.
    expect(features).not.toBeNull();
    await analyst.getByRole('button', { name: /Show the full feature vector/ }).click();
    expect(await analyst.getByTestId('features').locator('tr').count()).toBe(features!.length);
    await analyst.screenshot({ path: join(artefacts, 'case-view.png'), fullPage: true });

    // What the dashboard counted before this case closes (the e2e tests run one at a time).
    const before = await dashboardOf(analyst);

    await analyst.fill('textarea[name=note]', 'Cardholder denies the payment on the phone');
    await analyst.getByRole('button', { name: 'Add note' }).click();
    await analyst.getByTestId('timeline').getByText('Cardholder denies the payment on the phone').waitFor();
    await analyst.selectOption('select[name=disposition]', 'CONFIRMED_FRAUD');
    await analyst.fill('input[name=reason_code]', 'CARDHOLDER_DENIED');
    await analyst.getByTestId('dispose').click();
    await analyst.getByText('it needs a second person').waitFor();
    expect(await analyst.getByTestId('case-status').textContent()).toBe('Pending approval');
    // The maker is not offered the approval.
    expect(await analyst.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // The supervisor: finds it among the approvals and approves it.
    const supervisor = await openConsole();
    await logIn(supervisor, 'supervisor');
    await supervisor.getByRole('link', { name: 'Approvals' }).click();
    await supervisor.getByTestId('approvals').getByText('CARDHOLDER_DENIED').first().waitFor();
    await supervisor.locator(`tr[data-case-id="${caseId}"]`).click();
    await supervisor.waitForURL(`**/#/cases/${caseId}`);
    await supervisor.getByRole('button', { name: 'Approve' }).click();
    await supervisor.getByRole('heading', { name: 'Closed' }).waitFor();
    await expect(supervisor.getByTestId('case').textContent()).resolves.toContain('approved by supervisor');
    await supervisor.screenshot({ path: join(artefacts, 'case-closed.png'), fullPage: true });

    // The dashboard counts the closed case: one more confirmed fraud for the rule that blocked it, one more
    // disposition for the analyst, one more approval for the supervisor — in the API and on the page.
    const after = await dashboardOf(supervisor);
    expect(confirmedFraudOf(after, RULE)).toBe(confirmedFraudOf(before, RULE) + 1);
    expect(workOf(after, 'analyst').dispositions).toBe(workOf(before, 'analyst').dispositions + 1);
    expect(workOf(after, 'supervisor').approvals).toBe(workOf(before, 'supervisor').approvals + 1);
    await supervisor.getByRole('link', { name: 'Dashboard' }).click();
    const dashboard = supervisor.getByTestId('dashboard');
    await dashboard.getByTestId('precision').waitFor();
    const ruleRow = dashboard.getByTestId('precision').locator('tr', { hasText: RULE });
    // Rule, alerts, confirmed fraud, legitimate, inconclusive, precision.
    expect((await ruleRow.locator('td').allTextContents())[2]).toBe(String(confirmedFraudOf(after, RULE)));
    expect(await dashboard.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(6);
    await supervisor.screenshot({ path: join(artefacts, 'dashboard.png'), fullPage: true });

    // The label, on `labels`.
    await waitFor(() => labels.records.length >= 1, { timeoutMs: 30_000, description: 'the ANALYST label' });
    expect(labels.records.map((record) => record.value)).toEqual([
      expect.objectContaining({ transaction_id: fraud, label: 'FRAUD', source: 'ANALYST' }),
    ]);

    // The feature service counted it: the merchant's next payment sees one fraud label in 30 days.
    const labelsSeen = (id: string) => {
      const vector = vectors.records.find((record) => record.value.transaction.transaction_id === id)?.value;
      return vector === undefined
        ? undefined
        : vector.values[featureNamesOf(vector)!.indexOf('merchant_fraud_labels_30d')];
    };
    await waitFor(() => labelsSeen(fraud) !== undefined, { timeoutMs: 30_000, description: "the fraud's vector" });
    expect(labelsSeen(fraud)).toBe(0);
    let probes = 0;
    await waitFor(
      async () => {
        const probe = `${runId}-probe-${probes++}`;
        await kafka.producer.send('transactions', [{ key: card, value: payment(probe, 1_250, Date.now()) }]);
        await waitFor(() => labelsSeen(probe) !== undefined, { timeoutMs: 30_000, description: 'the probe vector' });
        return labelsSeen(probe) === 1;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, description: 'a payment at the merchant to count the label' },
    );

    // Every analyst action is in the audit chain, and the chain verifies.
    await waitFor(
      async () =>
        (
          await pool.query(
            'e2e.console_actions',
            "SELECT 1 FROM audit_log WHERE event_type = 'CASE_ACTION' AND card_id = $1",
            [card],
          )
        ).rowCount! >= 8,
      { timeoutMs: 30_000, description: 'the analyst actions audited' },
    );
    await expect(runAuditVerify({ pgUrl: urls.postgresUrl }, () => undefined)).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});

interface DashboardCounts {
  analysts: { totals: { analyst: string; dispositions: number; approvals: number }[] };
  precision: { by_rule: { rule_id: string; confirmed_fraud: number }[] };
}

/** The dashboard's last 24 hours (the console's default window), through the console as the page reads it. */
async function dashboardOf(page: Page): Promise<DashboardCounts> {
  const response = await page.request.get(`${CONSOLE}/v1/dashboard?hours=24`, {
    headers: { authorization: `Bearer ${await sessionToken(page)}` },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as DashboardCounts;
}

const confirmedFraudOf = (data: DashboardCounts, rule: string) =>
  data.precision.by_rule.find((row) => row.rule_id === rule)?.confirmed_fraud ?? 0;
const workOf = (data: DashboardCounts, analyst: string) =>
  data.analysts.totals.find((row) => row.analyst === analyst) ?? { dispositions: 0, approvals: 0 };

/** The console keeps its session in the tab's sessionStorage. */
async function sessionToken(page: Page): Promise<string> {
  const raw = (await page.evaluate("sessionStorage.getItem('argus.console.session')")) as string | null;
  return (JSON.parse(raw!) as { token: string }).token;
}
