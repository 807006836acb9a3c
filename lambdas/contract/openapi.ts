import { version } from '../../package.json';
import * as z from '../domain/zod';
import { requestJsonSchema, type JsonSchema } from './route-schemas';
import { INLINE_CSV_MAX_BYTES, ROUTES, routeKey, type PrincipalKind, type Route, type RouteDefinition } from './routes';

interface Reference {
  $ref: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface MediaType {
  schema: JsonSchema | Reference;
}

interface RequestBody {
  required: boolean;
  content: Record<string, MediaType>;
}

interface Response {
  description: string;
  content?: Record<string, MediaType>;
}

type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId: string;
  summary: string;
  tags: PrincipalKind[];
  security?: SecurityRequirement[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, Response | Reference>;
}

export interface OpenApiDocument {
  openapi: '3.0.3';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: PrincipalKind; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

/** The body of every error answer, from a function or from the gateway itself (docs/SPEC.md §4.2). */
export const errorEnvelope = z.object({
  error: z.object({
    code: z.string().check(z.describe('Stable, machine-readable, e.g. `invalid_request`, `max_devices_reached`')),
    message: z.string(),
    details: z
      .optional(z.record(z.string(), z.unknown()))
      .check(z.describe('For invalid input, `field` names the field')),
    requestId: z.string(),
  }),
});

const ERROR_SCHEMA: Reference = { $ref: '#/components/schemas/Error' };

const ERROR_RESPONSES = {
  BadRequest: { status: '400', description: 'Invalid input; `error.details.field` names the field' },
  Unauthorized: { status: '401', description: 'Missing, unknown or incomplete credentials' },
  Forbidden: {
    status: '403',
    description: 'Not allowed: a missing or bad signature, a revoked or suspended invitation, a revoked device',
  },
  NotFound: { status: '404', description: 'No such resource' },
  PayloadTooLarge: { status: '413', description: 'The body is too large' },
  TooManyRequests: { status: '429', description: 'Throttled' },
  Error: {
    status: 'default',
    description: 'Any other error, in the same envelope: 409 conflict, 410 expired, 5xx a fault of ours',
  },
} as const;

type ErrorResponse = keyof typeof ERROR_RESPONSES;

const SECURITY_SCHEMES = {
  sigv4: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    'x-amazon-apigateway-authtype': 'awsSigv4',
    description: 'An AWS SigV4-signed request (service `execute-api`) from an IAM principal allowed to invoke the API',
  },
  invitation: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: '`Invitation <token>`: the token of an active invitation, checked by the Lambda authorizer',
  },
} as const;

type SecurityScheme = keyof typeof SECURITY_SCHEMES;

const DEVICE_HEADER: Parameter = {
  name: 'X-Prism-Device',
  in: 'header',
  required: false,
  description: 'A registered, active device of the invitation; required when the invitation is device-bound',
  schema: { type: 'string' },
};

/** How each kind of caller authenticates (docs/SPEC.md §4.1) and what that adds to its routes. */
const PRINCIPALS: Record<
  PrincipalKind,
  { description: string; scheme?: SecurityScheme; headers: Parameter[]; errors: ErrorResponse[] }
> = {
  admin: {
    description: 'Administrators: SigV4-signed requests (API Gateway `AWS_IAM`)',
    scheme: 'sigv4',
    headers: [],
    errors: ['Forbidden'],
  },
  delegate: {
    description: 'Holders of an invitation token acting on their own subtree',
    scheme: 'invitation',
    headers: [DEVICE_HEADER],
    errors: ['Unauthorized', 'Forbidden'],
  },
  recipient: {
    description: "Prism clients: the token travels in the request's body or query and the handler checks it",
    headers: [],
    errors: ['Unauthorized', 'Forbidden'],
  },
  public: { description: 'No credentials, no data', headers: [], errors: [] },
};

/** `METHOD /path` of each route in the table (not every method with every path). */
type DeclaredRouteKey<R extends Route = Route> = R extends Route ? `${R['method']} ${R['path']}` : never;

/** Request headers some routes read besides their principal's. */
const ROUTE_HEADERS: { [K in DeclaredRouteKey]?: Parameter[] } = {
  'POST /invitations': [
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        '1-255 visible ASCII characters: a repeat with the same key and body answers 200 with the same invitation',
      schema: { type: 'string' },
    },
  ],
  'POST /batches': [
    {
      name: 'X-Prism-Parent-Token',
      in: 'header',
      required: false,
      description: 'With a `text/csv` body: the token of the parent the rows are created under',
      schema: { type: 'string' },
    },
  ],
};

const CSV_BODY: MediaType = {
  schema: {
    type: 'string',
    description: `A CSV of up to ${INLINE_CSV_MAX_BYTES / 1024 ** 2} MiB; its options travel in the query string`,
  },
};

const SUCCESS: Response = {
  description: 'Success',
  content: {
    'application/json': {
      schema: { type: 'object', description: "Its fields are listed in the README's route table" },
    },
  },
};

const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);

const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `GET /invitations/{id}/devices` → `getInvitationsByIdDevices`: stable as long as the route is. */
export function operationIdOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
      return parameter ? ['by', parameter] : segment.split(/[^A-Za-z0-9]+/);
    });
  return [route.method.toLowerCase(), ...words.filter((word) => word !== '').map(capitalised)].join('');
}

function queryParameters(route: RouteDefinition): Parameter[] {
  if (!route.query) return [];
  const { properties = {}, required = [] } = requestJsonSchema(route.query, 'openapi-3.0');
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(route.acceptsCsv && { description: 'With a `text/csv` body' }),
    schema: schema as JsonSchema,
  }));
}

function parametersOf(route: RouteDefinition): Parameter[] {
  const path = pathParameterNames(route.path).map((name): Parameter => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const headers = [
    ...PRINCIPALS[route.principal].headers,
    ...(ROUTE_HEADERS[routeKey(route) as DeclaredRouteKey] ?? []),
  ];
  return [...path, ...queryParameters(route), ...headers];
}

function requestBodyOf(route: RouteDefinition): RequestBody | undefined {
  if (!route.body && !route.acceptsCsv) return undefined;
  return {
    // A request without a body is read as `{}`, so only a schema that refuses `{}` makes the body required.
    required: route.body ? !z.safeParse(route.body, {}).success : true,
    content: {
      ...(route.body && { 'application/json': { schema: requestJsonSchema(route.body, 'openapi-3.0') } }),
      ...(route.acceptsCsv && { 'text/csv': CSV_BODY }),
    },
  };
}

function errorResponsesOf(route: RouteDefinition): ErrorResponse[] {
  const takesBody = route.body !== undefined || route.acceptsCsv === true;
  const hasPathParameters = pathParameterNames(route.path).length > 0;
  const takesInput = takesBody || route.query !== undefined || hasPathParameters;
  return [
    ...(takesInput ? (['BadRequest'] as const) : []),
    ...PRINCIPALS[route.principal].errors,
    ...(hasPathParameters ? (['NotFound'] as const) : []),
    ...(takesBody ? (['PayloadTooLarge'] as const) : []),
    'TooManyRequests',
    'Error',
  ];
}

function operationOf(route: RouteDefinition): Operation {
  const { scheme } = PRINCIPALS[route.principal];
  const parameters = parametersOf(route);
  const requestBody = requestBodyOf(route);
  const errors = errorResponsesOf(route).map((name) => [
    ERROR_RESPONSES[name].status,
    { $ref: `#/components/responses/${name}` },
  ]);
  return {
    operationId: operationIdOf(route),
    summary: route.summary,
    tags: [route.principal],
    ...(scheme && { security: [{ [scheme]: [] }] }),
    ...(parameters.length > 0 && { parameters }),
    ...(requestBody && { requestBody }),
    responses: { [String(route.status)]: SUCCESS, ...Object.fromEntries(errors) },
  };
}

/**
 * The OpenAPI 3.0 document of the API, built from the route table and its request schemas alone. It has no
 * `servers`: `GET /openapi.json` adds the API's configured URL.
 */
export function openApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of ROUTES as readonly RouteDefinition[]) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Prism Invitation Registry',
      version,
      description: 'Invitations, their devices, batches, jobs and the audit log. Every error answers `Error`.',
    },
    tags: (Object.keys(PRINCIPALS) as PrincipalKind[]).map((name) => ({
      name,
      description: PRINCIPALS[name].description,
    })),
    paths,
    components: {
      // The input side leaves the envelope open: clients should ignore fields it may gain.
      schemas: { Error: z.toJSONSchema(errorEnvelope, { target: 'openapi-3.0', io: 'input' }) },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([name, { description }]) => [
          name,
          { description, content: { 'application/json': { schema: ERROR_SCHEMA } } },
        ]),
      ),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
