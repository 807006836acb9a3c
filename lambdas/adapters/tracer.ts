import { Tracer } from '@aws-lambda-powertools/tracer';
import { config } from '../config';

/** The process's one X-Ray tracer, shared by the handlers and the SDK clients; it disables itself outside Lambda. */
export const tracer = new Tracer({ serviceName: config.serviceName() });
