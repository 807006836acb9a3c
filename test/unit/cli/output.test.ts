import { ApiError, CliError, formatError, formatUsageError } from '../../../cli/errors';
import { fields, table } from '../../../cli/output';
import { renderDevices, renderInvitationPage, renderIssued, renderValidation } from '../../../cli/render';
import type { IssuedInvitation } from '../../../lambdas/contract/views';
import { invitationViewFixture } from '../../support/views';

const invitation = invitationViewFixture({
  id: '01JD0000000000000000000000',
  name: "Ana's laptop",
  activeDevices: 1,
  tokenHint: 'inv-AbCd…wXyZ',
  parentId: '01JC0000000000000000000000',
});
const issued: IssuedInvitation = {
  invitation,
  token: 'inv-SECRETTOKENSECRETTOKENSECRETTOKENSECRETTOKEN',
  encoded: 'eyJ0b2tlbiI6ImludiJ9',
  notes: ['maxDevices lowered from 5 to 3 (the parent allows 3)'],
};

describe('renderIssued', () => {
  const text = renderIssued(issued, 'Created invitation');

  it('labels the token and the encoded invitation, each on its own line', () => {
    expect(text).toContain(`Token (secret, shown only now):\n  ${issued.token}`);
    expect(text).toContain(`Encoded invitation (secret, give it to the recipient):\n  ${issued.encoded}`);
  });

  it('shows the settings, the expiry and the inheritance notes', () => {
    expect(text).toMatch(/^Created invitation 01JD0000000000000000000000$/m);
    expect(text).toMatch(/Type: +admin/);
    expect(text).toMatch(/Expires: +2025-01-31T00:00:00Z/);
    expect(text).toMatch(/Can invite: +yes/);
    expect(text).toMatch(/Transferable: +no/);
    expect(text).toMatch(/Devices: +1 active of at most 3/);
    expect(text).toContain('Notes:\n  - maxDevices lowered from 5 to 3');
  });

  it('tells how the recipient accepts it, quoted for the shell', () => {
    expect(text).toContain(
      `prism profiles accept-invitation --encoded 'eyJ0b2tlbiI6ImludiJ9' --name 'Ana'\\''s laptop'`,
    );
  });
});

describe('tables', () => {
  it('lists invitations with devices active/max and points at the next page', () => {
    const text = renderInvitationPage({ invitations: [invitation], cursor: 'c1' });
    const [header, row] = text.split('\n');
    expect(header).toMatch(/^ID +NAME +TYPE +STATUS +DEVICES +EXPIRES$/);
    expect(row).toMatch(/^01JD0+ +Ana's laptop +admin +active +1\/3 +2025-01-31T00:00:00Z$/);
    expect(text).toContain('--cursor c1');
  });

  it('says so when there is nothing to list', () => {
    expect(renderInvitationPage({ invitations: [] })).toBe('No invitations.');
    expect(renderDevices({ invitationId: 'X', devices: [] })).toBe('No devices registered with invitation X.');
  });

  it('aligns columns and label/value pairs, leaving out absent values', () => {
    expect(table(['A', 'BB'], [['long', 'x']])).toBe('A     BB\nlong  x');
    expect(
      fields([
        ['Name', 'n'],
        ['Missing', undefined],
        ['Longer', 2],
      ]),
    ).toBe('  Name:    n\n  Longer:  2');
  });

  it('prints a validation as valid / invalid: reason', () => {
    expect(renderValidation({ valid: true })).toBe('valid');
    expect(renderValidation({ valid: false, reason: 'Device binding revoked' })).toBe(
      'invalid: Device binding revoked',
    );
  });
});

describe('formatError', () => {
  it('gives the message, the code, the HTTP status and the request id on one line', () => {
    const error = new ApiError(409, 'max_devices_reached', 'Maximum devices reached', 'req-1');
    expect(formatError(error)).toBe(
      'prism-registry: Maximum devices reached (max_devices_reached, HTTP 409, request req-1)',
    );
  });

  it('formats local errors and anything unexpected the same way', () => {
    expect(formatError(new CliError('no way\n  at all', 'usage'))).toBe('prism-registry: no way at all (usage)');
    expect(formatError(new Error('boom'))).toBe('prism-registry: boom (unexpected_error)');
    expect(formatUsageError("error: unknown option '--x'\n")).toBe("prism-registry: unknown option '--x' (usage)");
  });
});
