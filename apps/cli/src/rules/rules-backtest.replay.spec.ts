import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runBackfill } from '../backfill/backfill.runner';
import { runSimulate } from '../commands/simulate.command';
import { runRulesBacktest, type RulesBacktestReport } from './rules.backtest';

const ROOT = resolve(__dirname, '../../../..');
const CURRENT = join(ROOT, 'deploy/config/rules/default.yaml');
const POLICY = join(ROOT, 'deploy/config/policy/default.yaml');
const PAN_TOKEN = { panTokenKey: 'rules backtest test key, 32 bytes', panTokenKeyId: 'k1' };

const NEW_RULE = `
  - id: card-burst-1h
    reason: '{{features.card_count_1h}} payments on this card in the last hour'
    action: REVIEW
    priority: 340
    when: has(features.card_count_1h) && features.card_count_1h >= 5.0
`;

/** The default set without `high-risk-mcc` and with a one-hour card burst rule. */
function candidateText(): string {
  const current = readFileSync(CURRENT, 'utf8');
  const removed = current.replace(/\n {2}- id: high-risk-mcc\n(?: {4}.*\n)+/, '\n');
  if (removed === current) throw new Error('high-risk-mcc is no longer in the default set: pick another rule');
  return `${removed.trimEnd()}\n${NEW_RULE}`;
}

type TableRow = Readonly<Record<string, string>>;

/**
 * The backtest and `argus backfill` on the same simulated history: the candidate's new rule must have exactly
 * the hits and fraud a direct count over the training table's features gives, and the current set exactly the
 * outcomes of the table's rules-only baseline (which backfill computes with the same set and policy).
 */
describe('runRulesBacktest on a simulated history, against the backfill table', () => {
  let dir: string;
  let report: RulesBacktestReport;
  let table: readonly TableRow[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'argus-rules-backtest-'));
    await runSimulate({ out: dir, customers: 200, days: 10, seed: 3, fraudRate: 0.05 });
    const file = join(dir, 'transactions.csv');
    const candidateFile = join(dir, 'candidate.yaml');
    writeFileSync(candidateFile, candidateText());
    report = await runRulesBacktest({
      ...PAN_TOKEN,
      file,
      format: 'argus',
      candidateFile,
      currentFile: CURRENT,
      policyFile: POLICY,
    });
    const out = join(dir, 'table.csv');
    await runBackfill({
      ...PAN_TOKEN,
      file,
      format: 'argus',
      out,
      progress: false,
      rulesFile: CURRENT,
      policyFile: POLICY,
    });
    table = parse(readFileSync(out, 'utf8'), { columns: true }) as TableRow[];
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fraud = (row: TableRow) => row['label'] === '1';
  const rule = (id: string) => report.rules.find((r) => r.id === id)!;

  it('replays the same transactions with the same final labels', () => {
    expect(report.transactions).toBe(table.length);
    expect(report.fraud).toBe(table.filter(fraud).length);
    expect(report.fraud).toBeGreaterThan(0);
  });

  it("gives the new rule the hits and precision of a direct count over the table's features", () => {
    const hits = table.filter((row) => row['card_count_1h'] !== '' && Number(row['card_count_1h']) >= 5);
    const fraudHits = hits.filter(fraud).length;
    expect(fraudHits).toBeGreaterThan(0);
    expect(rule('card-burst-1h')).toMatchObject({ status: 'new', current: null });
    expect(rule('card-burst-1h').candidate).toEqual({
      hits: hits.length,
      hit_rate: hits.length / table.length,
      fraud_hits: fraudHits,
      precision: fraudHits / hits.length,
      fraud_share: fraudHits / report.fraud,
      errors: 0,
    });
  });

  it("gives the removed rule and the current set what the table's rules-only baseline says", () => {
    const fired = (row: TableRow, id: string) => (row['rules_fired'] ?? '').split(';').includes(id);
    const mcc = table.filter((row) => fired(row, 'high-risk-mcc'));
    expect(mcc.length).toBeGreaterThan(0);
    expect(rule('high-risk-mcc')).toMatchObject({ status: 'removed', candidate: null });
    expect(rule('high-risk-mcc').current).toMatchObject({ hits: mcc.length, fraud_hits: mcc.filter(fraud).length });

    const outcome = (name: string) => table.filter((row) => row['rules_action'] === name);
    const flagged = [...outcome('REVIEW'), ...outcome('BLOCK')];
    expect(report.sets.current).toMatchObject({
      review: outcome('REVIEW').length,
      block: outcome('BLOCK').length,
      fraud_caught: flagged.filter(fraud).length,
      good_impacted: flagged.filter((row) => !fraud(row)).length,
    });
  });

  it('reports the score rule as not backtested, and every other default rule unchanged', () => {
    expect(rule('very-high-score-large-amount')).toMatchObject({
      status: 'unchanged',
      phase: 'score',
      candidate: null,
    });
    const others = report.rules.filter((r) => !['card-burst-1h', 'high-risk-mcc'].includes(r.id));
    expect(others.every((r) => r.status === 'unchanged')).toBe(true);
  });

  it('counts outcome changes consistently with both sets', () => {
    const { candidate, current } = report.sets;
    // Dropping a REVIEW rule and adding one moves transactions both ways.
    expect(report.changes.by_pair.map((c) => `${c.from}→${c.to}`)).toEqual(
      expect.arrayContaining(['REVIEW→APPROVE', 'APPROVE→REVIEW']),
    );
    const into = (to: string) =>
      report.changes.by_pair.filter((c) => c.to === to).reduce((n, c) => n + c.transactions, 0);
    const from = (name: string) =>
      report.changes.by_pair.filter((c) => c.from === name).reduce((n, c) => n + c.transactions, 0);
    expect(candidate.review - current.review).toBe(into('REVIEW') - from('REVIEW'));
    expect(candidate.fraud_caught - current.fraud_caught).toBe(
      report.changes.by_pair.filter((c) => c.from === 'APPROVE').reduce((n, c) => n + c.fraud, 0) -
        report.changes.by_pair.filter((c) => c.to === 'APPROVE').reduce((n, c) => n + c.fraud, 0),
    );
  });
});
