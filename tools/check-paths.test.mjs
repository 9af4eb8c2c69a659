// Examples for tools/check-paths.mjs, run by `npm test` with Node's own test runner. The checker reads this
// file too, so the refused paths are assembled here rather than spelled out: no tracked file names a path
// outside the repository, the checker and its examples included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outsidePaths } from './check-paths.mjs';

const found = (file, text) => outsidePaths(file, text).map((f) => f.path);
/** A relative path `steps` levels up: up(1, 'shared') is the folder beside the checkout. */
const up = (steps, ...parts) => [...Array(steps).fill('..'), ...parts].join('/');
/** An absolute path under `root` (work, home, root, Users…), as one machine has it. */
const machine = (root, ...parts) => `/${[root, ...parts].join('/')}`;
const SIBLING = 'shared';

test('refuses a folder beside the checkout, however it is spelled', () => {
  assert.deepEqual(found('apps/cli/src/demo.ts', `join(root, '..', '${SIBLING}', 'datasets')`), [`'..', '${SIBLING}'`]);
  assert.deepEqual(found('README.md', `npx argus replay --file ${up(1, SIBLING, 'datasets', 'x.csv')}`), [
    up(1, SIBLING),
    up(1, SIBLING, 'datasets', 'x.csv'),
  ]);
});

test('refuses absolute paths of one machine, with their line', () => {
  const findings = outsidePaths(
    'libs/x/src/a.spec.ts',
    `const a = 1;\nconst DATASETS = '${machine('work', SIBLING, 'datasets')}';\n`,
  );
  assert.equal(findings.length, 1);
  assert.equal(findings[0].line, 2);
  assert.equal(findings[0].path, machine('work', 's'));
  assert.equal(found('tools/x.mjs', `cd ${machine('home', 'alice', 'argus')} && npm test`).length, 1);
  assert.equal(found('tools/x.mjs', `open("${machine('root', '.argus', 'key')}")`).length, 1);
  assert.equal(found('tools/x.mjs', `file://${machine('Users', 'bob', 'argus')}`).length, 1);
});

test('refuses relative paths and Markdown links that climb above the repository root', () => {
  assert.deepEqual(found('apps/cli/README.md', `see [the data](${up(3, 'data', 'x.csv')})`), [up(3, 'data', 'x.csv')]);
  assert.deepEqual(found('libs/domain/history/README.md', `"extends": "${up(5, 'tsconfig.json')}"`), [
    up(5, 'tsconfig.json'),
  ]);
});

test('accepts paths inside the repository, system paths and URLs', () => {
  const ok = [
    ['libs/domain/history/project.json', `"extends": "${up(3, 'tsconfig.base.json')}"`],
    [
      'apps/cli/README.md',
      `the [stack](${up(2, 'libs', 'testing', 'README.md')}) and [Kafka](https://kafka.apache.org${machine('home')}/)`,
    ],
    ['libs/testing/src/stack/stack.settings.ts', "binDir: '/usr/lib/postgresql/15/bin'"],
    ['libs/testing/src/stack/config.renderer.ts', "join(tmpdir(), 'argus-pg')"],
    ['deploy/docker/Dockerfile', 'WORKDIR /app\nCOPY deploy/ ./deploy/'],
    ['README.md', `read https://example.org${machine('work', 'notes')} and ~${machine('work', 'argus')}`],
  ];
  for (const [file, text] of ok) assert.deepEqual(found(file, text), [], `${file}: ${text}`);
});
