import { auditEvent } from '../../../../lambdas/domain/audit';
import { auditLogContract } from '../../../support/port-contracts/audit-log';
import { AS_ADMIN, integrationDeps } from '../../../support/deps';

const deps = integrationDeps();

describe('the DynamoDB audit log against DynamoDB Local', () => {
  auditLogContract(async () => deps.auditLog);

  test('an event id written twice is refused by the condition on the wire', async () => {
    const at = '2031-03-05T10:00:00Z';
    const first = auditEvent(
      AS_ADMIN,
      'invitation.created',
      `target-${deps.newId()}`,
      {},
      {
        eventId: deps.newId(Date.parse(at)),
        at,
      },
    );
    await deps.auditLog.append(first);
    await expect(deps.auditLog.append({ ...first, actor: 'someone-else' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });
});
