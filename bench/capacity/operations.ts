import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { RegistryClient } from '../../cli/http';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { ROWS_PER_MESSAGE } from '../../lambdas/domain/batch';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import type { EmbeddedStack } from '../../local/stack/stack';
import type { FunctionName } from '../../system/functions';
import { WEBHOOK_ENDPOINTS_PARTITION } from '../../lambdas/adapters/webhook-store';
import { AUDIT_ACTIONS } from '../../lambdas/domain/audit';
import { EVENTS, PARTITIONS } from '../../system/resources';
import { CLASS_TEMPLATE_HEADER, classTemplateCells } from '../batch/class-template';
import { adminClient } from '../shared/admin-client';
import type { StoredItem } from '../shared/request-units';
import { recordSdkCalls, type SdkCall } from '../shared/sdk-calls';

/** What one operation made the functions send, and which functions it invoked (beside the batch worker's). */
export interface OperationRecording {
  name: string;
  /** The functions the operation invokes; the batch worker's invocations are counted from its messages. */
  invoked: FunctionName[];
  /** Requests through API Gateway. */
  apiRequests: number;
  calls: SdkCall[];
}

interface Operation {
  name: string;
  invoked: FunctionName[];
  /** Sets up what the operation needs; its calls are not recorded. */
  prepare(): Promise<() => Promise<unknown>>;
}

/** Tries of one operation until two record the same figures: a scheduled function's call cannot slip in. */
const MAX_TRIES = 4;
/** The batch is done once the recording has been quiet this long after its completion event. */
const BATCH_QUIET_MS = 1_500;
const BATCH_TIME_LIMIT_MS = 120_000;

/** The two batch sizes the per-chunk figures are the difference of, in chunks. */
export const BATCH_CHUNKS = [10, 20] as const;

/**
 * What a try's figures depend on: requests, units and entries, and each request's busiest partition (audit
 * events spread over shards at random, so the others vary from try to try).
 */
const signature = (calls: readonly SdkCall[]) =>
  JSON.stringify(
    calls
      .map(({ service, operation, units, entries }) => {
        const partitions = Object.values(units?.partitions ?? {});
        const busiest = Math.max(0, ...partitions.map(({ read, write }) => read + write));
        return JSON.stringify([
          service,
          operation,
          units?.readUnits,
          units?.writeUnits,
          units?.indexWriteUnits,
          entries,
          busiest,
        ]);
      })
      .sort(),
  );

/**
 * A request of the audit table's stream readers, which run after whatever wrote the events, in the same process
 * here, as many times as the stream happens to batch the records: the audit publisher's PutEvents and the event
 * dispatcher's read of the webhook endpoints. None is an operation's own request (the audit events an operation writes are
 * in its DynamoDB writes; what the readers cost is in docs/CAPACITY.md's "Not in the figures").
 */
const isStreamReader = ({ service, operation, detailTypes = [], body = '' }: SdkCall) =>
  (service === 'eventbridge' && detailTypes.every((type) => (AUDIT_ACTIONS as readonly string[]).includes(type))) ||
  (service === 'dynamodb' && operation === 'Query' && readsWebhookEndpoints(body));

const readsWebhookEndpoints = (body: string) =>
  Object.values(
    (JSON.parse(body) as { ExpressionAttributeValues?: Record<string, { S?: string }> }).ExpressionAttributeValues ??
      {},
  ).some((value) => value.S === WEBHOOK_ENDPOINTS_PARTITION);

async function recorded(
  stored: StoredItem,
  run: () => Promise<unknown>,
  settled?: (calls: SdkCall[]) => Promise<void>,
) {
  const recording = recordSdkCalls({ stored });
  try {
    await run();
    await settled?.(recording.calls);
  } finally {
    await recording.stop();
  }
  return recording.calls.filter((call) => !isStreamReader(call));
}

/** Resolves once the batch's BatchCompleted has been put and no request has followed for BATCH_QUIET_MS. */
async function batchSettled(calls: SdkCall[]): Promise<void> {
  const deadline = performance.now() + BATCH_TIME_LIMIT_MS;
  for (;;) {
    const last = calls.filter((call) => !isStreamReader(call)).at(-1)?.endedAt ?? 0;
    const completed = calls.some((call) => call.detailTypes?.includes(EVENTS.batchCompleted));
    if (completed && performance.now() - last > BATCH_QUIET_MS) return;
    if (performance.now() > deadline) throw new Error('the measured batch did not complete in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(
  stored: StoredItem,
  operation: Operation,
  settled?: (calls: SdkCall[]) => Promise<void>,
): Promise<OperationRecording> {
  const seen = new Map<string, SdkCall[]>();
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const calls = await recorded(stored, await operation.prepare(), settled);
    const key = signature(calls);
    if (seen.has(key)) return { name: operation.name, invoked: operation.invoked, apiRequests: 1, calls };
    seen.set(key, calls);
  }
  throw new Error(`${operation.name}: no two of ${MAX_TRIES} tries sent the same requests`);
}

const csvOf = (rows: number) =>
  new TextEncoder().encode(
    [CLASS_TEMPLATE_HEADER, ...Array.from({ length: rows }, (_, n) => classTemplateCells(n + 1))]
      .map((cells) => `${cells.join(',')}\n`)
      .join(''),
  );

/**
 * The operations the capacity model prices, each through the embedded stack's gateway as a client would send
 * it, on invitations two levels below a root (as an organisation's members are, so each use also reads and
 * checks their ancestors). Device ids, names and hosts have fixed lengths, so item sizes do not vary by run.
 */
function operations(client: RegistryClient) {
  let devices = 0;
  const nextDevice = () => `capacity-device-${String(devices++).padStart(6, '0')}`;
  const device = () => ({ deviceId: nextDevice(), hostname: 'capacity-host', username: 'capacity-user' });
  const create = (body: Record<string, unknown>) =>
    client.admin<IssuedInvitation>({ method: 'POST', path: '/invitations', body });
  const register = (token: string, deviceId: string) => () =>
    client.recipient({
      method: 'POST',
      path: '/registry/register',
      body: { invitation_token: token, device_id: deviceId, hostname: 'capacity-host', username: 'capacity-user' },
    });
  const member = (parentId: string) =>
    create({ name: 'capacity member', type: 'read_write', maxDevices: 5, transferable: true, parentId });

  return async (): Promise<{ operations: Operation[]; batches: Operation[]; rootId: string }> => {
    const root = await create({ name: 'capacity root', type: 'admin', maxDescendants: 1_000_000, maxDevices: 5 });
    const unit = await create({
      name: 'capacity unit',
      type: 'admin',
      canInvite: true,
      maxDescendants: 100_000,
      maxDevices: 5,
      parentId: root.invitation.id,
    });
    const parentId = unit.invitation.id;
    const registered = async (issued?: IssuedInvitation) => {
      const invitation = issued ?? (await member(parentId));
      const deviceId = nextDevice();
      await register(invitation.token, deviceId)();
      return { issued: invitation, deviceId };
    };
    // Delegates are device-bound: they call from a registered device.
    const delegateDevice = (await registered(unit)).deviceId;
    const batch = (chunks: number): Operation => ({
      name: `batch of ${chunks * ROWS_PER_MESSAGE} rows`,
      invoked: ['batches', 'batchSplitter'],
      prepare: async () => () =>
        client.admin({
          method: 'POST',
          path: '/batches',
          query: { parentId, concurrency: '1' },
          csv: csvOf(chunks * ROWS_PER_MESSAGE),
        }),
    });
    return {
      operations: [
        {
          name: 'validate',
          invoked: ['registry'],
          prepare: async () => {
            const { issued, deviceId } = await registered();
            return () =>
              client.recipient({
                method: 'GET',
                path: '/registry/validate',
                query: { token: issued.token, device: deviceId },
              });
          },
        },
        {
          name: 'register',
          invoked: ['registry'],
          prepare: async () => register((await member(parentId)).token, nextDevice()),
        },
        {
          name: 'accept',
          invoked: ['accept'],
          prepare: async () => {
            const issued = await member(parentId);
            return () =>
              client.recipient({
                method: 'POST',
                path: '/accept',
                body: { encoded: issued.encoded, device: device() },
              });
          },
        },
        {
          name: 'create invitation',
          invoked: ['invitationsCreate'],
          prepare: async () => () => member(parentId),
        },
        {
          name: 'delegate',
          invoked: ['authorizer', 'delegate'],
          prepare: async () => () =>
            client.recipient({
              method: 'POST',
              path: '/delegate/invitations',
              headers: { authorization: `Invitation ${unit.token}`, 'x-prism-device': delegateDevice },
              body: { name: 'capacity member', type: 'read_write', maxDevices: 5, transferable: true },
            }),
        },
        {
          name: 'revoke invitation',
          invoked: ['invitationsManage'],
          prepare: async () => {
            const { issued } = await registered();
            return () =>
              client.admin({ method: 'POST', path: `/invitations/${issued.invitation.id}/revoke`, body: {} });
          },
        },
        {
          name: 'revoke device',
          invoked: ['registry'],
          prepare: async () => {
            const { issued, deviceId } = await registered();
            return () =>
              client.recipient({
                method: 'DELETE',
                path: '/registry/revoke',
                query: { token: issued.token, device: deviceId },
              });
          },
        },
      ],
      batches: BATCH_CHUNKS.map(batch),
      rootId: root.invitation.id,
    };
  };
}

export interface Measured {
  operations: OperationRecording[];
  /** The partition of the root the measured invitations sit under. */
  rootPartition: string;
  /** The batches of BATCH_CHUNKS chunks, in that order. */
  batches: OperationRecording[];
}

/**
 * Runs every operation against `stack` with the SDK's requests recorded (this process runs the functions), each
 * DynamoDB request priced in units; items a write names only by key are read back by a client of its own.
 */
export async function measureOperations(stack: EmbeddedStack): Promise<Measured> {
  const dynamodb = new DynamoDBClient({
    endpoint: stack.emulators.dynamodb,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
  });
  const stored: StoredItem = async (table, key) => {
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: key as never, ConsistentRead: true }),
    );
    return Item && unmarshall(Item);
  };
  try {
    const planned = await operations(adminClient(stack))();
    const measured: OperationRecording[] = [];
    for (const operation of planned.operations) measured.push(await measure(stored, operation));
    const batches: OperationRecording[] = [];
    for (const batch of planned.batches) batches.push(await measure(stored, batch, batchSettled));
    return { operations: measured, batches, rootPartition: `${PARTITIONS.invitation}${planned.rootId}` };
  } finally {
    dynamodb.destroy();
  }
}
