import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { listeningSockets, processTree, socketInodesOf } from '../support/listening-sockets';

/**
 * The embedded stack's emulators accept any credentials and hold results with live tokens: every port the
 * stack's processes open listens on 127.0.0.1 only, so nothing on the network reaches them.
 */
jest.setTimeout(120_000);

let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess();
});

afterAll(async () => {
  await stack?.stop();
});

const stackPorts = () => Object.values(stack.ports);
const onLoopback = (port: number) => `127.0.0.1:${port}`;

/** This machine's addresses other than loopback; link-local IPv6 ones are left out, as they need a zone. */
const otherAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address !== undefined && !address.internal && !address.address.startsWith('fe80:'))
  .map((address) => address!.address);

/** How a TCP connection to `host`:`port` ends: `connected`, or the error's code. */
function connectionOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('a running embedded stack', () => {
  (process.platform === 'linux' ? test : test.skip)(
    "listens on its six ports (gateway, DynamoDB Local, fauxqs, events, the mail catcher's SMTP and web) at 127.0.0.1 only, and on no other port",
    () => {
      const listening = listeningSockets();
      const ours = socketInodesOf(processTree(stack.pid));
      const expected = stackPorts().map(onLoopback).sort();

      const byItsProcesses = listening.filter((socket) => ours.has(socket.inode));
      expect(byItsProcesses.map((socket) => `${socket.address}:${socket.port}`).sort()).toEqual(expected);
      const onItsPorts = listening.filter((socket) => stackPorts().includes(socket.port));
      expect(onItsPorts.map((socket) => `${socket.address}:${socket.port}`).sort()).toEqual(expected);
    },
  );

  (otherAddresses.length > 0 ? test : test.skip)(
    "refuses connections to its ports at this machine's other addresses",
    async () => {
      for (const port of stackPorts()) expect(await connectionOutcome('127.0.0.1', port)).toBe('connected');
      for (const address of otherAddresses) {
        for (const port of stackPorts()) {
          expect(`${address} ${port}: ${await connectionOutcome(address, port)}`).toBe(
            `${address} ${port}: ECONNREFUSED`,
          );
        }
      }
    },
  );
});
