import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { subtreePage } from '../../../../../lambdas/usecases/invitations/delegate';
import { rfc3339 } from '../../../../../lambdas/domain/time';
import { AS_ADMIN, integrationDeps } from '../../../../support/deps';

const deps = integrationDeps();
const issue = (request: Parameters<typeof issueInvitation>[1]) =>
  issueInvitation(deps, request, { origin: AS_ADMIN }).then(({ issued }) => issued.invitation);

async function collect(filter: Parameters<typeof deps.store.listInvitations>[0], limit: number) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await deps.store.listInvitations(filter, limit, cursor, rfc3339(new Date()));
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((item) => item.id));
    cursor = page.cursor;
    pages++;
  } while (cursor && pages < 100);
  return { seen, pages };
}

describe('listing invitations', () => {
  test('children of a parent come back once each, in creation order, across shards and pages', async () => {
    const parent = await issue({ name: 'Listing parent', type: 'admin' });
    const children: string[] = [];
    for (let n = 0; n < 23; n++)
      children.push((await issue({ name: `child-${n}`, type: 'read_only', parentId: parent.id })).id);
    const { seen, pages } = await collect({ parentId: parent.id }, 5);
    expect(seen).toEqual(children);
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  test('filters combine: status, type and name prefix', async () => {
    const prefix = `Filter-${Date.now()}-`;
    const admin = await issue({ name: `${prefix}a`, type: 'admin' });
    const reader = await issue({ name: `${prefix}b`, type: 'read_only' });
    const gone = await issue({ name: `${prefix}c`, type: 'read_only' });
    await revokeInvitation(deps, gone.id, undefined, false, AS_ADMIN);
    expect((await collect({ namePrefix: prefix }, 2)).seen.sort()).toEqual([admin.id, reader.id, gone.id].sort());
    expect((await collect({ namePrefix: prefix, type: 'read_only', status: 'active' }, 10)).seen).toEqual([reader.id]);
    expect((await collect({ namePrefix: prefix, status: 'revoked' }, 10)).seen).toEqual([gone.id]);
  });

  test('a cursor that was not issued by the API is refused as bad input', async () => {
    await expect(deps.store.listInvitations({}, 10, 'garbage!', rfc3339(new Date()))).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
  });

  test("a delegate's subtree covers every depth and pages by id", async () => {
    const root = await issue({ name: 'Subtree root', type: 'admin' });
    const dept = await issue({ name: 'Dept', type: 'admin', canInvite: true, parentId: root.id });
    const team = await issue({ name: 'Team', type: 'read_only', parentId: dept.id });
    const peer = await issue({ name: 'Peer', type: 'read_write', parentId: root.id });
    const first = await subtreePage(deps, root.id, 2);
    expect(first.invitations.map((i) => i.id)).toEqual([dept.id, team.id]);
    const second = await subtreePage(deps, root.id, 2, first.after);
    expect(second.invitations.map((i) => i.id)).toEqual([peer.id]);
    expect(second.after).toBeUndefined();
  });
});
