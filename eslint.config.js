// The house rules, enforced: see docs/ARCHITECTURE.md ("Rooms and their doors").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Server packages a browser bundle must never pull in (Better Auth's client entries are fine). */
const SERVER_ONLY_PACKAGES = [
  'fastify',
  'fastify-*',
  '@fastify/*',
  'kysely',
  'pg',
  'better-sqlite3',
  'nodemailer',
  'pino',
  'prom-client',
  '@node-rs/*',
  'better-auth/plugins',
  'better-auth/db*',
  'better-auth/api',
];
const SERVER_ONLY_PATHS = [{ name: 'better-auth', message: 'Better Auth itself is server code: the web uses better-auth/react.' }];

/** What scripts run by Node see without imports. */
const NODE_GLOBALS = { process: 'readonly', URL: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' };

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'packages/*/bin/**', 'bench/peers/**', 'web/postcss.config.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs', 'bin/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error: handle it, or say `void` on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' }],
    },
  },
  {
    files: ['scripts/*.mjs', 'bin/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // Migrations take Kysely<any> by design (they run against any schema version).
    files: ['src/db/migrations/**', 'src/db/migrate.ts', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tools require these default exports (React.lazy loads pages by their default export).
    files: ['eslint.config.js', 'vitest.config.ts', 'web/vite.config.ts', 'web/src/pages/**/*Page.tsx'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Services decide; they know nothing of HTTP and write no SQL.
    files: ['src/modules/**/*.service.ts', 'src/modules/**/use-cases/**', 'src/modules/**/*.use-case.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify', 'fastify-*', '@fastify/*', '**/http/*'], message: 'Services know nothing of HTTP: take plain values, throw AppError.' },
            { group: ['kysely'], allowTypeImports: true, message: 'Only repositories write SQL: call a repository method.' },
            { group: ['**/*.repository.js'], allowTypeImports: true, message: 'Repositories come in through deps (typed with Pick<>), not imports.' },
          ],
        },
      ],
    },
  },
  {
    // Query builders live in repositories (and the database layer itself).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.repository.ts', 'src/db/**', 'src/mail/outbox.repository.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'kysely', message: 'Only repositories write SQL.', allowTypeImports: true }] }],
    },
  },
  {
    // The web UI talks to the server through HTTP and the contract, nothing else of the server.
    files: ['web/src/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/*', '../../src/**', '../../../src/**'], message: 'The web imports only @allot/contract from the server side.' },
            { group: SERVER_ONLY_PACKAGES, message: 'Server code must not reach the browser bundle.' },
          ],
          paths: SERVER_ONLY_PATHS,
        },
      ],
    },
  },
  {
    // The contract runs in browsers and in the server: zod only.
    files: ['packages/contract/src/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/*', '../../../src/**', 'node:*'], message: 'The contract imports nothing of the server and nothing Node-only.' },
            { group: SERVER_ONLY_PACKAGES, message: 'The contract must run in browsers.' },
          ],
          paths: SERVER_ONLY_PATHS,
        },
      ],
    },
  },
);
