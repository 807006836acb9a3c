/**
 * Every Lambda function of the registry and what it may touch. CDK grants exactly this access;
 * the embedded stack loads the same entries.
 */
export interface FunctionDefinition {
  entry: string;
  description: string;
  /** `read`: GetItem/Query/Scan; `write`: read plus Put/Update/Delete/TransactWrite. */
  table: 'none' | 'read' | 'write';
  /** Needs the HMAC key ring (derives tokens or signs/verifies encoded invitations). */
  keys: boolean;
  timeoutSeconds: number;
  memoryMb: number;
}

export const FUNCTIONS = {
  invitationsCreate: {
    entry: 'lambdas/handlers/invitations-create.ts',
    description: 'Creates invitations (administrator)',
    table: 'write',
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  invitationsRead: {
    entry: 'lambdas/handlers/invitations-read.ts',
    description: 'Lists and reads invitations and their devices (administrator)',
    table: 'read',
    keys: false,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  invitationsManage: {
    entry: 'lambdas/handlers/invitations-manage.ts',
    description: 'Revokes and rotates invitations, revokes devices (administrator)',
    table: 'write',
    keys: true,
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  accept: {
    entry: 'lambdas/handlers/accept.ts',
    description: 'Accepts an encoded invitation and registers the device (recipient)',
    table: 'write',
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  registry: {
    entry: 'lambdas/handlers/registry.ts',
    description: "The reference client's device registry contract (recipient)",
    table: 'write',
    keys: false,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  delegate: {
    entry: 'lambdas/handlers/delegate.ts',
    description: 'Sub-invitations created by invitation holders (delegate)',
    table: 'write',
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  authorizer: {
    entry: 'lambdas/handlers/authorizer.ts',
    description: 'Authorizes delegates by invitation token (and device)',
    table: 'read',
    keys: false,
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  health: {
    entry: 'lambdas/handlers/health.ts',
    description: 'Liveness answer with no dependencies',
    table: 'none',
    keys: false,
    timeoutSeconds: 3,
    memoryMb: 128,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;
