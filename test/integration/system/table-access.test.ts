import type { APIGatewayRequestAuthorizerEvent, Context, SQSBatchResponse } from 'aws-lambda';
import { config } from '../../../lambdas/config';
import {
  FUNCTIONS,
  TABLE_ACCESS,
  type FunctionDefinition,
  type FunctionName,
  type TableAccessLevel,
} from '../../../system/functions';
import { handler as auditArchiver } from '../../../lambdas/handlers/audit-archiver';
import { handler as authorizer } from '../../../lambdas/handlers/authorizer';
import { handler as jobDeadLetters } from '../../../lambdas/handlers/job-dead-letters';
import { newLocalCredentials } from '../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../local/gateway/gateway';
import { sqsEvent } from '../../../local/events/sqs-event';
import { call, signedCall } from '../../support/gateway-client';
import { recordTableCalls, type TableCall } from '../../support/table-calls';

/**
 * The narrow table access levels of FUNCTIONS against what the functions' code paths ask DynamoDB for, read off
 * the wire while the real handlers serve every route and message they take: each action a level grants is used,
 * none it does not grant is, every item lies in the partitions it names and no index is read. The embedded stack
 * enforces no IAM: these are the requests AWS would judge.
 */
jest.setTimeout(60_000);

const credentials = newLocalCredentials();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials });
});
afterAll(() => gateway.close());

interface Issued {
  invitation: { id: string };
  token: string;
  encoded: string;
}

const JSON_BODY = { 'content-type': 'application/json' };
const ARCHIVE_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:prism-registry-archive-jobs';
/** The Lambda context of a queue-fed function, with all the time it needs. */
const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

async function create(body: object): Promise<Issued> {
  const response = await signedCall(gateway.url, credentials, {
    method: 'POST',
    path: '/invitations',
    headers: JSON_BODY,
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Issued;
}

/** An invitation under a parent: every registration and acceptance then checks an ancestor too. */
async function childInvitation(name: string): Promise<Issued> {
  const parent = await create({ name: `${name}-parent`, type: 'admin', canInvite: true, maxDevices: 3 });
  return create({ name, type: 'read_only', parentId: parent.invitation.id, maxDevices: 3, transferable: true });
}

/** The item actions `work` asks DynamoDB for. */
async function callsDuring(work: () => Promise<void>): Promise<TableCall[]> {
  const recording = recordTableCalls();
  try {
    await work();
  } finally {
    recording.stop();
  }
  return recording.calls;
}

async function succeeds(request: Promise<Response>): Promise<void> {
  const response = await request;
  const answer = { status: response.status, body: await response.text() };
  expect(answer).toEqual({ status: 200, body: answer.status === 200 ? answer.body : 'a 200 answer' });
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The calls hold to the function's table access level; on the audit table it only appends, if anything. */
function expectWithinItsLevel(name: FunctionName, calls: TableCall[]): void {
  const { table, audit }: FunctionDefinition = FUNCTIONS[name];
  const level = TABLE_ACCESS[table as TableAccessLevel];
  const onTable = calls.filter((call) => call.table === config.tableName());
  const onAuditLog = calls.filter((call) => call.table === config.auditTableName());
  expect(calls.length).toBe(onTable.length + onAuditLog.length);
  expect(sorted(onTable.map((call) => call.action))).toEqual(
    sorted(level.actions.map((action) => `dynamodb:${action}`)),
  );
  const outside = onTable.filter(
    (call) => call.index !== undefined || !level.partitions!.some((prefix) => call.partition?.startsWith(prefix)),
  );
  expect(outside).toEqual([]);
  expect(sorted(onAuditLog.map((call) => call.action))).toEqual(AUDIT_ACTIONS[audit ?? 'none']);
}

const AUDIT_ACTIONS = {
  none: [],
  append: ['dynamodb:PutItem'],
  read: ['dynamodb:Query'],
  appendRead: ['dynamodb:PutItem', 'dynamodb:Query'],
};

test('accept: taking an encoded invitation with a new device keeps to the acceptance level', async () => {
  const { encoded } = await childInvitation('table-access-accept');
  const calls = await callsDuring(() =>
    succeeds(
      call(gateway.url, {
        method: 'POST',
        path: '/accept',
        headers: JSON_BODY,
        body: JSON.stringify({ encoded, device: { hostname: 'host', username: 'alice' } }),
      }),
    ),
  );
  expect(FUNCTIONS.accept.table).toBe('acceptance');
  expectWithinItsLevel('accept', calls);
});

test('registry: every route of the reference client’s contract keeps to the deviceRegistry level', async () => {
  const { token } = await childInvitation('table-access-registry');
  const register = (deviceId: string) =>
    call(gateway.url, {
      method: 'POST',
      path: '/registry/register',
      headers: JSON_BODY,
      body: JSON.stringify({ invitation_token: token, device_id: deviceId, hostname: 'host', username: 'alice' }),
    });
  const calls = await callsDuring(async () => {
    await succeeds(register('device-table-access-1'));
    await succeeds(register('device-table-access-1'));
    await succeeds(register('device-table-access-2'));
    await succeeds(register('device-table-access-3'));
    // One past the cap: refused, and its device.refused event appended.
    expect((await register('device-table-access-4')).status).toBe(409);
    const device = { token, device: 'device-table-access-1' };
    await succeeds(call(gateway.url, { method: 'GET', path: '/registry/validate', query: device }));
    await succeeds(call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token } }));
    await succeeds(call(gateway.url, { method: 'DELETE', path: '/registry/revoke', query: device }));
    await succeeds(call(gateway.url, { method: 'DELETE', path: '/registry/revoke-all', query: { token } }));
  });
  expect(FUNCTIONS.registry.table).toBe('deviceRegistry');
  expectWithinItsLevel('registry', calls);
});

test('authorizer: authorizing a delegate keeps to the tokenLookup level', async () => {
  const { token } = await childInvitation('table-access-authorizer');
  const event = {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/GET/delegate/invitations',
    headers: { Authorization: `Invitation ${token}` },
  } as unknown as APIGatewayRequestAuthorizerEvent;
  const calls = await callsDuring(async () => {
    expect((await authorizer(event)).context).toMatchObject({ invitationId: expect.any(String) });
  });
  expect(FUNCTIONS.authorizer.table).toBe('tokenLookup');
  expectWithinItsLevel('authorizer', calls);
});

test('auditArchiver: a scheduled run of the archive keeps to the jobRecords level', async () => {
  const message = {
    MessageId: 'archive-1',
    Body: JSON.stringify({ schedule: 'audit-archive', time: '2031-02-01T00:30:00Z' }),
  };
  const calls = await callsDuring(async () => {
    const response = (await auditArchiver(sqsEvent([message], ARCHIVE_QUEUE_ARN), context)) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
  });
  expect(FUNCTIONS.auditArchiver.table).toBe('jobRecords');
  expectWithinItsLevel('auditArchiver', calls);
});

test('jobDeadLetters: failing a scheduled run that kept failing keeps to the jobRecords level', async () => {
  const message = {
    MessageId: 'dead-letter-1',
    Body: JSON.stringify({ schedule: 'expired-cleanup', time: '2031-01-01T02:00:00Z' }),
  };
  const calls = await callsDuring(async () => {
    const response = (await jobDeadLetters(
      sqsEvent([message], 'arn:aws:sqs:us-east-1:000000000000:prism-registry-jobs-dlq'),
      context,
    )) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
  });
  expect(FUNCTIONS.jobDeadLetters.table).toBe('jobRecords');
  expectWithinItsLevel('jobDeadLetters', calls);
});
