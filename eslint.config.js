// ESLint (flat config): typescript-eslint's type-checked recommended rules over every TypeScript file and
// Svelte component, with eslint-plugin-svelte's recommended rules over the components (README "Tests").
// Each file is type-checked with the first tsconfig in PROJECTS that includes it, so it sees its own layer's
// world: src-shared neither Node nor the DOM, src-main Node, src-renderer the DOM (docs/architecture.md).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const PROJECTS = [
  'src-shared/tsconfig.json',
  'src-main/tsconfig.json',
  'src-renderer/tsconfig.json',
  'test/tsconfig.json',
  'scripts/tsconfig.json',
];

export default defineConfig(
  { ignores: ['dist/', 'test-artifacts/', '.cache/', 'scratch/', 'bench/', 'test/fixtures/', 'bin/', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.svelte'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: PROJECTS, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    extends: [svelte.configs.recommended],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    rules: {
      // TypeScript (svelte-check) already reports undeclared names, with the DOM lib of src-renderer/tsconfig.json;
      // typescript-eslint turns no-undef off for .ts files for the same reason.
      'no-undef': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // In tests these fire on JSON.parse of the CLI's, the server's and the fake Electron's output, and on
      // vitest's asymmetric matchers (expect.any, expect.stringContaining), which are typed any: the assertions
      // themselves check those values' shape.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
