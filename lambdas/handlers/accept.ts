import { defaultDeps } from '../usecases/deps';
import { acceptInvitation } from '../usecases/devices/accept';
import { httpFunction } from './http';
import { countMetric, countRefusedRegistration } from './metrics';

export const handler = httpFunction(
  'accept',
  {
    'POST /accept': async ({ body, origin }) => {
      const accepted = await acceptInvitation(defaultDeps(), body, origin);
      if (accepted.device) countMetric('DevicesRegistered', {});
      return { body: accepted };
    },
  },
  { onRefusal: { 'POST /accept': countRefusedRegistration } },
);
