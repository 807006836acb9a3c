import { acceptInvitation } from '../usecases/devices/accept';
import { httpFunction } from './http';
import { countMetric, countRefusedRegistration } from './metrics';

export const handler = httpFunction(
  'accept',
  {
    'POST /accept': async ({ body, origin, deps }) => {
      const accepted = await acceptInvitation(deps, body, origin);
      if (accepted.device) countMetric('DevicesRegistered', {});
      return { body: accepted };
    },
  },
  { onRefusal: { 'POST /accept': countRefusedRegistration } },
);
