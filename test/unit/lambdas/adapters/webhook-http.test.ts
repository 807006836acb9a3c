import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  REFUSED_PRIVATE,
  type Resolver,
  isPublicAddress,
  vettedAddress,
  webhookHttp,
} from '../../../../lambdas/adapters/webhook-http';

const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () => {
    await Promise.resolve();
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('which addresses a webhook may reach', () => {
  test.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    'not-an-address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  test('a name resolving to the metadata address is refused', async () => {
    expect(
      await vettedAddress('metadata.example', { allowLoopback: false, resolve: resolvesTo('169.254.169.254') }),
    ).toEqual({ refused: REFUSED_PRIVATE });
  });

  test('a name resolving to 10.0.0.1 is refused', async () => {
    expect(await vettedAddress('intranet.example', { allowLoopback: false, resolve: resolvesTo('10.0.0.1') })).toEqual({
      refused: REFUSED_PRIVATE,
    });
  });

  test('a name with any private address among public ones is refused', async () => {
    const resolve = resolvesTo('93.184.215.14', 'fd00:ec2::254');
    expect(await vettedAddress('mixed.example', { allowLoopback: false, resolve })).toEqual({
      refused: REFUSED_PRIVATE,
    });
  });

  test('a private address written in the URL is refused without resolving anything', async () => {
    const resolve = jest.fn(resolvesTo('203.0.113.7'));
    expect(await vettedAddress('[::ffff:a00:1]', { allowLoopback: false, resolve })).toEqual({
      refused: REFUSED_PRIVATE,
    });
    expect(resolve).not.toHaveBeenCalled();
  });

  test('loopback is reachable only where allowed (the embedded stack), and private addresses never', async () => {
    expect(await vettedAddress('localhost', { allowLoopback: false, resolve: resolvesTo('127.0.0.1') })).toEqual({
      refused: REFUSED_PRIVATE,
    });
    expect(await vettedAddress('localhost', { allowLoopback: true, resolve: resolvesTo('127.0.0.1') })).toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    expect(await vettedAddress('lan', { allowLoopback: true, resolve: resolvesTo('192.168.0.2') })).toEqual({
      refused: REFUSED_PRIVATE,
    });
  });

  test('a name that does not resolve is a failed attempt saying so', async () => {
    const resolve: Resolver = () => Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    expect(await vettedAddress('nowhere.example', { allowLoopback: false, resolve })).toEqual({
      refused: 'cannot resolve nowhere.example: ENOTFOUND',
    });
  });
});

describe('sending', () => {
  let server: Server;
  let port: number;
  let received: { host?: string; body: string; headers: IncomingMessage['headers'] }[];
  let answer: { status: number; body: string; delayMs?: number };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ host: request.headers.host, body, headers: request.headers });
        setTimeout(() => response.writeHead(answer.status).end(answer.body), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
    answer = { status: 204, body: '' };
  });

  const request = (host: string) => ({
    url: `http://${host}:${port}/in`,
    headers: { 'content-type': 'application/json' },
    body: '{"type":"webhook.test"}',
  });

  test('connects to the address it vetted, whatever the name resolves to afterwards', async () => {
    let lookups = 0;
    // First answer vetted, any later one would be a rebinding: the request must never ask again.
    const resolve: Resolver = async () => {
      await Promise.resolve();
      lookups++;
      return [{ address: lookups === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const send = webhookHttp({ allowLoopback: true, resolve });
    expect(await send(request('receiver.test'))).toEqual({ statusCode: 204, body: '' });
    expect(lookups).toBe(1);
    expect(received).toEqual([
      expect.objectContaining({ host: `receiver.test:${port}`, body: '{"type":"webhook.test"}' }),
    ]);
  });

  test('refuses http, and loopback, where they are not allowed (AWS), sending nothing', async () => {
    const send = webhookHttp({ allowLoopback: false, resolve: resolvesTo('127.0.0.1') });
    expect(await send(request('receiver.test'))).toEqual({ error: 'refused: http URLs are not sent' });
    expect(received).toEqual([]);
  });

  test('sends http to loopback alone, even where loopback is allowed: never to a public address in clear', async () => {
    const send = webhookHttp({ allowLoopback: true, resolve: resolvesTo('93.184.216.34') });
    expect(await send(request('receiver.test'))).toEqual({
      error: 'refused: http URLs are sent to loopback addresses only',
    });
    expect(received).toEqual([]);
  });

  test('answers a failing status with at most 200 characters of the body', async () => {
    answer = { status: 500, body: 'x'.repeat(5000) };
    const response = await webhookHttp({ allowLoopback: true })(request('127.0.0.1'));
    expect(response).toEqual({ statusCode: 500, body: 'x'.repeat(200) });
  });

  test('gives up on an endpoint that does not answer in time', async () => {
    answer = { status: 200, body: '', delayMs: 400 };
    const response = await webhookHttp({ allowLoopback: true, timeoutMs: 100 })(request('127.0.0.1'));
    expect(response).toEqual({ error: 'no answer within 0.1 s' });
  });

  test('a closed port is a failed attempt with its error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const response = await webhookHttp({ allowLoopback: true })({
      ...request('127.0.0.1'),
      url: `http://127.0.0.1:${closedPort}/`,
    });
    expect(response).toEqual({ error: expect.stringContaining('ECONNREFUSED') });
  });
});
