import type { RuleBacktest, RuleFigures, RulesBacktestReport, SetBacktest } from './rules.backtest';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (r: number | null, digits: number) => (r === null ? '–' : `${(r * 100).toFixed(digits)} %`);
const signed = (n: number) => (n > 0 ? `+${count(n)}` : n < 0 ? `-${count(-n)}` : '0');

/** Fixed-width columns; `align` has one letter per column: `l`eft (text) or `r`ight (figures). */
function table(rows: readonly (readonly string[])[], align: string): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (align[c] === 'l' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function figureCells(figures: RuleFigures | null): string[] {
  if (figures === null) return ['', '', '', '', '', ''];
  return [
    count(figures.hits),
    percent(figures.hit_rate, 2),
    count(figures.fraud_hits),
    percent(figures.precision, 1),
    percent(figures.fraud_share, 1),
    count(figures.errors),
  ];
}

function ruleRow(rule: RuleBacktest): string[] {
  const status = rule.status === 'changed' ? `changed (${rule.changes.join(', ')})` : rule.status;
  const current = rule.current === null ? ['', ''] : [count(rule.current.hits), count(rule.current.fraud_hits)];
  return [rule.id, status, rule.action, ...figureCells(rule.candidate), ...current, rule.note ?? ''];
}

function setRows(current: SetBacktest, candidate: SetBacktest): string[][] {
  const both = (value: (set: SetBacktest) => number, rate?: (set: SetBacktest) => number | null): string[] => {
    const cell = (set: SetBacktest) => (rate ? `${count(value(set))} (${percent(rate(set), 2)})` : count(value(set)));
    return [cell(current), cell(candidate), signed(value(candidate) - value(current))];
  };
  const points = (a: number | null, b: number | null) =>
    a === null || b === null ? '' : `${b >= a ? '+' : '-'}${(Math.abs(b - a) * 100).toFixed(1)} pt`;
  return [
    ['', 'current', 'candidate', 'change'],
    [
      'REVIEW',
      ...both(
        (s) => s.review,
        (s) => s.review_rate,
      ),
    ],
    [
      'BLOCK',
      ...both(
        (s) => s.block,
        (s) => s.block_rate,
      ),
    ],
    [
      'precision of REVIEW or BLOCK',
      percent(current.precision, 1),
      percent(candidate.precision, 1),
      points(current.precision, candidate.precision),
    ],
    [
      'recall of REVIEW or BLOCK',
      percent(current.recall, 1),
      percent(candidate.recall, 1),
      points(current.recall, candidate.recall),
    ],
    ['fraud caught', ...both((s) => s.fraud_caught)],
    [
      'good customers impacted',
      ...both(
        (s) => s.good_impacted,
        (s) => s.good_impacted_rate,
      ),
    ],
    ['rule errors', ...both((s) => s.rule_errors)],
  ];
}

/** The backtest as an operator reads it: per rule, the sets side by side, and what changes. */
export function formatBacktest(report: RulesBacktestReport): string {
  const { history, candidate, current, policy } = report;
  const lines = [
    `rules test: candidate ${candidate.file} (${candidate.version}) against current ${current.file} (${current.version})`,
    `  policy ${policy.version}, rules only (no model score); ${report.seconds} s`,
    `  history ${history.file} (${history.format}${history.labels === null ? '' : `, labels ${history.labels}`}): ` +
      `${count(report.transactions)} transactions, ${count(history.rejected.length)} rejected; ` +
      `${count(report.fraud)} fraud by final label (${count(history.labelled)} labelled; unlabelled count as legitimate)`,
    '',
    ...table(
      [
        [
          'rule',
          'status',
          'action',
          'hits',
          'hit rate',
          'fraud',
          'precision',
          'fraud share',
          'errors',
          'hits before',
          'fraud before',
          '',
        ],
        ...report.rules.map(ruleRow),
      ],
      'lllrrrrrrrrl',
    ),
    '',
    ...table(setRows(report.sets.current, report.sets.candidate), 'lrrr'),
    '',
    `outcome changes: ${count(report.changes.transactions)} transactions (fraud ${count(report.changes.fraud)})`,
    ...table(
      report.changes.by_pair.map((change) => [
        `  ${change.from}→${change.to}`,
        count(change.transactions),
        `of which fraud ${count(change.fraud)}`,
      ]),
      'lrl',
    ),
  ];
  return `${lines.join('\n')}\n`;
}
