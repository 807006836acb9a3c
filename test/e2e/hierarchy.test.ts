import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { SEED_HEADER } from '../support/class-template';
import { cliWithin } from '../support/cli-process';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { signedCall } from '../support/gateway-client';
import { delegateInvitation, registerOnRegistry } from '../support/recipient-calls';
import { stackCli } from '../support/stack-cli';

/**
 * The hierarchy holds at every depth (docs/SPEC.md §3.3, §3.7, §3.8), through the embedded stack and the CLI as an
 * administrator and a recipient use them: org root → department admin → delegated member.
 */
jest.setTimeout(300_000);

let stack: StackProcess;
let admin: ReturnType<typeof stackCli>;
let serial = 0;

beforeAll(async () => {
  stack = await startStackProcess();
  admin = stackCli(stack);
});

afterAll(() => stack?.stop());

const registry = (path: string, init?: RequestInit) => fetch(`${stack.endpoint}/registry${path}`, init);

const registerDevice = (token: string, deviceId: string) =>
  registerOnRegistry(`${stack.endpoint}/registry`, token, deviceId, 'member');

const validate = async (token: string, device: string) =>
  (await (await registry(`/validate?${new URLSearchParams({ token, device })}`)).json()) as Record<string, unknown>;

const delegate = (token: string, device: string, body: unknown) =>
  delegateInvitation(stack.endpoint, token, device, body);

interface Holder {
  issued: IssuedInvitation;
  device: string;
}

/** An invitation with one registered device, ready to delegate from or validate. */
async function holding(issued: IssuedInvitation): Promise<Holder> {
  const device = `device-e2e-${serial++}`;
  expect((await registerDevice(issued.token, device)).status).toBe(200);
  return { issued, device };
}

/** Org root and department admin created with the CLI; the member delegated by the department admin. */
async function organisation(): Promise<{ root: Holder; department: Holder; member: Holder }> {
  const root = await holding(
    await admin.json<IssuedInvitation>('invitations', 'create', 'Org Admin', '--type', 'admin', '--max-devices', '5'),
  );
  const department = await holding(
    await admin.json<IssuedInvitation>(
      'invitations',
      'create',
      'Dept Admin',
      '--type',
      'admin',
      '--max-devices',
      '5',
      '--parent-id',
      root.issued.invitation.id,
    ),
  );
  const answer = await delegate(department.issued.token, department.device, {
    name: 'Member',
    type: 'read_write',
    canInvite: true,
    maxDevices: 3,
  });
  expect(answer.status).toBe(201);
  const member = await holding((await answer.json()) as IssuedInvitation);
  expect(await validate(member.issued.token, member.device)).toEqual({ valid: true });
  return { root, department, member };
}

describe('a revoked or suspended ancestor stops its subtree', () => {
  test.each(['department', 'root'] as const)(
    'revoking the %s without --cascade: the member validates false, gets no device and cannot delegate',
    async (which) => {
      const org = await organisation();
      const revoked = org[which].issued.invitation.id;
      expect((await admin.run('invitations', 'revoke', revoked, '--reason', 'breach')).code).toBe(0);

      expect(await validate(org.member.issued.token, org.member.device)).toEqual({
        valid: false,
        reason: 'ancestor_revoked',
        ancestorId: revoked,
      });
      const newDevice = await registerDevice(org.member.issued.token, `device-e2e-${serial++}`);
      expect(newDevice.status).toBe(403);
      expect(await newDevice.json()).toMatchObject({
        error: { code: 'ancestor_revoked', details: { ancestorId: revoked } },
      });
      const delegation = await delegate(org.member.issued.token, org.member.device, { name: 'Sub', type: 'read_only' });
      expect(delegation.status).toBe(403);
      expect(await delegation.json()).toMatchObject({ error: { code: 'ancestor_revoked' } });

      const check = await admin.run(
        'devices',
        'validate',
        '--token',
        org.member.issued.token,
        '--device',
        org.member.device,
      );
      expect(check.code).toBe(1);
      expect(check.stdout).toContain('ancestor_revoked');
    },
  );

  test('suspending the department suspends the member; rotating the department restores it', async () => {
    const org = await organisation();
    const departmentId = org.department.issued.invitation.id;
    expect((await admin.run('invitations', 'revoke-all', departmentId)).code).toBe(0);
    expect(await validate(org.member.issued.token, org.member.device)).toEqual({
      valid: false,
      reason: 'ancestor_suspended',
      ancestorId: departmentId,
    });
    expect((await registerDevice(org.member.issued.token, `device-e2e-${serial++}`)).status).toBe(403);

    expect((await admin.run('invitations', 'rotate', departmentId)).code).toBe(0);
    expect(await validate(org.member.issued.token, org.member.device)).toEqual({ valid: true });
    expect((await registerDevice(org.member.issued.token, `device-e2e-${serial++}`)).status).toBe(200);
  });
});

describe("a delegate's children stay inside the parent", () => {
  test('restrictions and owner account carry; a 4th child under maxDescendants 3 is refused', async () => {
    // The CLI has no policy flags: an administrator sets restrictions through the API, signed as the CLI signs.
    const create = await signedCall(stack.endpoint, stack.credentials, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Lab Lead',
        type: 'admin',
        maxDevices: 5,
        ownerAccount: '111122223333',
        maxDescendants: 3,
        policyRestrictions: { forbiddenRegions: ['us-east-1'], maxHourlyCost: 2 },
      }),
    });
    expect(create.status).toBe(201);
    const lead = await holding((await create.json()) as IssuedInvitation);

    const child = await delegate(lead.issued.token, lead.device, {
      name: 'Student',
      type: 'read_only',
      policyRestrictions: { maxHourlyCost: 50 },
    });
    expect(child.status).toBe(201);
    const student = (await child.json()) as IssuedInvitation;
    expect(student.invitation.ownerAccount).toBe('111122223333');
    expect(student.invitation.policyRestrictions).toEqual({ forbiddenRegions: ['us-east-1'], maxHourlyCost: 2 });
    expect(student.notes).toContainEqual(expect.stringContaining('maxHourlyCost lowered from 50 to 2'));

    const rogue = await delegate(lead.issued.token, lead.device, {
      name: 'Rogue',
      type: 'read_only',
      ownerAccount: '999999999999',
    });
    expect(rogue.status).toBe(400);
    expect(await rogue.json()).toMatchObject({ error: { details: { field: 'ownerAccount' } } });

    for (const name of ['Second', 'Third']) {
      expect((await delegate(lead.issued.token, lead.device, { name, type: 'read_only' })).status).toBe(201);
    }
    const fourth = await delegate(lead.issued.token, lead.device, { name: 'Fourth', type: 'read_only' });
    expect(fourth.status).toBe(409);
    expect(await fourth.json()).toMatchObject({
      error: { code: 'delegation_quota_exceeded', details: { ancestorId: lead.issued.invitation.id } },
    });
    const shown = await admin.run('invitations', 'get', lead.issued.invitation.id);
    expect(shown.stdout).toMatch(/Delegation:\s+3 of at most 3 invitations created below it/);
  });
});

describe('revoke --cascade over a large subtree', () => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'prism-hierarchy-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** `rows` children under `parentId` through `batch-create`; their ids, in row order. */
  async function batchUnder(parentId: string, rows: number, type: 'admin' | 'read_only'): Promise<string[]> {
    const input = join(folder, `under-${parentId}.csv`);
    const output = join(folder, `results-${parentId}.csv`);
    const canInvite = type === 'admin' ? 'yes' : 'no';
    const lines = Array.from({ length: rows }, (_, n) => `${type}-${n},${type},30,${canInvite},no,yes,1`);
    writeFileSync(input, [SEED_HEADER, ...lines].join('\n'));
    const result = await cliWithin(
      240_000,
      stack.env,
      'invitations',
      'batch-create',
      '--csv-file',
      input,
      '--output-file',
      output,
      '--parent-id',
      parentId,
    );
    expect(result.code).toBe(0);
    const records = parse(readFileSync(output), { columns: true }) as Record<string, string>[];
    expect(records.every((record) => record.Status === 'Success')).toBe(true);
    return records.map((record) => record.Id!);
  }

  /** Runs `work` over `items`, `limit` at a time. */
  async function inTurns<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let start = 0; start < items.length; start += limit) {
      results.push(...(await Promise.all(items.slice(start, start + limit).map(work))));
    }
    return results;
  }

  test('3,033 descendants on 3 levels all end recorded as revoked; running it again exits 0', async () => {
    const root = await admin.json<IssuedInvitation>('invitations', 'create', 'Org Root', '--type', 'admin');
    const rootId = root.invitation.id;
    const levelOne = await inTurns(
      [0, 1, 2],
      3,
      async (n) =>
        (
          await admin.json<IssuedInvitation>(
            'invitations',
            'create',
            `Division ${n}`,
            '--type',
            'admin',
            '--parent-id',
            rootId,
          )
        ).invitation.id,
    );
    const levelTwo = (await inTurns(levelOne, 3, (id) => batchUnder(id, 10, 'admin'))).flat();
    const levelThree = (await inTurns(levelTwo, 5, (id) => batchUnder(id, 100, 'read_only'))).flat();
    const descendants = [...levelOne, ...levelTwo, ...levelThree];
    expect(descendants).toHaveLength(3033);

    const cascade = await cliWithin(600_000, stack.env, 'invitations', 'revoke', rootId, '--cascade', '--json');
    expect(cascade.code).toBe(0);
    expect(JSON.parse(cascade.stdout)).toMatchObject({
      alreadyRevoked: false,
      job: { kind: 'revoke-cascade', state: 'completed', summary: { invitationsRevoked: 3033, alreadyRevoked: 0 } },
    });

    const exported = join(folder, 'revoked.csv');
    const exporting = await cliWithin(
      300_000,
      stack.env,
      'invitations',
      'batch-export',
      '--status',
      'revoked',
      '--output-file',
      exported,
    );
    expect(exporting.code).toBe(0);
    const rows = parse(readFileSync(exported), { columns: true }) as Record<string, string>[];
    const revoked = new Set(rows.map((row) => row.Id));
    expect(descendants.filter((id) => !revoked.has(id))).toEqual([]);

    const again = await cliWithin(600_000, stack.env, 'invitations', 'revoke', rootId, '--cascade', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      alreadyRevoked: true,
      job: { state: 'completed', summary: { invitationsRevoked: 0, alreadyRevoked: 3033 } },
    });
  });
});
