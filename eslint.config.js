// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the pure core may not import: I/O, the environment's readers, and the layers above it. */
const CORE_RESTRICTED = {
  patterns: [
    { group: ['node:*'], message: 'src/core is pure: take the value as a parameter instead of reading it.' },
    {
      group: ['fs', 'fs/*', 'child_process', 'net', 'http', 'https', 'os', 'tls', 'crypto', 'path'],
      message: 'src/core is pure: no I/O modules.',
    },
    {
      group: ['**/adapters/**', '**/services/**', '**/entrypoints/**'],
      message: 'src/core never imports adapters, services or entry points: imports go one way.',
    },
    {
      group: ['**/config.js', '**/errors.js'],
      message: 'src/core returns problems as values; config and operational errors belong to the shell.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.aac/**', 'bench/.out/**', '.ci/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-restricted-globals': ['error', { name: 'require', message: 'ESM only.' }],
      // Control characters are matched on purpose (binary files, terminal escapes in diagnostics).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', CORE_RESTRICTED],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'src/core is pure: configuration comes in as a parameter.' },
        { object: 'Date', property: 'now', message: 'src/core is pure: time is a parameter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/core is pure: time is a parameter.',
        },
      ],
    },
  },
  {
    // Adapters serve the layers above them and never call back up.
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/**', '**/entrypoints/**'],
              message: 'adapters never import services or entry points: imports go one way.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/entrypoints/**'], message: 'services never import entry points: imports go one way.' },
          ],
        },
      ],
    },
  },
  {
    // Webhook payloads and recorded API bodies are untyped JSON in tests.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
