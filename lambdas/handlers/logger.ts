import { Logger } from '@aws-lambda-powertools/logger';
import { config } from '../config';

/** Structured logs with the request id. Events are never logged: some carry tokens. */
export const logger = new Logger({ serviceName: config.serviceName() });
