import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/*
 * The admin console (docs/CONSOLE.md): a browser app, a client of the wire contract like the CLI. Each rule below
 * says what it keeps in words.
 */
const MAP = 'see docs/CONSOLE.md';

const RULES = {
  consoleSpeaksContract:
    `the console is an HTTP client in a browser: of the repository it imports only the answer shapes ` +
    `(lambdas/contract/views, as types) and pure values of lambdas/domain and lambdas/contract (${MAP})`,
  viewsAreTypes: `the console takes only types from lambdas/contract/views: it never builds an answer (${MAP})`,
  noNodeGlobals: `the console runs in a browser: there is no such global there (${MAP})`,
};

/**
 * Files `depth` folders below console/src may import, outside src, only lambdas/domain and lambdas/contract: one block
 * per depth, since a relative import climbs one `../` per level before it leaves src.
 */
const staysInside = (depth) => ({
  files: [`src/${'*/'.repeat(depth)}*.{ts,tsx}`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./){${depth + 1}}(?!\\.\\./lambdas/(domain|contract)/)`,
            message: RULES.consoleSpeaksContract,
          },
          { regex: '^node:', message: RULES.consoleSpeaksContract },
          { regex: '(^|/)lambdas/contract/views$', allowTypeImports: true, message: RULES.viewsAreTypes },
        ],
      },
    ],
  },
});

const NODE_GLOBALS = ['Buffer', 'process', 'global', 'require', '__dirname', '__filename', 'setImmediate'];

export default tseslint.config(
  { ignores: ['dist/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-globals': ['error', ...NODE_GLOBALS.map((name) => ({ name, message: RULES.noNodeGlobals }))],
    },
  },
  ...[0, 1, 2, 3].map(staysInside),
);
