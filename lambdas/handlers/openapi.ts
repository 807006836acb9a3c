import { config } from '../config';
import { openApiDocument } from '../contract/openapi';
import { httpFunction } from './http';

const document = openApiDocument();

/** The document, with the API's configured URL as its server. */
export const handler = httpFunction('openapi', {
  'GET /openapi.json': async () => {
    const url = config.apiUrl();
    return { body: url ? { ...document, servers: [{ url }] } : document };
  },
});
