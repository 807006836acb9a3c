import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Message {
  ruleId: string | null;
  message: string;
}

const CONTRACT = 'the console is an HTTP client in a browser';
const VIEWS = 'the console takes only types from lambdas/contract/views';
const NO_NODE = 'the console runs in a browser';

/** A console file and what it says: `rule` is the words a lint message must hold, or null when the code is legal. */
const cases: { filePath: string; code: string; rule: string | null }[] = [
  { filePath: 'console/src/x.ts', code: "import { value } from '../../cli/http';", rule: CONTRACT },
  {
    filePath: 'console/src/views/x/y.tsx',
    code: "import { value } from '../../../../local/stack/paths';",
    rule: CONTRACT,
  },
  { filePath: 'console/src/api/x.ts', code: "import { value } from '../../build';", rule: CONTRACT },
  {
    filePath: 'console/src/api/x.ts',
    code: "import { value } from '../../../lambdas/usecases/lookup';",
    rule: CONTRACT,
  },
  { filePath: 'console/src/x.ts', code: "import { value } from 'node:fs';", rule: CONTRACT },
  {
    filePath: 'console/src/x.ts',
    code: "import { invitationView as value } from '../../lambdas/contract/views';",
    rule: VIEWS,
  },
  { filePath: 'console/src/x.ts', code: "const value = Buffer.from('');", rule: NO_NODE },
  { filePath: 'console/src/x.ts', code: 'const value = process.env;', rule: NO_NODE },
  {
    filePath: 'console/src/x.ts',
    code: "import type { InvitationView as value } from '../../lambdas/contract/views';",
    rule: null,
  },
  {
    filePath: 'console/src/model/x.ts',
    code: "import { LIMITS as value } from '../../../lambdas/domain/invitation';",
    rule: null,
  },
  {
    filePath: 'console/src/views/x/y.tsx',
    code: "import { INLINE_CSV_MAX_BYTES as value } from '../../../../lambdas/contract/routes';",
    rule: null,
  },
  { filePath: 'console/src/views/x/y.tsx', code: "import { value } from '../../ui/page';", rule: null },
  { filePath: 'console/src/x.ts', code: "import { value } from 'preact/hooks';", rule: null },
];

const RULES = ['@typescript-eslint/no-restricted-imports', 'no-restricted-globals'];

/** Each case's messages of the console's rules, linted by console/eslint.config.js as `npm run check:console` does. */
function lintCases(): Message[][] {
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(
      cases.map(({ filePath, code }) => ({ filePath, code: `${code}\n\nexport const used = value;\n` })),
    ),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`ESLint did not run: ${run.stderr}`);
  return (JSON.parse(run.stdout) as Message[][]).map((messages) =>
    messages.filter(({ ruleId }) => ruleId !== null && RULES.includes(ruleId)),
  );
}

describe('ESLint keeps the console a browser client of the wire contract (docs/CONSOLE.md)', () => {
  let linted: Message[][] = [];
  beforeAll(() => {
    linted = lintCases();
  }, 60_000);

  test.each(cases.map((entry, index) => [entry.filePath, entry.code, entry.rule, index] as const))(
    '%s: %s → %s',
    (_filePath, _code, rule, index) => {
      if (rule === null) return expect(linted[index]).toEqual([]);
      expect(linted[index]).toEqual([expect.objectContaining({ message: expect.stringContaining(rule) })]);
      expect(linted[index]?.[0]?.message).toContain('docs/CONSOLE.md');
    },
  );
});
