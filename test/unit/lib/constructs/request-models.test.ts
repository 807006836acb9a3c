import Ajv from 'ajv-draft-04';
import * as z from 'zod/mini';
import type { JsonSchema } from '../../../../lambdas/contract/route-schemas';
import { ROUTES, routeKey } from '../../../../lambdas/contract/routes';
import { requestModelSchema } from '../../../../lib/constructs/request-models';

/**
 * Bodies of every route with a body schema: what the handler accepts (the CLI's and the reference client's
 * requests among them), what both API Gateway's model and the handler refuse, and what only the handler refuses
 * (rules JSON Schema cannot state, or that the model leaves out so as never to be stricter than zod).
 */
interface Samples {
  accepted: unknown[];
  refused: unknown[];
  handlerOnly: unknown[];
}

const FINGERPRINT = 'ab'.repeat(32);
const policyRestrictions = {
  templateWhitelist: ['python-ml'],
  templateBlacklist: ['gpu-*'],
  maxInstanceTypes: ['t3.micro'],
  forbiddenRegions: ['us-east-1'],
  maxHourlyCost: 1.5,
  maxDailyBudget: 20,
};
const invitation = {
  name: 'Data team',
  type: 'read_write',
  validDays: 30,
  canInvite: true,
  transferable: false,
  deviceBound: true,
  maxDevices: 3,
  ownerAccount: '123456789012',
  ownerProfile: 'research',
  s3ConfigPath: 's3://configs/team',
  policyRestrictions,
  email: 'Data.Team@Example.org',
};
const registration = {
  invitation_token: 'tok_abc',
  device_id: 'device-1',
  timestamp: '2026-01-02T03:04:05Z',
  hostname: 'laptop',
  username: 'ada',
};

const SAMPLES: Record<string, Samples> = {
  'POST /invitations': {
    accepted: [
      invitation,
      { ...invitation, parentToken: 'tok_parent' },
      { name: 'Solo', type: 'read_only' },
      // 200 characters once trimmed, as zod measures it.
      { name: ` ${'x'.repeat(200)} `, type: 'read_only' },
      { ...invitation, email: 'ada@example.org', deliver: true },
    ],
    refused: [
      { ...invitation, colour: 'red' },
      { name: 'No type' },
      { ...invitation, validDays: '30' },
      { ...invitation, maxDevices: 6 },
      { ...invitation, policyRestrictions: { ...policyRestrictions, maxGpus: 2 } },
      { ...invitation, policyRestrictions: { maxHourlyCost: -1 } },
      { ...invitation, email: ['a@example.org'] },
      { ...invitation, email: 'ada@example.org', deliver: 'yes' },
      [invitation],
    ],
    handlerOnly: [
      { ...invitation, parentId: 'inv_1', parentToken: 'tok_parent' },
      { ...invitation, name: '   ' },
      { ...invitation, name: 'x'.repeat(201) },
      { ...invitation, validDays: 2.5 },
      { ...invitation, email: 'Data Team <data@example.org>' },
      { name: 'No address', type: 'read_only', deliver: true },
    ],
  },
  'POST /invitations/lookup': {
    accepted: [{ token: 'tok_abc' }],
    refused: [{}, { token: 42 }, { token: 'tok_abc', id: 'inv_1' }, null],
    handlerOnly: [{ token: 't'.repeat(257) }],
  },
  'POST /invitations/{id}/revoke': {
    accepted: [{ reason: 'left the team', cascade: true }, { reason: 'lost laptop' }, {}],
    refused: [{ cascade: 'yes' }, { force: true }],
    handlerOnly: [{ reason: 'r'.repeat(501) }],
  },
  'POST /invitations/{id}/rotate': {
    accepted: [{}],
    refused: [{ reason: 'leaked' }, [], 'rotate'],
    handlerOnly: [],
  },
  'POST /invitations/{id}/send': {
    accepted: [{}],
    refused: [{ email: 'someone@example.org' }, [], 'send'],
    handlerOnly: [],
  },
  'POST /batches': {
    accepted: [
      { includeEncoded: true, concurrency: 10, hasHeader: 'true', s3ConfigPath: 's3://configs/batch' },
      { includeEncoded: 'false', parentToken: 'tok_parent' },
      { parentId: 'inv_1' },
      { deliver: true },
      {},
    ],
    refused: [
      { concurrency: 'ten' },
      { hasHeader: 'yes' },
      { concurrency: 0 },
      { csv: 'name,type' },
      { deliver: 'yes' },
    ],
    handlerOnly: [{ parentId: 'inv_1', parentToken: 'tok_parent' }, { concurrency: 1.5 }],
  },
  'POST /exports/invitations': {
    accepted: [{ includeEncoded: true, status: 'active' }, {}],
    refused: [{ status: 'gone' }, { includeEncoded: 'true' }, { format: 'csv' }],
    handlerOnly: [],
  },
  'POST /exports/devices': {
    accepted: [{}],
    refused: [{ status: 'active' }],
    handlerOnly: [],
  },
  'POST /devices/revoke-all': {
    accepted: [{ confirm: true, reason: 'breach', concurrency: 5 }, { confirm: true }],
    refused: [{}, { confirm: false }, { confirm: 'true' }, { confirm: true, cascade: true }],
    handlerOnly: [{ confirm: true, concurrency: 2.5 }],
  },
  'POST /schedules/{job}/runs': {
    accepted: [{}],
    refused: [{ at: 'now' }],
    handlerOnly: [],
  },
  'POST /webhooks': {
    accepted: [
      { url: 'https://hooks.example.org/prism', events: ['device.registered', 'batch.completed'] },
      { url: 'https://hooks.slack.com/services/T/B/X', events: ['*'], kind: 'slack', description: 'Ops channel' },
    ],
    refused: [
      { events: ['*'] },
      { url: 'https://example.org', events: [] },
      { url: 'https://example.org', events: ['*'], secret: 'x' },
    ],
    handlerOnly: [{ url: 'https://example.org', events: ['invitation.exploded'] }],
  },
  'POST /webhooks/{id}/test': {
    accepted: [{}],
    refused: [{ event: 'device.registered' }],
    handlerOnly: [],
  },
  'POST /delegate/invitations': {
    accepted: [invitation, { name: 'Intern', type: 'read_only' }],
    refused: [{ ...invitation, parentId: 'inv_1' }, { type: 'read_only' }, { ...invitation, canInvite: 'no' }],
    handlerOnly: [
      { ...invitation, name: '' },
      { ...invitation, email: 'a@example.org; b@example.org' },
    ],
  },
  'POST /delegate/batches': {
    accepted: [{ includeEncoded: false, concurrency: 2, hasHeader: true }, {}],
    refused: [{ parentToken: 'tok_parent' }, { concurrency: 51 }],
    handlerOnly: [{ s3ConfigPath: 's'.repeat(1025) }],
  },
  'POST /accept': {
    accepted: [
      {
        encoded: 'ENCODED',
        name: 'Laptop',
        device: {
          deviceId: 'device-1',
          hostname: 'laptop',
          username: 'ada',
          label: 'work',
          fingerprintHash: FINGERPRINT,
        },
      },
      { encoded: 'ENCODED', device: { hostname: 'laptop', username: 'ada' } },
      { encoded: 'ENCODED' },
    ],
    refused: [
      {},
      { encoded: 'ENCODED', device: { hostname: 'laptop' } },
      { encoded: 'ENCODED', device: { hostname: 'laptop', username: 'ada', serial: 'X1' } },
      { encoded: 7 },
    ],
    handlerOnly: [
      { encoded: '' },
      { encoded: 'ENCODED', device: { hostname: 'h', username: 'u', fingerprintHash: 'xyz' } },
    ],
  },
  'POST /registry/register': {
    accepted: [
      registration,
      { ...registration, timestamp: 1767322245 },
      { ...registration, timestamp: undefined },
      { ...registration, os: 'linux' },
    ],
    refused: [
      { ...registration, device_id: undefined },
      { ...registration, timestamp: true },
      { ...registration, hostname: 1 },
    ],
    handlerOnly: [{ ...registration, username: 'u'.repeat(256) }],
  },
};

/** Every route's body schema, by route key. */
const BODIES = new Map<string, z.ZodMiniType>(
  ROUTES.flatMap((route) => ('body' in route ? [[routeKey(route), route.body]] : [])),
);
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const models = new Map([...BODIES].map(([key, body]) => [key, ajv.compile(requestModelSchema(body))]));

/** Each sample of each route, for test.each: `[route, sample abridged for the title, sample]`. */
const samplesOf = (kind: keyof Samples): [string, string, unknown][] =>
  [...BODIES.keys()].flatMap((key) =>
    (SAMPLES[key]?.[kind] ?? []).map((sample): [string, string, unknown] => [
      key,
      JSON.stringify(sample).slice(0, 80),
      sample,
    ]),
  );

/** The keywords of a schema and of its subschemas (not the names of its properties). */
function keywordsOf(schema: JsonSchema | boolean): string[] {
  if (typeof schema === 'boolean') return [];
  const subschemas = [
    ...Object.values(schema.properties ?? {}),
    ...[schema.items ?? []].flat(),
    ...(schema.anyOf ?? []),
    ...(schema.additionalProperties === undefined ? [] : [schema.additionalProperties]),
  ];
  return [...Object.keys(schema), ...subschemas.flatMap(keywordsOf)];
}

const typesOf = (schema: JsonSchema): string[] => JSON.stringify(schema).match(/"type":("\w+"|\[[^\]]*\])/g) ?? [];

/** The body as the handler and API Gateway see it, after JSON on the wire. */
const wire = (body: unknown): unknown => JSON.parse(JSON.stringify(body));

const zodAccepts = (key: string, body: unknown): boolean => z.safeParse(BODIES.get(key)!, wire(body)).success;
const modelAccepts = (key: string, body: unknown): boolean => models.get(key)!(wire(body));

describe('request models', () => {
  test('every route with a body schema has samples here', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...BODIES.keys()].sort());
  });

  test.each([...BODIES])(
    '%s: a draft-04 schema without the keywords API Gateway lacks or reads unlike zod',
    (_key, body) => {
      const model = requestModelSchema(body);
      expect(model.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(ajv.validateSchema(model)).toBe(true);
      const keywords = keywordsOf(model);
      for (const keyword of [
        'pattern',
        'format',
        'oneOf',
        'allOf',
        'not',
        '$ref',
        'exclusiveMinimum',
        'exclusiveMaximum',
      ]) {
        expect(keywords).not.toContain(keyword);
      }
      expect(typesOf(model)).not.toContain('integer');
    },
  );

  test.each(samplesOf('accepted'))('%s: the model accepts what the handler accepts: %s', (key, _title, body) => {
    expect(zodAccepts(key, body)).toBe(true);
    expect(modelAccepts(key, body)).toBe(true);
  });

  test.each(samplesOf('refused'))('%s: the model refuses what the handler refuses: %s', (key, _title, body) => {
    expect(zodAccepts(key, body)).toBe(false);
    expect(modelAccepts(key, body)).toBe(false);
  });

  test.each(samplesOf('handlerOnly'))('%s: leaves this refusal to the handler: %s', (key, _title, body) => {
    expect(zodAccepts(key, body)).toBe(false);
    expect(modelAccepts(key, body)).toBe(true);
  });
});
