import { Logger } from '@aws-lambda-powertools/logger';
import { config } from '../config';
import type { UnrecordedRefusal } from '../usecases/devices/manage';

/** Structured logs with the request id. Events are never logged: some carry tokens. */
export const logger = new Logger({ serviceName: config.serviceName() });

/** A refused registration whose `device.refused` event was not written: its invitation and reason, never the request. */
export const logUnrecordedRefusal: UnrecordedRefusal = (error, { invitationId, reason }) =>
  logger.error('Refused registration not recorded in the audit log; the caller got its refusal', {
    invitationId,
    reason,
    error: error as Error,
  });
