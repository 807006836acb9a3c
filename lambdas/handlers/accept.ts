import { acceptInvitation } from '../usecases/devices/accept';
import { acceptedView } from '../contract/views';
import { httpFunction } from './http';
import { logUnrecordedRefusal } from './logger';
import { countMetric, countRefusedRegistration } from './metrics';

export const handler = httpFunction(
  'accept',
  {
    'POST /accept': async ({ body, origin, deps }) => {
      const accepted = await acceptInvitation(deps, body, origin, logUnrecordedRefusal);
      if (accepted.device) countMetric('DevicesRegistered', {});
      return { body: acceptedView(accepted) };
    },
  },
  { onRefusal: { 'POST /accept': countRefusedRegistration } },
);
