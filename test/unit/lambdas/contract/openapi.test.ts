import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { openApiDocument, operationIdOf, type Operation, type Parameter } from '../../../../lambdas/contract/openapi';
import { requestJsonSchema } from '../../../../lambdas/contract/route-schemas';
import { ROUTES, type RouteDefinition } from '../../../../lambdas/contract/routes';
import { projectRoot } from '../../../../local/stack/paths';

const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const document = asJson(openApiDocument());
const routes: readonly RouteDefinition[] = ROUTES;

const operationOf = (route: RouteDefinition): Operation => {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${route.method} ${route.path} is not in the document`);
  return operation;
};

const parametersIn = (operation: Operation, where: Parameter['in']) =>
  (operation.parameters ?? []).filter((parameter) => parameter.in === where);

/** The fields of a query or body schema and whether each is required, read from zod rather than its JSON Schema. */
function fieldsOf(schema: z.ZodMiniType): Record<string, boolean> {
  const { shape } = schema as unknown as z.ZodMiniObject;
  return Object.fromEntries(
    Object.entries(shape).map(([name, field]) => [name, !z.safeParse(field, undefined).success]),
  );
}

/** The keywords an OpenAPI 3.0 Schema Object may hold (no `$schema`, `$defs`, `const`, `examples`, ...). */
const SCHEMA_KEYWORDS = new Set(
  (
    'title multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern maxItems minItems ' +
    'uniqueItems maxProperties minProperties required enum type allOf oneOf anyOf not items properties ' +
    'additionalProperties description format default nullable discriminator readOnly writeOnly xml externalDocs ' +
    'example deprecated $ref'
  ).split(' '),
);

/** Every problem with a schema and the schemas inside it, as `path: problem`. */
function schemaProblems(schema: unknown, path: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [`${path}: not an object`];
  const record = schema as Record<string, unknown>;
  const own = Object.keys(record)
    .filter((keyword) => !SCHEMA_KEYWORDS.has(keyword) && !keyword.startsWith('x-'))
    .map((keyword) => `${path}: ${keyword} is not an OpenAPI 3.0 keyword`);
  const exclusive = ['exclusiveMinimum', 'exclusiveMaximum']
    .filter((keyword) => keyword in record && typeof record[keyword] !== 'boolean')
    .map((keyword) => `${path}: ${keyword} must be a boolean in OpenAPI 3.0`);
  const nested = [
    ...Object.entries((record.properties ?? {}) as Record<string, unknown>).map(([name, sub]) => [
      `properties.${name}`,
      sub,
    ]),
    ...(['allOf', 'anyOf', 'oneOf'] as const).flatMap((keyword) =>
      ((record[keyword] ?? []) as unknown[]).map((sub, n) => [`${keyword}.${n}`, sub]),
    ),
    ...(['items', 'not'] as const).filter((keyword) => keyword in record).map((keyword) => [keyword, record[keyword]]),
    ...(typeof record.additionalProperties === 'object'
      ? [['additionalProperties', record.additionalProperties] as const]
      : []),
  ];
  return [...own, ...exclusive, ...nested.flatMap(([name, sub]) => schemaProblems(sub, `${path}.${String(name)}`))];
}

/** Every `$ref` in the document, with where it is. */
function refsIn(value: unknown, path = '#'): { path: string; ref: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, sub]) =>
    key === '$ref' && typeof sub === 'string' ? [{ path, ref: sub }] : refsIn(sub, `${path}/${key}`),
  );
}

const resolve = (ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], document);

describe('the OpenAPI document', () => {
  test('docs/openapi.json is the generated document (run `npm run openapi` after changing routes or schemas)', () => {
    const committed = JSON.parse(readFileSync(join(projectRoot(), 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(document);
  });

  test('is OpenAPI 3.0.3 at the version of package.json, with no servers of its own', () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
    expect(document.openapi).toBe('3.0.3');
    expect(document.info.version).toBe(version);
    expect(document.servers).toBeUndefined();
  });

  test('has exactly the operations of the route table', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(routes.map(({ method, path }) => `${method} ${path}`).sort());
  });

  test.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'describes %s: summary, principal, path and query parameters, body, success status',
    (_key, route) => {
      const operation = operationOf(route);
      expect(operation).toMatchObject({ summary: route.summary, tags: [route.principal] });
      expect(operation.responses[String(route.status)]).toBeDefined();

      const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(parametersIn(operation, 'path').map(({ name, required }) => [name, required])).toEqual(
        pathNames.map((name) => [name, true]),
      );

      const query = Object.fromEntries(parametersIn(operation, 'query').map(({ name, required }) => [name, required]));
      expect(query).toEqual(route.query ? fieldsOf(route.query) : {});

      const content = operation.requestBody?.content ?? {};
      expect(Object.keys(content).sort()).toEqual(
        [...(route.body ? ['application/json'] : []), ...(route.acceptsCsv ? ['text/csv'] : [])].sort(),
      );
      if (route.body) {
        const schema = content['application/json']!.schema as { properties: Record<string, unknown> };
        expect(schema).toEqual(asJson(requestJsonSchema(route.body, 'openapi-3.0')));
        expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(fieldsOf(route.body)).sort());
        expect(operation.requestBody!.required).toBe(!z.safeParse(route.body, {}).success);
      }
    },
  );

  test('lists GET /openapi.json itself, public', () => {
    expect(document.paths['/openapi.json']?.get).toMatchObject({ operationId: 'getOpenapiJson', tags: ['public'] });
    expect(document.paths['/openapi.json']?.get?.security).toBeUndefined();
  });

  test('asks administrators for SigV4 and delegates for their invitation token (and device); nobody else', () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.sigv4).toMatchObject({
      in: 'header',
      name: 'Authorization',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
    expect(schemes.invitation).toMatchObject({ in: 'header', name: 'Authorization' });
    for (const route of routes) {
      const operation = operationOf(route);
      const devices = parametersIn(operation, 'header').filter(({ name }) => name === 'X-Prism-Device');
      expect([route.principal, operation.security, devices.length]).toEqual(
        {
          admin: [route.principal, [{ sigv4: [] }], 0],
          delegate: [route.principal, [{ invitation: [] }], 1],
          recipient: [route.principal, undefined, 0],
          public: [route.principal, undefined, 0],
        }[route.principal],
      );
    }
  });

  test('documents the Idempotency-Key of POST /invitations as a header', () => {
    const operation = document.paths['/invitations']?.post;
    expect(operation && parametersIn(operation, 'header').map(({ name }) => name)).toEqual(['Idempotency-Key']);
  });

  test('answers every error in the shared error envelope', () => {
    for (const route of routes) {
      const errors = Object.entries(operationOf(route).responses).filter(([status]) => status !== String(route.status));
      expect(errors.map(([status]) => status)).toContain('default');
      for (const [, response] of errors)
        expect(response).toEqual({ $ref: expect.stringMatching(/^#\/components\/responses\//) });
    }
    for (const response of Object.values(document.components.responses)) {
      expect(response.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
    }
    expect(document.components.schemas.Error).toMatchObject({ required: ['error'] });
  });

  test('names every operation uniquely, after its method and path', () => {
    const ids = routes.map((route) => operationOf(route).operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(routes.map(operationIdOf));
    expect(operationIdOf({ method: 'DELETE', path: '/invitations/{id}/devices/{deviceId}' })).toBe(
      'deleteInvitationsByIdDevicesByDeviceId',
    );
    expect(operationIdOf({ method: 'DELETE', path: '/registry/revoke-all' })).toBe('deleteRegistryRevokeAll');
  });

  test('every $ref resolves', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(({ ref }) => resolve(ref) === undefined)).toEqual([]);
  });

  test('every schema uses only OpenAPI 3.0 keywords', () => {
    const schemas = [
      ...Object.entries(document.components.schemas).map(([name, schema]) => [`components.schemas.${name}`, schema]),
      ...routes.flatMap((route) => {
        const operation = operationOf(route);
        const key = `${route.method} ${route.path}`;
        return [
          ...(operation.parameters ?? []).map(({ name, schema }) => [`${key} parameter ${name}`, schema]),
          ...Object.entries(operation.requestBody?.content ?? {}).map(([type, { schema }]) => [
            `${key} ${type}`,
            schema,
          ]),
        ];
      }),
    ];
    expect(schemas.flatMap(([path, schema]) => schemaProblems(schema, String(path)))).toEqual([]);
  });
});
