export const ADMIN = 'arn:aws:iam::000000000000:user/test-admin';

/** The origins the audit log records: an administrator, and a recipient holding an invitation. */
export const AS_ADMIN = { actor: ADMIN };
export const AS_RECIPIENT = { actor: 'recipient' };
