// ESLint flat config: typescript-eslint's recommended rules for the extension, its tests and its tools,
// plus the one architectural rule that matters most here: src/core never imports `vscode`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', '.vscode-test/**', '.work/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused parameters that a signature requires are written `_name`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // One privacy marker: ECMAScript `#name`, enforced at run time too, not TypeScript's `private`.
      'no-restricted-syntax': [
        'error',
        {
          selector: ':matches(PropertyDefinition, MethodDefinition, TSParameterProperty)[accessibility="private"]',
          message: 'Private members are written #name (ECMAScript private), not with `private`.',
        },
      ],
    },
  },
  {
    // In the extension itself, type-only imports are marked so they never pull a module into the bundle.
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    // Integration tests load the bundle under test by its runtime path, which only require() can do.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The core runs in plain Node and is unit-tested there: the boundary is enforced, not hoped for.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core is pure TypeScript: pass what it needs in from the host layer.' },
          ],
          patterns: [{ group: ['../*'], message: 'src/core must not import the host layer.' }],
        },
      ],
    },
  },
  {
    // The webview is its own type world (media/tsconfig.json): from src/ it takes types, and values only from the
    // zod-free protocol (which also passes on the core's cost line and template filler) and the core's errors.
    files: ['media/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'The webview has no vscode API: ask the host through the protocol (src/common/protocol.ts).',
            },
            {
              name: 'zod',
              message: 'The webview bundle carries no zod: the host validates (src/sidebar/messageSchema.ts).',
            },
            {
              name: 'zod/mini',
              message: 'The webview bundle carries no zod: the host validates (src/sidebar/messageSchema.ts).',
            },
          ],
          patterns: [
            {
              group: [
                '../src/**',
                '!../src/common',
                '../src/common/*',
                '!../src/common/protocol',
                '!../src/core/errors',
              ],
              allowTypeImports: true,
              message:
                'media/ imports values from src/ only through src/common/protocol.ts (or src/core/errors.ts); types are fine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // typescript-eslint's rule already covers these files; the base rule would report everything twice.
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The e2e tests, the harness and the benchmarks also run functions inside the workbench page (`page.evaluate`).
    files: ['test/e2e/**/*.mjs', 'scripts/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
