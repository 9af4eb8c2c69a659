#!/usr/bin/env node
// Evaluation cost of a 20-rule set per transaction (context build + evaluate), in plain node.
// Run from the repository root: node libs/domain/rules/bench/rule-set.bench.js [iterations]
// Reads the TypeScript sources directly (tools/ts-source.register.js), so it needs no build.
'use strict';
require('../../../../tools/ts-source.register.js');

const { parseRuleSet, buildRuleContext, evaluate } = require('../src/index.ts');
const { BENCH_RULE_SET, BENCH_FEATURES, benchTransactions } = require('../src/__fixtures__/bench.workload.ts');

const iterations = Number(process.argv[2] ?? 200_000);
const ruleSet = parseRuleSet(BENCH_RULE_SET, 'bench.yaml');
const transactions = benchTransactions(1_000);

function run(count) {
  let hits = 0;
  for (let i = 0; i < count; i += 1) {
    const context = buildRuleContext(transactions[i % transactions.length], { features: BENCH_FEATURES });
    hits += evaluate(ruleSet, context).hits.length;
  }
  return hits;
}

run(20_000);
const samples = [];
for (let round = 0; round < 5; round += 1) {
  const started = process.hrtime.bigint();
  run(iterations / 5);
  samples.push(Number(process.hrtime.bigint() - started) / 1_000 / (iterations / 5));
}
samples.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ rules: ruleSet.rules.length, iterations, us_per_transaction: { best: +samples[0].toFixed(2), median: +samples[2].toFixed(2), worst: +samples[4].toFixed(2) } })}\n`,
);
