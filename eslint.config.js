// ESLint over the TypeScript sources and the project's JavaScript modules (build, scripts, the e2e
// harness): the recommended rules of eslint and typescript-eslint.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '**/*.cjs', '**/*.js', 'test/e2e/workspace/**', 'test/e2e/artifacts/**', 'test/fixtures/**', 'examples/**', 'fitcheck-samples/**', 'test/grammar/**', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Node scripts; the e2e harness also passes functions to the browser (page.evaluate).
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  {
    rules: {
      // A leading underscore marks a value left out on purpose (`const { a: _a, ...rest } = x`).
      // A closure that reads a value assigned once, later, cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
);
