import {
  acceptBody,
  auditQuery,
  createInvitationBody,
  createWebhookBody,
  delegateCreateBody,
  deviceInput,
  listInvitationsQuery,
  registryRevokeQuery,
  revokeInvitationBody,
  tokenBody,
} from '../../../../lambdas/contract/schemas';

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map(({ path, message }) => `${path.join('.')}: ${message}`);

describe('text fields of the API refuse control characters, naming the field', () => {
  test('a name with NUL or a line break is a 400 on name; a tab in it is free text', () => {
    expect(issuesOf(createInvitationBody.safeParse({ name: 'Ana\u0000', type: 'admin' }))).toEqual([
      'name: must not contain control characters (found U+0000 at character 4)',
    ]);
    expect(issuesOf(createInvitationBody.safeParse({ name: 'Ana\nLopez', type: 'admin' }))).toEqual([
      'name: must not contain control characters (found U+000A at character 4)',
    ]);
    expect(createInvitationBody.safeParse({ name: 'Ana\tLopez', type: 'admin' }).success).toBe(true);
  });

  test('identifiers and hosts take no tab either; a reason may', () => {
    expect(issuesOf(deviceInput.safeParse({ hostname: 'lab\t1', username: 'ana' }))).toEqual([
      'hostname: must not contain control characters (found U+0009 at character 4)',
    ]);
    expect(issuesOf(createInvitationBody.safeParse({ name: 'x', type: 'admin', ownerAccount: '1\u001b' }))).toEqual([
      'ownerAccount: must not contain control characters (found U+001B at character 2)',
    ]);
    expect(revokeInvitationBody.safeParse({ reason: 'left\tthe team' }).success).toBe(true);
    expect(issuesOf(revokeInvitationBody.safeParse({ reason: 'left\u007f' }))).toEqual([
      'reason: must not contain control characters (found U+007F at character 5)',
    ]);
  });
});

describe('a value that is there but too long is told so, not called missing', () => {
  test('a token over 256 characters', () => {
    const token = 'x'.repeat(257);
    expect(issuesOf(tokenBody.safeParse({ token }))).toEqual(['token: must be at most 256 characters']);
    expect(issuesOf(registryRevokeQuery.safeParse({ token, device: 'dev-1' }))).toEqual([
      'token: must be at most 256 characters',
    ]);
    expect(issuesOf(tokenBody.safeParse({}))).toEqual(['token: is required']);
  });

  test('an encoded invitation over 16,384 characters', () => {
    expect(issuesOf(acceptBody.safeParse({ encoded: 'e'.repeat(16_385) }))).toEqual([
      'encoded: must be at most 16384 characters',
    ]);
    expect(issuesOf(acceptBody.safeParse({ encoded: '' }))).toEqual(['encoded: is required']);
  });
});

describe('the recipient address (SPEC §1.1 email)', () => {
  const create = (email: unknown) => createInvitationBody.safeParse({ name: 'Ana', type: 'read_only', email });

  test('is trimmed and otherwise taken as written, on the admin and the delegate create alike', () => {
    expect(create(' Ana.Lopez@Example.EDU ')).toMatchObject({
      success: true,
      data: { email: 'Ana.Lopez@Example.EDU' },
    });
    expect(delegateCreateBody.safeParse({ name: 'Ana', type: 'read_only', email: 'ana@example.org' }).success).toBe(
      true,
    );
  });

  test.each([
    ['ana', 'email: must look like local@domain.tld'],
    ['Ana <ana@example.org>', 'email: must be the address alone, without a display name, quotes or <>'],
    ['ana@example.org,bo@example.org', 'email: must be a single address (no commas or semicolons)'],
    ['ana\u0000@example.org', 'email: must not contain control characters (found U+0000 at character 4)'],
    [`${'a'.repeat(250)}@example.org`, 'email: must be at most 254 characters'],
    [42, 'email: Invalid input: expected string, received number'],
  ])('%j is refused, naming email', (email, issue) => {
    expect(issuesOf(create(email))).toEqual([issue]);
    expect(issuesOf(delegateCreateBody.safeParse({ name: 'Ana', type: 'read_only', email }))).toEqual([issue]);
  });
});

describe('the roots-only listing (GET /invitations?roots=true)', () => {
  test('takes true or false as a query string gives them, alone or with the other filters and paging', () => {
    expect(listInvitationsQuery.safeParse({ roots: 'true' })).toEqual({ success: true, data: { roots: true } });
    expect(listInvitationsQuery.safeParse({ roots: 'false' })).toEqual({ success: true, data: { roots: false } });
    expect(
      listInvitationsQuery.safeParse({
        roots: 'true',
        status: 'active',
        type: 'admin',
        name: 'Lab',
        batchId: 'B1',
        limit: '10',
        cursor: 'c',
      }),
    ).toEqual({
      success: true,
      data: { roots: true, status: 'active', type: 'admin', name: 'Lab', batchId: 'B1', limit: 10, cursor: 'c' },
    });
  });

  test.each(['yes', '1', 'TRUE', '', 'roots'])('%j is refused, naming roots', (roots) => {
    expect(issuesOf(listInvitationsQuery.safeParse({ roots }))).toEqual(['roots: must be true or false']);
  });

  test('roots=true with parentId is refused, naming roots; roots=false with it lists the children', () => {
    expect(issuesOf(listInvitationsQuery.safeParse({ roots: 'true', parentId: 'P1' }))).toEqual([
      'roots: cannot be combined with parentId: a root invitation has no parent',
    ]);
    expect(listInvitationsQuery.safeParse({ roots: 'false', parentId: 'P1' })).toEqual({
      success: true,
      data: { roots: false, parentId: 'P1' },
    });
  });
});

describe('refused registrations (SPEC §4.5 device.refused)', () => {
  test('are an audit action to list by, and one a webhook may subscribe to', () => {
    expect(auditQuery.safeParse({ action: 'device.refused' })).toEqual({
      success: true,
      data: { action: 'device.refused' },
    });
    const hook = { url: 'https://hooks.example.org/prism', events: ['device.registered', 'device.refused'] };
    expect(createWebhookBody.safeParse(hook).success).toBe(true);
  });
});
