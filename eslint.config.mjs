// Lint rules that matter for a library living inside other people's workers: no floating promises,
// no misused promises, strict type-aware checks on every TypeScript source.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The plugin's boundaries (see docs/architecture.md). The one line that matters most in a Temporal
// plugin is whether code runs in the workflow sandbox: `workflow/` and `common/` are bundled into it,
// so they import no Node module and nothing of the worker side. Recall reads what recording writes
// only through `outcome/`, the format both share.
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'async_hooks',
  'net',
  'http',
  'https',
  'stream',
  'events',
  'util',
  'timers',
  'perf_hooks',
];
const WORKER_SIDE = [
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/client',
  'pino',
  'better-sqlite3',
  '@modelcontextprotocol/*',
  // Not @temporal-stompy/insights: it is pure (no Node module, no I/O), so the sandbox may use it.
  '@temporal-stompy/memory-server',
  '@temporal-stompy/sqlite-file',
  '@temporal-stompy/testing',
];
const PLUGIN_FOLDERS = [
  'worker',
  'recording',
  'recall',
  'mcp',
  'support',
  'keys',
  'options',
  'outcome',
  'digest',
];
const folders = (names) => names.flatMap((name) => [`../${name}`, `../${name}/*`, `../../${name}/*`]);
const sandboxRule = (extra, why) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: NODE_BUILTINS, message: `${why} is bundled into the workflow sandbox: no Node modules.` },
        { group: WORKER_SIDE, message: `${why} is bundled into the workflow sandbox: nothing worker-side.` },
        {
          group: [...folders(PLUGIN_FOLDERS), '../plugin', '../index', ...extra],
          message: `${why} may import only sandbox-safe code (common/).`,
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/__fixtures__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Temporal activities are async functions by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/plugin/src/workflow/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: sandboxRule([], 'workflow/'),
  },
  {
    // The entry of `@temporal-stompy/plugin/workflow`, imported by workflow code.
    files: ['packages/plugin/src/workflow-api.ts'],
    rules: sandboxRule(
      PLUGIN_FOLDERS.flatMap((name) => [`./${name}/*`]).concat(['./plugin', './index', './manual']),
      'workflow-api.ts',
    ),
  },
  {
    files: ['packages/plugin/src/common/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: sandboxRule(folders(['workflow']).concat(['@temporalio/workflow']), 'common/'),
  },
  {
    files: ['packages/plugin/src/recall/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: folders(['recording']),
              message: 'recall/ does not import recording/: they share outcome/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/plugin/src/mcp/**/*.ts', 'packages/plugin/src/support/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: folders(['worker', 'recording', 'recall', 'keys', 'options', 'outcome']),
              message: 'mcp/ and support/ are building blocks: they import nothing of the plugin above them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
