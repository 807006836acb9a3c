import { rfc3339 } from '../../../../../lambdas/domain/time';
import { newDeviceId } from '../../../../../lambdas/domain/tokens';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { registerWithToken, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { PARTITIONS } from '../../../../../system/resources';
import { AS_ADMIN, AS_RECIPIENT, integrationDeps } from '../../../../support/deps';
import { type TableRequest, recordTableCalls, requestsOf } from '../../../../support/table-calls';

/**
 * The recipients' hot paths as the requests they send DynamoDB Local show them on the wire: a validation reads
 * twice and writes nothing while `lastSeenAt` is fresh; a registration and an acceptance read twice and write one
 * transaction. Ancestors included: the member validated here sits two levels below its root.
 */
jest.setTimeout(60_000);

const clock = { now: new Date('2026-11-21T08:00:00Z') };
const deps = integrationDeps(clock);
const later = (seconds: number) => new Date(clock.now.getTime() + seconds * 1000);

async function requestsOfRun(run: () => Promise<unknown>): Promise<TableRequest[]> {
  const recording = recordTableCalls();
  try {
    await run();
  } finally {
    recording.stop();
  }
  return requestsOf(recording.calls);
}

const times = (count: number, action: string) => Array.from({ length: count }, () => action);
const request = (operation: string, ...actions: string[][]): TableRequest => ({
  operation,
  actions: actions.flat().sort(),
});
const INVITATION = PARTITIONS.invitation;

/** The token's lookup item. */
const tokenRead = request('GetItem', [`dynamodb:GetItem ${PARTITIONS.token}`]);
/** The invitation, its two ancestors and, when named, the device: one BatchGetItem. */
const lineageRead = (withDevice: boolean) =>
  request('BatchGetItem', times(withDevice ? 4 : 3, `dynamodb:BatchGetItem ${INVITATION}`));
/** The ancestors (and, where nothing else holds it, the invitation) still usable. */
const usable = (count: number) => times(count, `dynamodb:ConditionCheckItem ${INVITATION}`);
const deviceAdded = [`dynamodb:UpdateItem ${INVITATION}`, `dynamodb:PutItem ${INVITATION}`, 'dynamodb:PutItem AUDIT#'];
const acceptanceRecorded = [`dynamodb:PutItem ${INVITATION}`, 'dynamodb:PutItem AUDIT#'];

/** A member two levels below its root; `settings` on all three, as inheritance would narrow them otherwise. */
async function member(settings: Partial<Parameters<typeof issueInvitation>[1]> = {}) {
  const issue = (body: Parameters<typeof issueInvitation>[1]) =>
    issueInvitation(deps, { ...body, ...settings }, { origin: AS_ADMIN }).then(({ issued }) => issued);
  const root = await issue({ name: 'Org Admin', type: 'admin', maxDevices: 5 });
  const department = await issue({ name: 'Dept Admin', type: 'admin', maxDevices: 5, parentId: root.invitation.id });
  return issue({ name: 'Member', type: 'read_write', maxDevices: 3, parentId: department.invitation.id });
}

const deviceRequest = () => ({ deviceId: newDeviceId(), hostname: 'laptop', username: 'alice' });

describe('validation: two reads, and a write only once lastSeenAt is the interval old', () => {
  test('fresh: [GetItem, BatchGetItem]; stale: one UpdateItem more, and fresh again after it', async () => {
    const { token } = await member();
    const device = deviceRequest();
    await registerWithToken(deps, token, device, AS_RECIPIENT);
    const validate = async () => {
      const validation = validateRegistration(deps, token, device.deviceId);
      await expect(validation).resolves.toEqual({ valid: true });
    };

    clock.now = later(299);
    expect(await requestsOfRun(validate)).toEqual([tokenRead, lineageRead(true)]);
    clock.now = later(1);
    expect(await requestsOfRun(validate)).toEqual([
      tokenRead,
      lineageRead(true),
      request('UpdateItem', [`dynamodb:UpdateItem ${INVITATION}`]),
    ]);
    clock.now = later(1);
    expect(await requestsOfRun(validate)).toEqual([tokenRead, lineageRead(true)]);
  });

  test('racing validations of a stale device all answer valid, the lost races being no error, and move lastSeenAt', async () => {
    const { token, invitation } = await member();
    const device = deviceRequest();
    await registerWithToken(deps, token, device, AS_RECIPIENT);
    clock.now = later(300);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => validateRegistration(deps, token, device.deviceId)),
    );
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ valid: true })));
    const stored = await deps.store.getDevice(invitation.id, device.deviceId);
    expect(stored!.lastSeenAt).toBe(rfc3339(clock.now));
  });
});

describe('registration: two reads and one transaction', () => {
  test('a new device: [GetItem, BatchGetItem, TransactWriteItems]; the same device again: one UpdateItem', async () => {
    const { token } = await member();
    const device = deviceRequest();
    const register = () => registerWithToken(deps, token, device, AS_RECIPIENT);
    expect(await requestsOfRun(register)).toEqual([
      tokenRead,
      lineageRead(true),
      request('TransactWriteItems', usable(2), deviceAdded),
    ]);
    clock.now = later(60);
    expect(await requestsOfRun(register)).toEqual([
      tokenRead,
      lineageRead(true),
      request('UpdateItem', [`dynamodb:UpdateItem ${INVITATION}`]),
    ]);
  });
});

describe('acceptance: two reads and one transaction', () => {
  test('with a new device, the registration and the acceptance are one transaction', async () => {
    const { encoded } = await member();
    const accept = () => acceptInvitation(deps, { encoded, device: deviceRequest() }, AS_RECIPIENT);
    expect(await requestsOfRun(accept)).toEqual([
      tokenRead,
      lineageRead(true),
      request('TransactWriteItems', usable(2), deviceAdded, acceptanceRecorded),
    ]);
  });

  test('with its registered device, the refresh and the acceptance are one transaction', async () => {
    const { encoded, token } = await member();
    const device = deviceRequest();
    await registerWithToken(deps, token, device, AS_RECIPIENT);
    const accept = () => acceptInvitation(deps, { encoded, device }, AS_RECIPIENT);
    expect(await requestsOfRun(accept)).toEqual([
      tokenRead,
      lineageRead(true),
      request('TransactWriteItems', usable(3), [`dynamodb:UpdateItem ${INVITATION}`], acceptanceRecorded),
    ]);
  });

  test('without a device, the acceptance alone is the transaction', async () => {
    const { encoded } = await member({ deviceBound: false });
    const accept = () => acceptInvitation(deps, { encoded }, AS_RECIPIENT);
    expect(await requestsOfRun(accept)).toEqual([
      tokenRead,
      lineageRead(false),
      request('TransactWriteItems', usable(3), acceptanceRecorded),
    ]);
  });
});
