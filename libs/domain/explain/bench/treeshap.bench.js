#!/usr/bin/env node
// Cost per row of margin() and treeShap() (and topContributions()), in plain node.
// Run from the repository root:
//   node libs/domain/explain/bench/treeshap.bench.js                       synthetic: 300 full depth-6 trees, 123 features
//   node libs/domain/explain/bench/treeshap.bench.js DIR/lightgbm          a shap_fixture model and its rows
// (python -m argus_trainer.shap_fixture --out DIR --features 123 --trees 300 --depth 6 writes DIR/<kind>.*.json)
// Reads the TypeScript sources directly (tools/ts-source.register.js), so it needs no build.
'use strict';
const fs = require('node:fs');
require('../../../../tools/ts-source.register.js');

const { seededRandom } = require('@argus/contracts');
const { parseTreeModel, margin, treeShap, topContributions } = require('../src/index.ts');

/** A LightGBM-shaped document of `trees` complete trees of `depth` levels (the worst case: 2^depth leaves). */
function syntheticModel(trees, depth, features, random) {
  const node = (level, count) => {
    if (level === depth) return { leaf_value: (random() - 0.5) * 0.1, leaf_count: count };
    const share = Math.max(1, Math.round(count * (0.2 + 0.6 * random())));
    return {
      split_feature: Math.floor(random() * features),
      threshold: random() * 2 - 1,
      decision_type: '<=',
      default_left: random() < 0.5,
      missing_type: random() < 0.5 ? 'NaN' : 'None',
      internal_count: count,
      left_child: node(level + 1, share),
      right_child: node(level + 1, Math.max(1, count - share)),
    };
  };
  return {
    format: 'argus-trees/1',
    kind: 'lightgbm',
    feature_names: Array.from({ length: features }, (_, i) => `f${i}`),
    base_margin: 0,
    trees: Array.from({ length: trees }, () => ({ tree_structure: node(0, 100_000) })),
  };
}

function syntheticRows(count, features, random) {
  return Array.from({ length: count }, () =>
    Float64Array.from({ length: features }, () => (random() < 0.1 ? NaN : random() * 2 - 1)),
  );
}

const [prefix, iterationsArg] = process.argv.slice(2);
const random = seededRandom(42);
let doc;
let rows;
if (prefix === undefined || prefix === 'synthetic') {
  doc = syntheticModel(300, 6, 123, random);
  rows = syntheticRows(1_000, 123, random);
} else {
  doc = JSON.parse(fs.readFileSync(`${prefix}.trees.json`, 'utf8'));
  rows = JSON.parse(fs.readFileSync(`${prefix}.rows.json`, 'utf8')).map((row) =>
    Float64Array.from(row, (v) => (v === null ? NaN : v)),
  );
}
const model = parseTreeModel(doc);
// The same model without precomputed tables (maxTableWidth 0: least memory), for comparison.
const untabulated = parseTreeModel(doc, { maxTableWidth: 0 });
const iterations = Number(iterationsArg ?? 10_000);
const out = new Float64Array(model.featureCount);

// CPU time of this process, not wall time: other work on a shared machine inflates wall time, not this.
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function measure(fn, count = iterations) {
  let sink = 0;
  for (let i = 0; i < Math.min(count, 2_000); i += 1) sink += fn(rows[i % rows.length]);
  const samples = [];
  for (let round = 0; round < 5; round += 1) {
    const started = cpuMicros();
    for (let i = 0; i < count / 5; i += 1) sink += fn(rows[i % rows.length]);
    samples.push((cpuMicros() - started) / (count / 5));
  }
  samples.sort((a, b) => a - b);
  if (Number.isNaN(sink)) throw new Error('NaN result');
  return { best: +samples[0].toFixed(2), median: +samples[2].toFixed(2), worst: +samples[4].toFixed(2) };
}

const result = {
  model: {
    kind: model.kind,
    trees: model.treeCount,
    nodes: model.nodes.feature.length,
    max_depth: model.maxDepth,
    table_mb: +(model.leafPaths.table.byteLength / 2 ** 20).toFixed(1),
  },
  features: model.featureCount,
  iterations,
  us_per_row: {
    margin: measure((row) => margin(model, row)),
    treeShap: measure((row) => treeShap(model, row, out)[0]),
    topContributions: measure((row) => topContributions(model, row, 5).length),
    treeShapWithoutTables: measure((row) => treeShap(untabulated, row, out)[0]),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
