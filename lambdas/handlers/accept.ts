import { defaultDeps } from '../usecases/deps';
import { acceptInvitation } from '../usecases/accept';
import { httpFunction } from './http';

export const handler = httpFunction('accept', {
  'POST /accept': async ({ body, origin }) => ({ body: await acceptInvitation(defaultDeps(), body, origin) }),
});
