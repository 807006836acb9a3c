import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackFiles, type LocalCredentials } from '../../local/paths';
import { freePort } from '../../local/ports';
import { startEmbeddedStack, type EmbeddedStack, type StackPorts } from '../../local/stack';
import { call, signedCall } from '../support/gateway-client';

const STARTUP_MS = 60_000;
const savedEnvironment = { ...process.env };
const home = mkdtempSync(join(tmpdir(), 'prism-stack-test-'));
const files = stackFiles(home);
let ports: StackPorts;
let stack: EmbeddedStack;

const start = () => startEmbeddedStack({ home, ports, quiet: true });
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeAll(async () => {
  ports = { gateway: await freePort(), dynamodb: await freePort(), fauxqs: await freePort() };
  stack = await start();
}, STARTUP_MS);

afterAll(async () => {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
  process.env = savedEnvironment;
}, STARTUP_MS);

describe('the embedded stack', () => {
  it('serves the API on its gateway port and records itself in stack.json', async () => {
    expect(stack.endpoint).toBe(`http://127.0.0.1:${ports.gateway}`);
    const response = await call(stack.endpoint, { method: 'GET', path: '/health' });
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(readJson(files.stack)).toEqual({
      endpoint: stack.endpoint,
      pid: process.pid,
      startedAt: expect.any(String),
    });
  });

  it('generates administrator credentials and a key ring, readable by their owner only', () => {
    expect(stack.credentials).toEqual({
      accessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
      secretAccessKey: expect.stringMatching(/^.{40}$/),
      region: 'us-east-1',
    });
    expect(readJson(files.credentials)).toEqual(stack.credentials);
    expect(readJson(files.keys)).toEqual({ currentKid: 'k1', k1: expect.stringMatching(/^[\w-]{64}$/) });
    expect([modeOf(files.credentials), modeOf(files.keys)]).toEqual([0o600, 0o600]);
  });

  it('refuses a second start on the same data folder while it runs', async () => {
    await expect(start()).rejects.toThrow(`already runs from ${home} (pid ${process.pid}`);
  });

  it(
    'keeps its data, credentials and keys across a restart',
    async () => {
      const created = await signedCall(stack.endpoint, stack.credentials, {
        method: 'POST',
        path: '/invitations',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'survives-restart', type: 'read_only' }),
      });
      const { invitation } = (await created.json()) as { invitation: { id: string } };
      const credentials: LocalCredentials = stack.credentials;
      const keys = readFileSync(files.keys, 'utf8');

      await stack.stop();
      expect(() => statSync(files.stack)).toThrow();
      stack = await start();

      expect(stack.credentials).toEqual(credentials);
      expect(readFileSync(files.keys, 'utf8')).toBe(keys);
      const read = await signedCall(stack.endpoint, stack.credentials, {
        method: 'GET',
        path: `/invitations/${invitation.id}`,
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ invitation: { id: invitation.id, name: 'survives-restart' } });
    },
    STARTUP_MS,
  );
});
