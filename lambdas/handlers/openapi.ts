import { openApiDocument } from '../openapi';
import { httpFunction } from './http';
import { apiBaseUrlOf } from './principal';

const document = openApiDocument();

/** The document, with the API's URL as the caller reached it as its server. */
export const handler = httpFunction('openapi', {
  'GET /openapi.json': async ({ event }) => {
    const url = apiBaseUrlOf(event);
    return { body: url ? { ...document, servers: [{ url }] } : document };
  },
});
