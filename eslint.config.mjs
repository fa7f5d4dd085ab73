// ESLint flat config: typescript-eslint's type-checked rules over all TypeScript (issue 15). Formatting is
// Prettier's job, so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.dependency-cruiser.cjs',
      '.stryker-tmp/**',
      'reports/**',
      'test-results/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data*/**',
      'test/fixtures/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Ports are async so that cloud adapters can await; the SQLite adapters behind them are synchronous.
      '@typescript-eslint/require-await': 'off',
      // Values read from JSON or a trigger's metadata are stringified on purpose after validation.
      '@typescript-eslint/no-base-to-string': 'off',
      // Its fixer removed assertions that the compiler needs (seen on the RPC response shape): not worth the risk.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // The ops console (browser code, Preact + TSX) has its own TypeScript project: DOM types, JSX, bundler modules.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: './console/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // expect.any()/objectContaining() are typed `any` by vitest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
