// @ts-check
// ESLint flat config: the recommended rules of ESLint and typescript-eslint, without type-aware rules, so a
// run takes seconds. Formatting is Prettier's job (.prettierrc); none of these rules touch layout.
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The globals of a CommonJS module under Node, for the *.js config files (jest, dependency-cruiser). */
const nodeCommonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
};

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/']),
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    // A leading underscore marks a deliberately unused name (a destructured field left out, say).
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJsGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
