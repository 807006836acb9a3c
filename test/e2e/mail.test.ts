import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { InvitationAnswer, IssuedInvitation, SentInvitation } from '../../lambdas/contract/views';
import type { PidRecord } from '../../local/stack/leftovers';
import { stackFiles } from '../../local/stack/paths';
import { classTemplateWithEmails, studentAddress } from '../support/class-template';
import { cli, cliJson, cliWithin } from '../support/cli-process';
import {
  type LaunchedStack,
  type StackPlace,
  launchStack,
  newStackPlace,
  stopGracefully,
} from '../support/embedded-stack-process';
import { call } from '../support/gateway-client';

/**
 * E-mail delivery end to end on the embedded stack (docs/SPEC.md §4.8): what `--deliver` and `invitations send`
 * queue reaches the mail catcher `npm start` runs, each message to its recipient with an encoded invitation that
 * `/accept` takes; a revocation stops a queued message; the caught mail outlives a restart.
 */
jest.setTimeout(600_000);

const CLASS_SIZE = 500;

/** The message a recipient gets, as the catcher's REST API lists it. */
interface CaughtMail {
  id: string;
  subject: string;
  to: { address: string }[];
  headers: Record<string, string>;
  text: string;
}

let place: StackPlace;
let stack: LaunchedStack | undefined;
let folder: string;
/** What a user's shell gives the CLI: it finds the stack through the data folder. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  place = await newStackPlace();
  stack = await launchStack(place);
  folder = mkdtempSync(join(tmpdir(), 'prism-mail-'));
  env = { PATH: process.env.PATH, HOME: process.env.HOME, PRISM_REGISTRY_HOME: place.home };
});

afterAll(async () => {
  if (stack) await stopGracefully(stack);
  rmSync(place.home, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

const catcherUrl = () => `http://127.0.0.1:${place.ports.mailWeb}`;

async function inbox(): Promise<CaughtMail[]> {
  const answer = await fetch(`${catcherUrl()}/api/email`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as CaughtMail[];
}

const mailTo = async (address: string) =>
  (await inbox()).filter((mail) => mail.to.some((recipient) => recipient.address === address));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds = 120): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The encoded invitation a message carries, on the line after the template's "Your invitation code is:". */
function encodedIn(mail: CaughtMail): string {
  const encoded = /invitation code is:\n(\S+)/.exec(mail.text)?.[1];
  if (!encoded) throw new Error(`no encoded invitation in message ${mail.id}`);
  return encoded;
}

const decode = (encoded: string) =>
  JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { token: string; name: string; id: string };

const accept = (encoded: string, deviceId: string) =>
  call(stack!.endpoint, {
    method: 'POST',
    path: '/accept',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ encoded, device: { deviceId, hostname: `${deviceId}-host`, username: deviceId } }),
  });

const deliveryOf = async (reference: string) =>
  (await cliJson<InvitationAnswer>(env, 'invitations', 'get', reference)).invitation.delivery;

const waitForDelivery = (reference: string, status: string) =>
  waitFor(`delivery ${status} for ${reference}`, async () => {
    const delivery = await deliveryOf(reference);
    return delivery?.status === status ? delivery : undefined;
  });

test(`the class template with an Email column, batch-created with --deliver: ${CLASS_SIZE} messages, one to each student, each accepted by /accept`, async () => {
  const input = join(folder, 'class_invitations.csv');
  writeFileSync(input, classTemplateWithEmails(CLASS_SIZE));
  const output = join(folder, 'invitations_result.csv');
  const result = await cliWithin(
    300_000,
    env,
    'invitations',
    'batch-create',
    '--csv-file',
    input,
    '--output-file',
    output,
    '--include-encoded',
    '--deliver',
  );
  expect(result.code).toBe(0);

  const rows = parse(readFileSync(output), { columns: true, bom: true }) as Record<string, string>[];
  expect(rows).toHaveLength(CLASS_SIZE);
  rows.forEach((row, n) => {
    expect(row).toMatchObject({ Name: `Student-${n + 1}`, Status: 'Success', Email: studentAddress(n + 1) });
  });
  // The guide's notification script still reads what it reads, by header name.
  const read = execFileSync('python3', [join(__dirname, 'scripts/send_invitations.py'), output], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; encoded: string; valid_days: string });
  expect(read.map(({ name, valid_days }) => [name, valid_days])).toEqual(
    rows.map((row) => [row.Name, row['Valid Days']]),
  );

  const caught = await waitFor(`${CLASS_SIZE} messages in the catcher`, async () => {
    const mail = (await inbox()).filter((message) => message.to[0]?.address.endsWith('@university.example'));
    return mail.length >= CLASS_SIZE ? mail : undefined;
  });
  expect(caught).toHaveLength(CLASS_SIZE);
  const byAddress = new Map(caught.map((mail) => [mail.to[0]!.address, mail]));
  expect(byAddress.size).toBe(CLASS_SIZE);
  rows.forEach((row, n) => {
    const mail = byAddress.get(studentAddress(n + 1))!;
    expect(mail.to.map(({ address }) => address)).toEqual([studentAddress(n + 1)]);
    expect(mail.subject).toBe('Prism Invitation');
    const payload = decode(encodedIn(mail));
    expect(payload).toMatchObject({ name: row.Name, token: row.Token });
    expect(mail.headers['x-prism-invitation']).toBe(payload.id);
  });

  for (const row of [1, 250, CLASS_SIZE]) {
    const accepted = await accept(encodedIn(byAddress.get(studentAddress(row))!), `device-student-${row}`);
    expect(accepted.status).toBe(200);
  }
  expect((await waitForDelivery(rows[0]!.Token!, 'sent')).kind).toBe('invitation');
});

test('create --deliver sends one message; send rotates, then sends a second whose token replaces the first', async () => {
  const address = 'ada@lab.example';
  const created = await cliJson<IssuedInvitation>(env, 'invitations', 'create', 'Ada', '--email', address, '--deliver');
  expect(created.invitation.delivery?.status).toBe('queued');
  const [first] = await waitFor('the first message', async () => {
    const mail = await mailTo(address);
    return mail.length === 1 ? mail : undefined;
  });
  expect(decode(encodedIn(first!)).token).toBe(created.token);
  await waitForDelivery(created.invitation.id, 'sent');

  const sent = await cliJson<SentInvitation>(env, 'invitations', 'send', created.invitation.id);
  expect(sent.invitation.delivery?.status).toBe('queued');
  const second = await waitFor('the second message', async () => {
    const mail = await mailTo(address);
    return mail.find((message) => message.id !== first!.id);
  });
  const resent = encodedIn(second);
  expect(decode(resent).token).not.toBe(created.token);
  expect(decode(resent).id).toBe(created.invitation.id);

  const old = await accept(encodedIn(first!), 'device-ada-old');
  expect(old.status).not.toBe(200);
  expect(await old.text()).toMatch(/unknown_token/);
  expect((await cli(env, 'invitations', 'get', created.token)).code).not.toBe(0);
  expect((await accept(resent, 'device-ada')).status).toBe(200);
  await waitForDelivery(created.invitation.id, 'sent');
  const shown = await cli(env, 'invitations', 'get', created.invitation.id);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/Delivery:\s+invitation e-mail sent /);
});

/** Sends a GET to the catcher with these headers, as a browser would; resolves with the status. */
const catcherStatus = (headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    get(`${catcherUrl()}/api/email`, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });

test("the catcher answers its own pages only: another site's page or host name is refused", async () => {
  const port = place.ports.mailWeb;
  expect(await catcherStatus({ origin: catcherUrl() })).toBe(200);
  expect(await catcherStatus({ host: `localhost:${port}` })).toBe(200);
  expect(await catcherStatus({ origin: 'https://attacker.example' })).toBe(403);
  expect(await catcherStatus({ host: `attacker.example:${port}` })).toBe(403);
});

test('the caught mail survives a restart, and a message queued for an invitation revoked meanwhile is never sent', async () => {
  const before = await inbox();
  expect(before.length).toBeGreaterThan(0);

  // The catcher down: the message waits on the queue for its next attempt, and the invitation is revoked meanwhile.
  const catcher = JSON.parse(readFileSync(stackFiles(place.home).mailPid, 'utf8')) as PidRecord;
  process.kill(catcher.pid, 'SIGKILL');
  const address = 'grace@lab.example';
  const created = await cliJson<IssuedInvitation>(
    env,
    'invitations',
    'create',
    'Grace',
    '--email',
    address,
    '--deliver',
  );
  expect((await cli(env, 'invitations', 'revoke', created.invitation.id, '--reason', 'left the lab')).code).toBe(0);

  await stopGracefully(stack!);
  stack = await launchStack(place);
  const failed = await waitForDelivery(created.invitation.id, 'failed');
  expect(failed.error).toBe('the invitation was revoked');
  expect(await mailTo(address)).toEqual([]);
  expect((await inbox()).map((mail) => mail.id).sort()).toEqual(before.map((mail) => mail.id).sort());
});
