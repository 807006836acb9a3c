import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Message {
  ruleId: string | null;
  severity: number;
  message: string;
}

/** A file of a layer importing `source`; `rule` is the words the lint message must say, or null when legal. */
interface Case {
  filePath: string;
  source: string;
  rule: string | null;
}

const crossing = (filePath: string, source: string, rule: string): Case => ({ filePath, source, rule });
const legal = (filePath: string, source: string): Case => ({ filePath, source, rule: null });

const DOMAIN_PURE = 'the domain is pure';
const DOMAIN_NO_IO = 'the domain does no I/O';
const PORTS_INSIDE = 'ports declare what use cases need in domain terms';
const PORTS_NO_AWS = 'ports are interfaces';
const USE_CASES_PORTS = 'use cases depend on ports, not adapters';
const USE_CASES_AWS = 'use cases reach AWS only through ports';
const USE_CASES_CALLED = 'use cases are called by handlers';
const USE_CASES_DOMAIN = 'use cases take and return domain values';
const HANDLERS_ROOT = 'handlers get adapters from the composition root';
const MANIFEST = 'system/ is the deploy manifest';
const CLI_CONTRACT = 'the CLI is an HTTP client';
const CLI_STACK = "the CLI may read the embedded stack's files";

const USE_CASE = 'lambdas/usecases/invitations/x.ts';
const HANDLER = 'lambdas/handlers/x.ts';

const cases: Case[] = [
  crossing('lambdas/domain/x.ts', '../adapters/objects', DOMAIN_PURE),
  crossing('lambdas/domain/x.ts', '../../system/resources', DOMAIN_PURE),
  crossing('lambdas/domain/csv/x.ts', '../../usecases/lookup', DOMAIN_PURE),
  crossing('lambdas/domain/csv/x.ts', '../../contract/views', DOMAIN_PURE),
  crossing('lambdas/domain/x.ts', 'node:fs', DOMAIN_NO_IO),
  crossing('lambdas/domain/x.ts', 'node:fs/promises', DOMAIN_NO_IO),
  crossing('lambdas/domain/csv/x.ts', '@aws-sdk/client-s3', DOMAIN_NO_IO),
  legal('lambdas/domain/x.ts', './invitation'),
  legal('lambdas/domain/x.ts', './csv/results'),
  legal('lambdas/domain/csv/x.ts', '../invitation'),
  legal('lambdas/domain/csv/x.ts', './reader'),
  legal('lambdas/domain/x.ts', 'node:crypto'),
  legal('lambdas/domain/csv/x.ts', 'csv-parse'),

  crossing('lambdas/ports/x.ts', '../adapters/registry-store', PORTS_INSIDE),
  crossing('lambdas/ports/x.ts', '../usecases/deps', PORTS_INSIDE),
  crossing('lambdas/ports/x.ts', '../contract/views', PORTS_INSIDE),
  crossing('lambdas/ports/x.ts', '@aws-sdk/lib-dynamodb', PORTS_NO_AWS),
  legal('lambdas/ports/x.ts', '../domain/invitation'),
  legal('lambdas/ports/x.ts', './objects'),

  crossing(USE_CASE, '../../adapters/registry-store', USE_CASES_PORTS),
  crossing(USE_CASE, '../../adapters', USE_CASES_PORTS),
  crossing('lambdas/usecases/x.ts', '../adapters/composition', USE_CASES_PORTS),
  crossing(USE_CASE, '@aws-sdk/client-s3', USE_CASES_AWS),
  crossing(USE_CASE, '../../handlers/http', USE_CASES_CALLED),
  crossing(USE_CASE, '../../contract/views', USE_CASES_DOMAIN),
  crossing(USE_CASE, '../../../system/resources', MANIFEST),
  legal(USE_CASE, '../../ports/invitations'),
  legal(USE_CASE, '../../domain/invitation'),
  legal(USE_CASE, './issue'),
  legal(USE_CASE, '../batch/start'),

  crossing(HANDLER, '../adapters/objects', HANDLERS_ROOT),
  crossing(HANDLER, '../adapters/composition-helpers', HANDLERS_ROOT),
  crossing(HANDLER, '../../system/functions', MANIFEST),
  legal(HANDLER, '../adapters/composition'),
  legal(HANDLER, '../usecases/invitations/issue'),
  legal(HANDLER, '../contract/views'),
  legal(HANDLER, '../config'),

  crossing('lambdas/adapters/x.ts', '../../system/resources', MANIFEST),
  crossing('lambdas/contract/x.ts', '../../system/functions', MANIFEST),
  crossing('lambdas/x.ts', '../system/resources', MANIFEST),
  legal('lambdas/config.ts', '../system/resources'),
  legal('lib/constructs/x.ts', '../../system/functions'),
  legal('local/stack/x.ts', '../../system/resources'),
  legal('bench/shared/x.ts', '../../system/resources'),
  legal('test/unit/x.test.ts', '../../system/resources'),

  crossing('cli/x.ts', '../lambdas/domain/invitation', CLI_CONTRACT),
  crossing('cli/commands/x.ts', '../../lambdas/usecases/lookup', CLI_CONTRACT),
  crossing('cli/x.ts', '../lambdas/config', CLI_CONTRACT),
  crossing('cli/x.ts', '../system/resources', MANIFEST),
  crossing('cli/x.ts', '../local/gateway/sigv4', CLI_STACK),
  crossing('cli/x.ts', '../local/stack/stack', CLI_STACK),
  legal('cli/x.ts', '../lambdas/contract/views'),
  legal('cli/commands/x.ts', '../../lambdas/contract/routes'),
  legal('cli/x.ts', '../local/stack/paths'),
  legal('cli/x.ts', '../local/stack/stack-file'),
  legal('cli/x.ts', './session'),
  legal('cli/x.ts', 'commander'),
];

const snippet = ({ filePath, source }: Case) => ({
  filePath,
  code: `import { value } from '${source}';\n\nexport const used = value;\n`,
});

/** Each case's `no-restricted-imports` messages, linted by the project's own config in one ESLint run. */
function lintCases(): Message[][] {
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(cases.map(snippet)),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`ESLint did not run: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as Message[][];
  return results.map((messages) => messages.filter(({ ruleId }) => ruleId === 'no-restricted-imports'));
}

describe('ESLint keeps the layers (docs/ARCHITECTURE.md)', () => {
  let linted: Message[][] = [];
  beforeAll(() => {
    linted = lintCases();
  }, 60_000);

  const crossings = cases.flatMap(({ filePath, source, rule }, index) =>
    rule === null ? [] : [[filePath, source, rule, index] as const],
  );
  const legals = cases.flatMap(({ filePath, source, rule }, index) =>
    rule === null ? [[filePath, source, index] as const] : [],
  );

  test.each(crossings)('%s importing %s fails: %s', (_filePath, _source, rule, index) => {
    const messages = linted[index];
    expect(messages).toEqual([expect.objectContaining({ severity: 2, message: expect.stringContaining(rule) })]);
    expect(messages?.[0]?.message).toContain('docs/ARCHITECTURE.md');
  });

  test.each(legals)('%s may import %s', (_filePath, _source, index) => {
    expect(linted[index]).toEqual([]);
  });

  test('the map the messages point to is in the repository', () => {
    expect(existsSync(join(ROOT, 'docs', 'ARCHITECTURE.md'))).toBe(true);
  });
});
