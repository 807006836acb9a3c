import { createServer, type Server } from 'node:net';
import { freePort, isPortFree } from '../../../../local/stack/ports';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listenOn(port: number, host: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => resolve());
  });
}

describe('whether a port of the embedded stack is free', () => {
  test('a port nothing listens on is free', async () => {
    expect(await isPortFree(await freePort())).toBe(true);
  });

  test.each([
    ['127.0.0.1', 'loopback'],
    ['0.0.0.0', 'every IPv4 interface'],
    ['::', 'every interface, IPv6 taking IPv4 too'],
  ])('a port another program listens on at %s (%s) is taken', async (host) => {
    const port = await freePort();
    await listenOn(port, host);
    expect(await isPortFree(port)).toBe(false);
  });
});
