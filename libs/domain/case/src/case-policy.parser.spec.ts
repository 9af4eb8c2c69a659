import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CasePolicyError } from './case-policy.errors';
import { parseCasePolicy } from './case-policy.parser';

const DEFAULT = join(__dirname, '..', '..', '..', '..', 'deploy', 'config', 'cases', 'default.yaml');
const text = readFileSync(DEFAULT, 'utf8');

function refusal(yaml: string): CasePolicyError {
  try {
    parseCasePolicy(yaml, 'cases.yaml');
  } catch (error) {
    if (error instanceof CasePolicyError) return error;
    throw error;
  }
  throw new Error('expected a CasePolicyError');
}

const MINIMAL = `version: 3
reference_currency: EUR
queues:
  - id: review
    sla_minutes: 240
routes:
  - queue: review
    when: { outcome: [REVIEW, BLOCK] }
escalation_queue: review
`;

describe('parseCasePolicy', () => {
  it('reads the shipped default policy', () => {
    const policy = parseCasePolicy(text, DEFAULT);
    expect(policy.version).toMatch(/^1\+[0-9a-f]{12}$/);
    expect(policy.referenceCurrency).toBe('EUR');
    expect(policy.queues.map((q) => q.id)).toEqual(['high-value', 'card-present', 'review', 'supervisor']);
    expect(policy.queues.find((q) => q.id === 'supervisor')).toMatchObject({ supervisorsOnly: true, slaMinutes: 60 });
    expect(policy.routes[0]).toEqual({
      queue: 'high-value',
      outcomes: ['BLOCK'],
      minAmount: 1000,
      channels: null,
      countries: null,
      minScore: null,
      maxScore: null,
    });
    expect(policy.routes[1]!.channels).toEqual(['CARD_PRESENT', 'ATM']);
    expect(policy.approvals).toEqual({ releaseBlockAsLegitimate: true, confirmFraudAbove: 5000 });
    expect(policy.notifications).toEqual({ blockAtLeast: 2500, slaBreach: true });
  });

  it('fills the defaults of a minimal policy', () => {
    expect(parseCasePolicy(MINIMAL, 'cases.yaml')).toMatchObject({
      version: expect.stringMatching(/^3\+/),
      exchangeRates: {},
      claimMinutes: 15,
      priority: { slaWeight: 1, unscoredProbability: { REVIEW: 0.05, BLOCK: 0.5 }, failedStepUpProbability: 0.9 },
      approvals: { releaseBlockAsLegitimate: true, confirmFraudAbove: null },
      notifications: { blockAtLeast: null, slaBreach: false },
      queues: [{ id: 'review', name: 'review', slaMinutes: 240, supervisorsOnly: false }],
    });
  });

  it('names the file, line and column of an unknown key, a bad value and a missing key', () => {
    const error = refusal(
      MINIMAL.replace('    sla_minutes: 240', '    sla_minutes: -5\n    colour: red').replace(
        'reference_currency: EUR\n',
        '',
      ),
    );
    expect(error.problems.map((p) => [p.code, p.line])).toEqual([
      ['MISSING_KEY', 1],
      ['INVALID_VALUE', 4],
      ['UNKNOWN_KEY', 5],
    ]);
    expect(error.message).toContain('cases.yaml:1:1: reference_currency: missing required key');
    expect(error.message).toMatch(/cases\.yaml:4:18: queues\[0\]\.sla_minutes: /);
    expect(error.message).toContain('cases.yaml:5:5: queues[0]: unknown key "colour"');
  });

  it('refuses a route or an escalation to a queue that does not exist, and a queue defined twice', () => {
    const error = refusal(
      MINIMAL.replace('  - queue: review', '  - queue: reviews')
        .replace('escalation_queue: review', 'escalation_queue: supervisor')
        .replace('routes:', '  - id: review\n    sla_minutes: 5\nroutes:'),
    );
    expect(error.problems.map((p) => p.code)).toEqual(['DUPLICATE_QUEUE', 'UNKNOWN_QUEUE', 'UNKNOWN_QUEUE']);
    expect(error.message).toContain('routes[0].queue: no queue "reviews" (queues: review)');
    expect(error.message).toContain('escalation_queue: no queue "supervisor"');
  });

  it('refuses outcomes, channels, countries and score bands it does not know', () => {
    const error = refusal(
      MINIMAL.replace(
        'when: { outcome: [REVIEW, BLOCK] }',
        'when: { outcome: [APPROVE], channel: [TELEPATHY], merchant_country: [France], min_score: 90, max_score: 80 }',
      ),
    );
    const messages = error.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('routes[0].when.outcome[0]');
    expect(messages).toContain('routes[0].when.channel[0]');
    expect(messages).toContain('routes[0].when.merchant_country[0]: must be an ISO 3166-1 alpha-2 code');
    expect(error.problems.every((p) => p.line === 8)).toBe(true);
    const band = refusal(
      MINIMAL.replace(
        'when: { outcome: [REVIEW, BLOCK] }',
        'when: { outcome: [REVIEW], min_score: 90, max_score: 80 }',
      ),
    );
    expect(band.message).toContain('cases.yaml:8:11: routes[0].when: min_score must not be above max_score');
  });

  it('refuses text that is not YAML, with its line', () => {
    const error = refusal('version: 1\nqueues: [a\n');
    expect(error.code).toBe('YAML_SYNTAX');
    expect(error.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
