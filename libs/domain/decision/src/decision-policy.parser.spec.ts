import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DecisionPolicyError, DecisionPolicyErrorCode } from './decision-policy.errors';
import { parsePolicy } from './decision-policy.parser';

/** Lines joined with "\n": the line numbers expected below are the argument positions. */
function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function refusal(text: string): DecisionPolicyError {
  try {
    parsePolicy(text, 'policy/test.yaml');
  } catch (error) {
    if (error instanceof DecisionPolicyError) return error;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('fills every default from a minimal policy', () => {
    const text = yaml('name: minimal', 'version: 1');
    expect(parsePolicy(text, 'policy/minimal.yaml')).toEqual({
      name: 'minimal',
      version: '1',
      policyVersion: `minimal@1+${createHash('sha256').update(text).digest('hex').slice(0, 12)}`,
      sourceName: 'policy/minimal.yaml',
      description: null,
      rule_precedence: ['BLOCK', 'ALLOW', 'REVIEW', 'FLAG'],
      allow_overrides: ['REVIEW'],
      flag_escalation: null,
      score_bands: [],
      fallback: { missing_score: 'rules_only', features_unavailable: 'rules_only', rule_errors: 'continue' },
      default_outcome: 'APPROVE',
      top_factors: 5,
    });
  });

  it('reads every setting', () => {
    const text = yaml(
      'name: strict',
      'version: "2.10"',
      'description: Strict.',
      'rule_precedence: [BLOCK, REVIEW, ALLOW, FLAG]',
      'allow_overrides: [REVIEW, BLOCK]',
      'flag_escalation: { min_flags: 3, outcome: BLOCK }',
      'score_bands:',
      '  - { min_score: 50, outcome: REVIEW, channels: [ECOMMERCE] }',
      '  - { min_score: 80.5, outcome: BLOCK }',
      'fallback: { missing_score: REVIEW, rule_errors: BLOCK }',
      'default_outcome: REVIEW',
      'explain: { top_factors: 3 }',
    );
    expect(parsePolicy(text, 'strict.yaml')).toMatchObject({
      version: '2.10',
      description: 'Strict.',
      rule_precedence: ['BLOCK', 'REVIEW', 'ALLOW', 'FLAG'],
      allow_overrides: ['REVIEW', 'BLOCK'],
      flag_escalation: { min_flags: 3, outcome: 'BLOCK' },
      // Highest threshold first.
      score_bands: [
        { min_score: 80.5, outcome: 'BLOCK', channels: null },
        { min_score: 50, outcome: 'REVIEW', channels: ['ECOMMERCE'] },
      ],
      fallback: { missing_score: 'REVIEW', rule_errors: 'BLOCK' },
      default_outcome: 'REVIEW',
      top_factors: 3,
    });
  });

  it('defaults the escalation outcome to REVIEW', () => {
    expect(
      parsePolicy(yaml('name: p', 'version: 1', 'flag_escalation: { min_flags: 2 }'), 'p.yaml').flag_escalation,
    ).toEqual({ min_flags: 2, outcome: 'REVIEW' });
  });

  it('changes policyVersion with the text, not only with the declared version', () => {
    const a = parsePolicy(yaml('name: p', 'version: 1'), 'p.yaml');
    const b = parsePolicy(yaml('name: p', 'version: 1', 'default_outcome: REVIEW'), 'p.yaml');
    expect(a.policyVersion).not.toBe(b.policyVersion);
    expect(a.policyVersion.startsWith('p@1+')).toBe(true);
  });

  it('parses the default policy the services load', () => {
    const source = resolve(__dirname, '../../../../deploy/config/policy/default.yaml');
    const policy = parsePolicy(readFileSync(source, 'utf8'), 'policy/default.yaml');
    expect(policy).toMatchObject({
      name: 'default',
      rule_precedence: ['BLOCK', 'ALLOW', 'REVIEW', 'FLAG'],
      allow_overrides: ['REVIEW'],
      fallback: { missing_score: 'rules_only' },
      default_outcome: 'APPROVE',
    });
    expect(policy.policyVersion).toMatch(/^default@[\w.-]+\+[0-9a-f]{12}$/);
  });

  const cases: [string, string, DecisionPolicyErrorCode, number, number, string][] = [
    ['invalid YAML', yaml('name: p', 'version: 1', 'score_bands: [REVIEW'), 'YAML_SYNTAX', 4, 1, 'invalid YAML'],
    ['a list at the top', yaml('- name: p'), 'INVALID_TYPE', 1, 1, 'policy must be a mapping'],
    ['a missing name', yaml('version: 1'), 'MISSING_KEY', 1, 1, 'missing required key "name"'],
    ['a missing version', yaml('name: p'), 'MISSING_KEY', 1, 1, 'missing required key "version"'],
    ['a fractional version', yaml('name: p', 'version: 1.10'), 'INVALID_TYPE', 2, 10, 'version must be a string'],
    ['an unknown key', yaml('name: p', 'version: 1', 'default: APPROVE'), 'UNKNOWN_KEY', 3, 1, 'unknown key "default"'],
    [
      'an unknown action in the precedence',
      yaml('name: p', 'version: 1', 'rule_precedence: [BLOCK, DENY, REVIEW, FLAG]'),
      'INVALID_PRECEDENCE',
      3,
      26,
      '"DENY" is not one of',
    ],
    [
      'an action listed twice',
      yaml('name: p', 'version: 1', 'rule_precedence: [BLOCK, REVIEW, BLOCK, ALLOW]'),
      'INVALID_PRECEDENCE',
      3,
      34,
      'BLOCK is listed twice',
    ],
    [
      'a precedence missing an action',
      yaml('name: p', 'version: 1', 'rule_precedence: [BLOCK, REVIEW, ALLOW]'),
      'INVALID_PRECEDENCE',
      3,
      18,
      'missing FLAG',
    ],
    [
      'REVIEW above BLOCK',
      yaml('name: p', 'version: 1', 'rule_precedence: [REVIEW, BLOCK, ALLOW, FLAG]'),
      'INVALID_PRECEDENCE',
      3,
      18,
      'BLOCK must rank above REVIEW',
    ],
    [
      'APPROVE in allow_overrides',
      yaml('name: p', 'version: 1', 'allow_overrides: [APPROVE]'),
      'INVALID_OUTCOME',
      3,
      19,
      '"APPROVE" is not one of REVIEW, BLOCK',
    ],
    [
      'a zero escalation threshold',
      yaml('name: p', 'version: 1', 'flag_escalation:', '  min_flags: 0'),
      'INVALID_VALUE',
      4,
      14,
      'at least 1',
    ],
    [
      'an escalation to APPROVE',
      yaml('name: p', 'version: 1', 'flag_escalation:', '  min_flags: 2', '  outcome: APPROVE'),
      'INVALID_OUTCOME',
      5,
      12,
      'must be one of REVIEW, BLOCK',
    ],
    [
      'an escalation without a threshold',
      yaml('name: p', 'version: 1', 'flag_escalation:', '  outcome: REVIEW'),
      'MISSING_KEY',
      4,
      3,
      'missing required key "min_flags"',
    ],
    [
      'a score band above 100',
      yaml('name: p', 'version: 1', 'score_bands:', '  - min_score: 101', '    outcome: BLOCK'),
      'INVALID_SCORE_BAND',
      4,
      16,
      'between 0 and 100',
    ],
    [
      'a score band that approves',
      yaml('name: p', 'version: 1', 'score_bands:', '  - min_score: 10', '    outcome: APPROVE'),
      'INVALID_OUTCOME',
      5,
      14,
      'score_bands[0].outcome must be one of REVIEW, BLOCK',
    ],
    [
      'a score band without an outcome',
      yaml('name: p', 'version: 1', 'score_bands:', '  - min_score: 10'),
      'MISSING_KEY',
      4,
      5,
      'score_bands[0]: missing required key "outcome"',
    ],
    [
      'an unknown channel',
      yaml(
        'name: p',
        'version: 1',
        'score_bands:',
        '  - min_score: 10',
        '    outcome: REVIEW',
        '    channels: [ECOMMERCE, WEB]',
      ),
      'INVALID_SCORE_BAND',
      6,
      27,
      '"WEB" is not one of',
    ],
    [
      'empty channels',
      yaml('name: p', 'version: 1', 'score_bands:', '  - min_score: 10', '    outcome: REVIEW', '    channels: []'),
      'INVALID_SCORE_BAND',
      6,
      15,
      'must not be empty',
    ],
    [
      'an unknown fallback mode',
      yaml('name: p', 'version: 1', 'fallback:', '  missing_score: ignore'),
      'INVALID_OUTCOME',
      4,
      18,
      'must be one of rules_only, REVIEW, BLOCK',
    ],
    [
      'an unknown default outcome',
      yaml('name: p', 'version: 1', 'default_outcome: ALLOW'),
      'INVALID_OUTCOME',
      3,
      18,
      'must be one of APPROVE, REVIEW, BLOCK',
    ],
    [
      'too many factors',
      yaml('name: p', 'version: 1', 'explain:', '  top_factors: 500'),
      'INVALID_VALUE',
      4,
      16,
      'between 0 and 50',
    ],
  ];

  it.each(cases)('refuses %s', (_name, text, code, line, column, fragment) => {
    const error = refusal(text);
    expect(error.errors[0]).toMatchObject({ code, line, column });
    expect(error.errors[0]?.message).toContain(fragment);
    expect(error).toMatchObject({ name: 'DecisionPolicyError', code, line, column, sourceName: 'policy/test.yaml' });
    expect(error.message.split('\n')[0]).toBe(`policy/test.yaml:${line}:${column}: ${error.errors[0]?.message}`);
  });

  it('reports every problem, in source order', () => {
    const error = refusal(
      yaml('name: p', 'version: 1', 'default_outcome: MAYBE', 'explain: { top_factors: -1 }', 'colour: blue'),
    );
    expect(error.errors.map((problem) => [problem.code, problem.line])).toEqual([
      ['INVALID_OUTCOME', 3],
      ['INVALID_VALUE', 4],
      ['UNKNOWN_KEY', 5],
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
  });
});
