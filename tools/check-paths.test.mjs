// Examples for tools/check-paths.mjs, run by `npm test` with Node's own test runner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outsidePaths } from './check-paths.mjs';

const found = (file, text) => outsidePaths(file, text).map((f) => f.path);

test('refuses a folder beside the checkout, however it is spelled', () => {
  assert.deepEqual(found('apps/cli/src/demo.ts', "join(root, '..', 'shared', 'datasets')"), ["'..', 'shared'"]);
  assert.deepEqual(found('README.md', 'npx argus replay --file ../shared/datasets/x.csv'), [
    '../shared',
    '../shared/datasets/x.csv',
  ]);
});

test('refuses absolute paths of one machine, with their line', () => {
  const findings = outsidePaths('libs/x/src/a.spec.ts', "const a = 1;\nconst DATASETS = '/work/shared/datasets';\n");
  assert.equal(findings.length, 1);
  assert.equal(findings[0].line, 2);
  assert.equal(findings[0].path, '/work/s');
  assert.equal(found('tools/x.mjs', 'cd /home/alice/argus && npm test').length, 1);
  assert.equal(found('tools/x.mjs', 'open("/root/.argus/key")').length, 1);
  assert.equal(found('tools/x.mjs', 'file:///Users/bob/argus').length, 1);
});

test('refuses relative paths and Markdown links that climb above the repository root', () => {
  assert.deepEqual(found('apps/cli/README.md', 'see [the data](../../../data/x.csv)'), ['../../../data/x.csv']);
  assert.deepEqual(found('libs/domain/history/README.md', '"extends": "../../../../../tsconfig.json"'), [
    '../../../../../tsconfig.json',
  ]);
});

test('accepts paths inside the repository, system paths and URLs', () => {
  const ok = [
    ['libs/domain/history/project.json', '"extends": "../../../tsconfig.base.json"'],
    ['apps/cli/README.md', 'the [stack](../../libs/testing/README.md) and [Kafka](https://kafka.apache.org/home/)'],
    ['libs/testing/src/stack/stack.settings.ts', "binDir: '/usr/lib/postgresql/15/bin'"],
    ['libs/testing/src/stack/config.renderer.ts', "join(tmpdir(), 'argus-pg')"],
    ['deploy/docker/Dockerfile', 'WORKDIR /app\nCOPY deploy/ ./deploy/'],
    ['README.md', 'read https://example.org/work/notes and ~/work/argus'],
  ];
  for (const [file, text] of ok) assert.deepEqual(found(file, text), [], `${file}: ${text}`);
});
