import { createServer } from 'node:net';
import { DEFAULT_PORTS, type StackPorts } from './paths';

/**
 * The one address every port of the embedded stack listens on: the emulators accept any credentials, and the
 * data they serve (results holding live tokens, the tables) is for this machine's user only.
 */
export const LOOPBACK = '127.0.0.1';

/** Resolves whether a TCP port can be listened on at LOOPBACK, where the embedded stack listens, right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ port, host: LOOPBACK, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port the OS considers free now (for emulators that cannot listen on port 0 and report back). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: LOOPBACK }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A free port for each of the stack's listeners, for stacks that run beside `npm start` and each other. */
export async function freeStackPorts(): Promise<StackPorts> {
  const ports = { ...DEFAULT_PORTS } as StackPorts;
  for (const service of Object.keys(ports) as (keyof StackPorts)[]) ports[service] = await freePort();
  return ports;
}
