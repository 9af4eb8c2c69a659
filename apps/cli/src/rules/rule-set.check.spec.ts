import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRuleSetFile, formatRuleSetCheck } from './rule-set.check';

const GOOD = `name: demo
rules:
  - id: big
    reason: big
    action: REVIEW
    priority: 1
    when: txn.amount_major > 1000.0
  - id: burst
    reason: burst
    action: REVIEW
    priority: 1
    enabled: false
    when: has(features.card_count_1m) && features.card_count_1m > 5.0
  - id: scored
    reason: scored
    action: BLOCK
    priority: 1
    when: score != null && score >= 97
`;

const BAD = `name: demo
rules:
  - id: a
    reason: a
    action: DENY
    priority: 1
    when: txn.amount_major >
  - id: b
    reason: b
    action: BLOCK
    priority: 1
    when: score > 90.0 && features.card_count_1m > 2.0
`;

describe('checkRuleSetFile', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-rules-check-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says what a valid set holds, by phase', () => {
    const path = file('good.yaml', GOOD);
    const check = checkRuleSetFile(path);
    expect(check).toMatchObject({ ok: true, rules: 3, transaction_phase: 2, score_phase: 1, disabled: 1 });
    expect(formatRuleSetCheck(check)).toMatch(
      new RegExp(`^ok ${path} demo@[0-9a-f]{12} \\(3 rules: 2 transaction-phase, 1 score-phase\\)\\n$`),
    );
  });

  it('lists every problem as file:line:col: message', () => {
    const path = file('bad.yaml', BAD);
    const check = checkRuleSetFile(path);
    expect(check.ok).toBe(false);
    expect(formatRuleSetCheck(check).trimEnd().split('\n')).toEqual([
      `${path}:5:13: rule "a": action must be one of ALLOW, REVIEW, BLOCK, FLAG, got "DENY"`,
      `${path}:7:29: rule "a": condition does not compile: Unexpected token: EOF`,
      expect.stringMatching(
        new RegExp(`^${path}:12:11: rule "b": condition cannot run: a condition on the model score`),
      ),
    ]);
  });

  it('names a file it cannot read', () => {
    const check = checkRuleSetFile(join(dir, 'missing.yaml'));
    expect(check).toMatchObject({ ok: false, problems: [] });
    expect(formatRuleSetCheck(check)).toMatch(/missing\.yaml: cannot read: ENOENT/);
  });
});
