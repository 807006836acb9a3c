import type { SendRequest } from './closed-loop';
import type { Answer, LoopbackClient } from './loopback-client';
import { DEVICES_PER_INVITATION, type HttpScenario } from './phases';

interface RegisteredDevice {
  token: string;
  deviceId: string;
}

const unexpected = (answer: Answer) => `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;

/**
 * The requests of each scenario. Registration `n` goes to invitation `n mod tokens.length`, so concurrent
 * registrations land on different invitations and each invitation gets at most its device cap; validation
 * cycles through the devices registered so far. Device ids start with `devicePrefix`, so two sets of
 * scenarios on the same invitations register different devices.
 */
export function scenarioRequests(
  client: LoopbackClient,
  tokens: readonly string[],
  devicePrefix = 'bench-device',
): Record<HttpScenario, SendRequest> {
  const registered: RegisteredDevice[] = [];
  let registrations = 0;
  let validations = 0;

  const health: SendRequest = async () => {
    const answer = await client.send('GET', '/health');
    return answer.status === 200 ? undefined : unexpected(answer);
  };

  const register: SendRequest = async () => {
    const slot = registrations++;
    if (slot >= tokens.length * DEVICES_PER_INVITATION) return 'no invitation has a free device slot left';
    const device = { token: tokens[slot % tokens.length]!, deviceId: `${devicePrefix}-${slot}` };
    const answer = await client.send('POST', '/registry/register', {
      invitation_token: device.token,
      device_id: device.deviceId,
      timestamp: new Date().toISOString(),
      hostname: `bench-host-${slot}`,
      username: `bench-user-${slot}`,
    });
    if (answer.status !== 200) return unexpected(answer);
    registered.push(device);
    return undefined;
  };

  const validate: SendRequest = async () => {
    const device = registered[validations++ % registered.length];
    if (!device) return 'no registered device to validate';
    const query = new URLSearchParams({ token: device.token, device: device.deviceId });
    const answer = await client.send('GET', `/registry/validate?${query}`);
    const valid = answer.status === 200 && (JSON.parse(answer.body) as { valid?: unknown }).valid === true;
    return valid ? undefined : unexpected(answer);
  };

  return { health, register, validate };
}
