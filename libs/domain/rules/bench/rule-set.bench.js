#!/usr/bin/env node
// Evaluation cost of a 20-rule set per transaction (context build + evaluate), in plain node.
// Run from the repository root: node libs/domain/rules/bench/rule-set.bench.js [iterations]
// Compiles the TypeScript sources on the fly with @swc/core, so it needs no build and no other project.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, `${target}.ts`)]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

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
