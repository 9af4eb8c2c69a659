import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Which project tags may import which (conventions: apps → pipeline, domain, platform, contracts; …). */
const DEP_CONSTRAINTS = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:pipeline', 'type:domain', 'type:platform', 'type:contracts'],
  },
  {
    sourceTag: 'type:cli',
    onlyDependOnLibsWithTags: ['type:pipeline', 'type:domain', 'type:platform', 'type:contracts', 'type:testing'],
  },
  // Pipelines compose domain logic with platform adapters, once, for every app that runs them.
  {
    sourceTag: 'type:pipeline',
    onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:contracts'],
  },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:pipeline', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'],
  },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
];

/** Integration tests of an app may also use the testing helpers (never the app's build). */
const INT_TEST_DEP_CONSTRAINTS = DEP_CONSTRAINTS.map((constraint) =>
  constraint.sourceTag === 'type:app'
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] }
    : constraint,
);

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', '.argus/**', '.nx/**', '**/generated/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: DEP_CONSTRAINTS,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['apps/**/*.int-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: INT_TEST_DEP_CONSTRAINTS },
      ],
    },
  },
);
