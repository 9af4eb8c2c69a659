import { createHash } from 'node:crypto';
import { parseRuleSet } from './rule-set.parser';
import { RuleSetError, RuleSetErrorCode, type RuleSetProblem } from './rule-set.errors';

/** Lines joined with "\n": the line numbers expected below are the argument positions. */
function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function refusal(text: string, sourceName = 'rules/test.yaml'): RuleSetError {
  try {
    parseRuleSet(text, sourceName);
  } catch (error) {
    if (error instanceof RuleSetError) return error;
    throw error;
  }
  throw new Error('expected the rule set to be refused');
}

const VALID = yaml(
  'name: demo',
  'description: Two rules.',
  'lists:',
  '  blocked_cards: ["tok_1", "tok_2"]',
  'rules:',
  '  - id: low',
  '    description: Low priority flag.',
  '    action: FLAG',
  '    priority: 1',
  '    when: txn.amount_major > 10.0',
  '  - id: blocked-card',
  '    reason: "Card {{card_id}} blocked"',
  '    action: BLOCK',
  '    priority: 100',
  '    enabled: false',
  '    when: txn.card_id in lists.blocked_cards',
);

describe('parseRuleSet', () => {
  describe('a valid rule set', () => {
    const ruleSet = parseRuleSet(VALID, 'rules/demo.yaml');

    it('keeps name, description, source and lists', () => {
      expect(ruleSet).toMatchObject({
        name: 'demo',
        description: 'Two rules.',
        sourceName: 'rules/demo.yaml',
        lists: { blocked_cards: ['tok_1', 'tok_2'] },
      });
    });

    it('orders rules by priority descending, whatever the file order', () => {
      expect(ruleSet.rules.map((rule) => rule.id)).toEqual(['blocked-card', 'low']);
    });

    it('fills defaults: enabled true, description null, reason from description', () => {
      const [blocked, low] = ruleSet.rules;
      expect(blocked).toMatchObject({
        enabled: false,
        description: null,
        reason: 'Card {{card_id}} blocked',
        action: 'BLOCK',
        priority: 100,
        line: 11,
      });
      expect(low).toMatchObject({
        enabled: true,
        description: 'Low priority flag.',
        reason: 'Low priority flag.',
        action: 'FLAG',
        priority: 1,
        line: 6,
      });
      expect(low?.when).toBe('txn.amount_major > 10.0');
    });

    it('orders equal priorities by id', () => {
      const text = yaml(
        'name: ties',
        'rules:',
        '  - { id: c, reason: c, action: FLAG, priority: 5, when: "true" }',
        '  - { id: a, reason: a, action: FLAG, priority: 5, when: "true" }',
        '  - { id: b, reason: b, action: FLAG, priority: 7, when: "true" }',
      );
      expect(parseRuleSet(text, 'ties.yaml').rules.map((rule) => rule.id)).toEqual(['b', 'a', 'c']);
    });

    it('accepts a rule set with no rules', () => {
      expect(parseRuleSet(yaml('name: empty', 'rules: []'), 'empty.yaml').rules).toEqual([]);
    });

    it('resolves YAML aliases, so a list can be shared', () => {
      const text = yaml('name: aliased', 'lists:', '  cards: &cards ["tok_1"]', '  also_cards: *cards', 'rules: []');
      expect(parseRuleSet(text, 'aliased.yaml').lists).toEqual({ cards: ['tok_1'], also_cards: ['tok_1'] });
    });
  });

  describe('version', () => {
    it('is <name>@ the first 12 hex digits of sha256 of the text', () => {
      const digest = createHash('sha256').update(VALID).digest('hex').slice(0, 12);
      expect(parseRuleSet(VALID, 'a.yaml').version).toBe(`demo@${digest}`);
    });

    it('is the same for the same text, whatever the source name', () => {
      expect(parseRuleSet(VALID, 'a.yaml').version).toBe(parseRuleSet(VALID, 'elsewhere/b.yaml').version);
    });

    it('changes when only a comment changes: the version names the exact file reviewed', () => {
      const commented = `# reviewed by risk, ticket RISK-42\n${VALID}`;
      expect(parseRuleSet(commented, 'a.yaml').version).not.toBe(parseRuleSet(VALID, 'a.yaml').version);
    });

    it('changes when only whitespace changes', () => {
      expect(parseRuleSet(`${VALID}\n`, 'a.yaml').version).not.toBe(parseRuleSet(VALID, 'a.yaml').version);
    });

    it('ignores CRLF line ends and a byte-order mark (same file checked out on another OS)', () => {
      const windows = `\uFEFF${VALID.replace(/\n/g, '\r\n')}`;
      expect(parseRuleSet(windows, 'a.yaml').version).toBe(parseRuleSet(VALID, 'a.yaml').version);
    });
  });

  describe('refusals, each located by line and column', () => {
    const RULE_HEAD = ['name: demo', 'rules:'];
    const cases: [string, string, RuleSetErrorCode, number, number, string][] = [
      [
        'invalid YAML',
        yaml('name: demo', 'rules:', '  - id: a', '   action: BLOCK'),
        'YAML_SYNTAX',
        4,
        1,
        'invalid YAML: Sequence item without - indicator',
      ],
      ['a repeated YAML key', yaml('name: demo', 'name: again', 'rules: []'), 'YAML_SYNTAX', 2, 1, 'unique'],
      [
        'several YAML documents',
        yaml('name: demo', 'rules: []', '---', 'name: other'),
        'YAML_SYNTAX',
        3,
        1,
        'multiple documents',
      ],
      ['an empty file', '', 'INVALID_TYPE', 1, 1, 'rule set must be a mapping'],
      ['a list at the top', yaml('- id: a'), 'INVALID_TYPE', 1, 1, 'rule set must be a mapping'],
      [
        'an unknown top-level key',
        yaml('name: demo', 'rules: []', 'owner: risk'),
        'UNKNOWN_KEY',
        3,
        1,
        'unknown key "owner"',
      ],
      ['a missing name', yaml('rules: []'), 'MISSING_KEY', 1, 1, 'missing required key "name"'],
      ['a bad set name', yaml('name: Demo Rules', 'rules: []'), 'INVALID_VALUE', 1, 7, 'rule set name "Demo Rules"'],
      ['missing rules', yaml('name: demo'), 'MISSING_KEY', 1, 1, 'missing required key "rules"'],
      ['rules that are not a list', yaml('name: demo', 'rules: {}'), 'INVALID_TYPE', 2, 8, 'rules must be a list'],
      [
        'a rule that is not a mapping',
        yaml(...RULE_HEAD, '  - just text'),
        'INVALID_TYPE',
        3,
        5,
        'rules[0] must be a mapping',
      ],
      [
        'an unknown rule key',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: BLOCK',
          '    priorty: 1',
          '    priority: 1',
          '    when: "true"',
        ),
        'UNKNOWN_KEY',
        6,
        5,
        'rule "a"',
      ],
      [
        'a missing id',
        yaml(...RULE_HEAD, '  - reason: r', '    action: BLOCK', '    priority: 1', '    when: "true"'),
        'MISSING_KEY',
        3,
        5,
        'rules[0]: missing required key "id"',
      ],
      [
        'an id in camel case',
        yaml(
          ...RULE_HEAD,
          '  - id: HighAmount',
          '    reason: r',
          '    action: BLOCK',
          '    priority: 1',
          '    when: "true"',
        ),
        'INVALID_ID',
        3,
        9,
        'id "HighAmount"',
      ],
      [
        'a duplicate id',
        yaml(
          ...RULE_HEAD,
          '  - id: dup',
          '    reason: r',
          '    action: BLOCK',
          '    priority: 1',
          '    when: "true"',
          '  - id: dup',
          '    reason: r',
          '    action: FLAG',
          '    priority: 2',
          '    when: "true"',
        ),
        'DUPLICATE_ID',
        8,
        9,
        'rule "dup": duplicate id (first defined at line 3)',
      ],
      [
        'a bad action',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: DENY', '    priority: 1', '    when: "true"'),
        'INVALID_ACTION',
        5,
        13,
        'got "DENY"',
      ],
      [
        'a lower-case action',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: block', '    priority: 1', '    when: "true"'),
        'INVALID_ACTION',
        5,
        13,
        'got "block"',
      ],
      [
        'a missing action',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    priority: 1', '    when: "true"'),
        'MISSING_KEY',
        3,
        5,
        'rule "a": missing required key "action"',
      ],
      [
        'a fractional priority',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: FLAG', '    priority: 1.5', '    when: "true"'),
        'INVALID_TYPE',
        6,
        15,
        'priority must be an integer',
      ],
      [
        'a priority beyond 32 bits',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: FLAG',
          '    priority: 3000000000',
          '    when: "true"',
        ),
        'INVALID_VALUE',
        6,
        15,
        'priority must fit in 32 bits',
      ],
      [
        'a missing priority',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: FLAG', '    when: "true"'),
        'MISSING_KEY',
        3,
        5,
        'missing required key "priority"',
      ],
      [
        'enabled written as yes',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: FLAG',
          '    priority: 1',
          '    enabled: yes',
          '    when: "true"',
        ),
        'INVALID_TYPE',
        7,
        14,
        'enabled must be true or false, got string "yes"',
      ],
      [
        'no reason nor description',
        yaml(...RULE_HEAD, '  - id: a', '    action: FLAG', '    priority: 1', '    when: "true"'),
        'MISSING_KEY',
        3,
        5,
        'missing required key "reason" (or "description")',
      ],
      [
        'a missing condition',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: FLAG', '    priority: 1'),
        'MISSING_KEY',
        3,
        5,
        'missing required key "when"',
      ],
      [
        'an empty condition',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: FLAG', '    priority: 1', '    when: "  "'),
        'INVALID_VALUE',
        7,
        11,
        'when must be a CEL condition',
      ],
      [
        'a condition that is a YAML boolean',
        yaml(...RULE_HEAD, '  - id: a', '    reason: r', '    action: FLAG', '    priority: 1', '    when: true'),
        'INVALID_TYPE',
        7,
        11,
        'when must be a string, got boolean true',
      ],
      [
        'a CEL syntax error (plain scalar)',
        yaml(
          ...RULE_HEAD,
          '  - id: high-amount-cnp',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: txn.amount_major > && true',
        ),
        'CONDITION_SYNTAX',
        7,
        30,
        'rule "high-amount-cnp": condition does not compile: ',
      ],
      [
        'a CEL syntax error inside a block scalar',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: |',
          '      txn.channel == "ATM"',
          '        && txn.amount_major >',
        ),
        'CONDITION_SYNTAX',
        9,
        30,
        'condition does not compile: Unexpected token: EOF',
      ],
      [
        'a CEL error after an escape in a double-quoted scalar',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: "txn.channel == \\"ATM\\" && txn.nope"',
        ),
        'CONDITION_TYPE',
        7,
        42,
        'No such key: nope',
      ],
      [
        'an unknown variable',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: amount > 10',
        ),
        'CONDITION_TYPE',
        7,
        11,
        'condition does not type-check: Unknown variable: amount',
      ],
      [
        'an unknown transaction field',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: txn.amount > 10',
        ),
        'CONDITION_TYPE',
        7,
        15,
        'No such key: amount',
      ],
      [
        'an unknown list',
        yaml(
          'name: demo',
          'lists:',
          '  cards: ["tok_1"]',
          'rules:',
          '  - id: a',
          '    reason: r',
          '    action: BLOCK',
          '    priority: 1',
          '    when: txn.card_id in lists.card',
        ),
        'CONDITION_TYPE',
        9,
        32,
        'No such key: card',
      ],
      [
        'comparing a string with a number',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: txn.merchant_category_code == 7995',
        ),
        'CONDITION_TYPE',
        7,
        11,
        'no such overload: string == int',
      ],
      [
        'a condition that is not a bool',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: r',
          '    action: REVIEW',
          '    priority: 1',
          '    when: txn.amount_major * 2.0',
        ),
        'CONDITION_TYPE',
        7,
        11,
        'a condition must be a bool, this one is a double',
      ],
      [
        'an unknown placeholder',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: "Amount {{amount}} too high"',
          '    action: REVIEW',
          '    priority: 1',
          '    when: "true"',
        ),
        'INVALID_PLACEHOLDER',
        4,
        21,
        'unknown placeholder "{{amount}}"',
      ],
      [
        'an unbalanced placeholder',
        yaml(
          ...RULE_HEAD,
          '  - id: a',
          '    reason: Amount {{amount_major too high',
          '    action: REVIEW',
          '    priority: 1',
          '    when: "true"',
        ),
        'INVALID_PLACEHOLDER',
        4,
        20,
        'unbalanced "{{"',
      ],
      [
        'a list item that is a number',
        yaml('name: demo', 'lists:', '  mccs:', '    - "6051"', '    - 7995', 'rules: []'),
        'INVALID_LIST',
        5,
        7,
        'list "mccs": item 2 must be a non-empty string',
      ],
      [
        'a list name CEL cannot read',
        yaml('name: demo', 'lists:', '  blocked-cards: ["tok_1"]', 'rules: []'),
        'INVALID_LIST',
        3,
        3,
        'list name "blocked-cards"',
      ],
      [
        'a list that is not a list',
        yaml('name: demo', 'lists:', '  cards: tok_1', 'rules: []'),
        'INVALID_TYPE',
        3,
        10,
        'list "cards" must be a list',
      ],
    ];

    it.each(cases)('refuses %s', (_name, text, code, line, column, fragment) => {
      const error = refusal(text);
      expect(error.errors[0]).toMatchObject({ code, line, column });
      expect(error.errors[0]?.message).toContain(fragment);
      expect(error).toMatchObject({ code, line, column, sourceName: 'rules/test.yaml' });
      expect(error.message.split('\n')[0]).toBe(`rules/test.yaml:${line}:${column}: ${error.errors[0]?.message}`);
    });
  });

  describe('several problems', () => {
    const text = yaml(
      'name: demo',
      'rules:',
      '  - id: high-amount-cnp',
      '    reason: r',
      '    action: REVIEW',
      '    priority: 1',
      '    when: txn.amount_major >',
      '  - id: second',
      '    reason: r',
      '    action: MAYBE',
      '    priority: 1',
      '    when: txn.nope == 1',
      'extra: 1',
    );
    const error = refusal(text, 'rules/default.yaml');

    it('reports every problem, in source order', () => {
      expect(error.errors.map((problem) => [problem.code, problem.line])).toEqual([
        ['CONDITION_SYNTAX', 7],
        ['INVALID_ACTION', 10],
        ['CONDITION_TYPE', 12],
        ['UNKNOWN_KEY', 13],
      ]);
    });

    it('takes code, line and column from the first problem', () => {
      expect(error).toMatchObject({ name: 'RuleSetError', code: 'CONDITION_SYNTAX', line: 7, column: 29 });
      expect(error).toBeInstanceOf(Error);
    });

    it('lists every problem in the message, one per line, prefixed source:line:column', () => {
      const lines = error.message.split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe(
        'rules/default.yaml:7:29: rule "high-amount-cnp": condition does not compile: Unexpected token: EOF',
      );
      expect(lines[3]).toMatch(/^rules\/default\.yaml:13:1: rule set: unknown key "extra"/);
    });

    it('tags the problems of a rule with its id', () => {
      const tagged: (string | null)[] = error.errors.map((problem: RuleSetProblem) => problem.ruleId);
      expect(tagged).toEqual(['high-amount-cnp', 'second', 'second', null]);
    });
  });
});
