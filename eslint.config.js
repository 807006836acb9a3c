import tseslint from 'typescript-eslint';

/*
 * The layers (docs/ARCHITECTURE.md): handlers → use cases → ports ← adapters, the pure domain under all of them,
 * the deploy manifest (system/) read at run time through lambdas/config.ts alone, the CLI an HTTP client of the
 * wire contract. Each rule below names the layer it keeps and says the rule in words.
 */
const MAP = 'see docs/ARCHITECTURE.md';
const TS = '.ts';

/** An import source naming the folder `name` (relative paths name folders, whatever their depth). */
const naming = (name) => `(^|/)${name}(/|$)`;

const RULES = {
  domainStaysInside: `the domain is pure: it imports only the domain, never a layer above it (${MAP})`,
  domainDoesNoIo: `the domain does no I/O: no AWS SDK, no file, network or process module; adapters do that (${MAP})`,
  portsStayInside: `ports declare what use cases need in domain terms: they import only the domain and other ports (${MAP})`,
  portsHaveNoAws: `ports are interfaces: the AWS SDK belongs in their adapters (${MAP})`,
  useCasesUsePorts: `use cases depend on ports, not adapters: the composition root wires adapters in (${MAP})`,
  useCasesHaveNoAws: `use cases reach AWS only through ports: the AWS SDK belongs in lambdas/adapters (${MAP})`,
  useCasesAreCalled: `use cases are called by handlers, never the other way round (${MAP})`,
  useCasesSpeakDomain: `use cases take and return domain values, not the wire: handlers map lambdas/contract to them (${MAP})`,
  handlersGetAdaptersFromRoot: `handlers get adapters from the composition root (lambdas/adapters/composition.ts) only (${MAP})`,
  manifestThroughConfig: `system/ is the deploy manifest: functions read runtime values through lambdas/config.ts, the CLI through lambdas/contract (${MAP})`,
  cliSpeaksContract: `the CLI is an HTTP client: from lambdas/ it imports only the wire contract, lambdas/contract (${MAP})`,
  cliFindsStack: `the CLI may read the embedded stack's files to find it (local/stack/paths, local/stack/stack-file), nothing else of local/ (${MAP})`,
};

const AWS_PACKAGES = '^(@aws-sdk|@smithy|@aws-lambda-powertools|@middy)/|^(aws-lambda|aws-cdk-lib|constructs)$';
const NODE_IO = '^(node:)?(fs|net|http|https|http2|child_process|cluster|dgram|dns|tls|worker_threads)(/|$)';

/**
 * `folder`'s files may import, outside their folder, only the sibling folders of `allowed`: one block per depth,
 * since a relative import climbs one `../` per level before it names a sibling of `folder`.
 */
const staysInside = (folder, allowed, message, also) =>
  [0, 1, 2].map((depth) => ({
    files: [`${folder}/${'*/'.repeat(depth)}*${TS}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: `^(\\.\\./){${depth + 1}}(?!(${allowed.join('|')})(/|$))`, message }, ...also],
        },
      ],
    },
  }));

const restricted = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** A type says nothing at run time, so the function table's names may be used as types anywhere. */
const manifestThroughConfig = { regex: naming('system'), allowTypeImports: true, message: RULES.manifestThroughConfig };

const layers = [
  ...staysInside('lambdas/domain', ['domain'], RULES.domainStaysInside, [
    { regex: AWS_PACKAGES, message: RULES.domainDoesNoIo },
    { regex: NODE_IO, message: RULES.domainDoesNoIo },
  ]),
  ...staysInside('lambdas/ports', ['domain', 'ports'], RULES.portsStayInside, [
    { regex: AWS_PACKAGES, message: RULES.portsHaveNoAws },
  ]),
  restricted(
    ['lambdas/usecases/**'],
    [
      { regex: naming('adapters'), message: RULES.useCasesUsePorts },
      { regex: AWS_PACKAGES, message: RULES.useCasesHaveNoAws },
      { regex: naming('handlers'), message: RULES.useCasesAreCalled },
      { regex: naming('contract'), message: RULES.useCasesSpeakDomain },
      manifestThroughConfig,
    ],
  ),
  restricted(
    ['lambdas/handlers/**'],
    [
      { regex: '(^|/)adapters(/(?!composition(\\.[jt]s)?$)|$)', message: RULES.handlersGetAdaptersFromRoot },
      manifestThroughConfig,
    ],
  ),
  restricted(
    ['lambdas/adapters/**', 'lambdas/contract/**', `lambdas/*${TS}`],
    [manifestThroughConfig],
    ['lambdas/config.ts'],
  ),
  restricted(
    ['cli/**'],
    [
      { regex: '(^|/)lambdas(/(?!contract/)|$)', message: RULES.cliSpeaksContract },
      { regex: '(^|/)local(/(?!stack/(paths|stack-file)(\\.[jt]s)?$)|$)', message: RULES.cliFindsStack },
      manifestThroughConfig,
    ],
  ),
];

/*
 * What the function bundles must not carry: one zod, `zod/mini`, which the functions take from the module that gives
 * it English messages, and no `node:http`. The rule is typescript-eslint's twin of `no-restricted-imports`, so it adds
 * to the layer rules above instead of replacing them.
 */
const ZOD_MODULE = 'lambdas/domain/zod.ts';
const restrictedToo = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
const classicZod = {
  regex: '^zod(?!/(mini|locales)$)',
  message: `zod/mini is the project's zod: classic zod is three times its size in a function bundle (${MAP})`,
};
/** Node's `http` as an ES module loads Node's whole bundled undici for the `WebSocket` it exports: ~30 ms of init. */
const nodeHttp = {
  regex: '^(node:)?http$',
  message: `the functions never import node:http: as an ES module it costs every cold start ~30 ms (${MAP})`,
};
const bundleImports = [
  restrictedToo([`**/*${TS}`], [classicZod]),
  restrictedToo([ZOD_MODULE], [classicZod, nodeHttp]),
  restrictedToo(
    [`lambdas/**/*${TS}`],
    [
      classicZod,
      nodeHttp,
      {
        regex: '^zod(/|$)',
        message: `the functions import zod from ${ZOD_MODULE}, which gives zod/mini its English messages (${MAP})`,
      },
    ],
    [ZOD_MODULE],
  ),
];

export default tseslint.config(
  // console/ is a browser app with its own config (console/eslint.config.js), linted by `npm run check:console`.
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'bench/out/', 'console/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // CommonJS scripts that must run on any Node before dependencies are installed.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  ...layers,
  ...bundleImports,
);
