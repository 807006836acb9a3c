import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PAGE_SIZE_MAX } from '../../lambdas/contract/paging';
import type { BatchView, InvitationAnswer, InvitationDevices, InvitationView } from '../../lambdas/contract/views';
import { projectRoot } from '../../local/stack/paths';
import { classTemplate } from '../support/class-template';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { signedCall } from '../support/gateway-client';
import { registerOnRegistry } from '../support/recipient-calls';
import { type Browser, launchChromium } from './support/chromium';
import { type ConsoleProcess, startConsole } from './support/console-process';

/**
 * The console as an administrator uses it (docs/CONSOLE.md): `prism-registry console` against an embedded stack,
 * driven in headless Chromium. Each step looks for its outcome in the page and checks it through the API.
 * With PRISM_CONSOLE_SCREENSHOTS=<folder> (`npm run console:screenshots`), the README's screenshots are written there.
 */
jest.setTimeout(300_000);

const UI_TIMEOUT = 120_000;
const BATCH_ROWS = 2000;
/** Rows of the batch that fail, by their (1-based) row: a type the registry does not know. */
const BAD_ROWS = [700, 1500];

let stack: StackProcess;
let consoleProcess: ConsoleProcess;
let browser: Browser;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'prism-console-test-'));
const screenshots = process.env.PRISM_CONSOLE_SCREENSHOTS
  ? join(projectRoot(), process.env.PRISM_CONSOLE_SCREENSHOTS)
  : join(scratch, 'screenshots');

/** What the three-level tree is made of, found as the test creates it. */
const made: Record<'org' | 'department' | 'member', { id: string; token: string }> = {} as never;
/** Tokens of two invitations the batch made, read from its results. */
const studentTokens: string[] = [];

const api = async <T>(method: string, path: string, query?: Record<string, string>, body?: unknown): Promise<T> => {
  const response = await signedCall(stack.endpoint, stack.credentials, {
    method,
    path,
    query,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};
const invitation = async (id: string) => (await api<InvitationAnswer>('GET', `/invitations/${id}`)).invitation;

const screenshot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });

beforeAll(async () => {
  // The page as `npm run console:build` makes it, from the sources under test.
  execFileSync(join(projectRoot(), 'node_modules/.bin/tsx'), ['console/build.ts'], { cwd: projectRoot() });
  mkdirSync(screenshots, { recursive: true });
  stack = await startStackProcess();
  consoleProcess = await startConsole(stack.env);
  browser = await launchChromium(join(scratch, 'downloads'));
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await consoleProcess?.stop();
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Creates an invitation through the open create dialog and returns its id and the token shown once. */
async function createInDialog(name: string, type: InvitationView['type']): Promise<{ id: string; token: string }> {
  const dialog = page.getByRole('dialog', { name: 'Create invitation' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Type').selectOption(type);
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const secret = page.getByRole('dialog', { name: 'Invitation created: copy its secret now' });
  const token = await secret.getByLabel('Token').inputValue();
  expect(token).toMatch(/^inv-/);
  await secret.getByRole('button', { name: 'Close and forget the secret' }).click();
  await page.waitForURL(/#\/invitations\/[^/]+$/);
  const id = decodeURIComponent(page.url().split('#/invitations/')[1]!);
  return { id, token };
}

/**
 * The tree item of the invitation at the end of `path`, the tree opened down to it from `path[0]`: found at the
 * top of the tree, or, with `search`, by searching its name first, as among thousands of top-level invitations.
 */
async function treeItem(path: string[], { search = false } = {}): Promise<Locator> {
  await page.goto(`${consoleProcess.origin}/#/invitations`);
  if (search) {
    const form = page.getByRole('search', { name: 'Search invitations' });
    await form.getByLabel('Name starts with').fill(path[0]!);
    await form.getByRole('button', { name: 'Search' }).click();
  }
  const tree = page.getByRole('tree', { name: search ? 'Matching invitations' : 'Delegation tree' });
  for (const name of path.slice(0, -1)) {
    await tree.getByRole('button', { name: `Expand ${name}` }).click();
  }
  const item = tree.getByRole('treeitem', { name: new RegExp(`^${path.at(-1)}\\b`) });
  await item.waitFor({ timeout: UI_TIMEOUT });
  return item;
}

/** Looks again every 100 ms until `done` holds. */
async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not so within ${UI_TIMEOUT / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for a `status` region of the page to say `text`. */
const statusSays = (text: string) =>
  page.getByRole('status').filter({ hasText: text }).first().waitFor({ timeout: UI_TIMEOUT });

test('opens with the URL the command printed, which it trades for an HttpOnly, SameSite=Strict cookie', async () => {
  await page.goto(consoleProcess.openingUrl);
  expect(page.url()).toBe(`${consoleProcess.origin}/`);
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  await page.getByText(`Registry: ${stack.endpoint}/ (embedded stack)`).waitFor();
  const [cookie] = await browser.context.cookies(consoleProcess.origin);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(consoleProcess.openingUrl).not.toContain(cookie!.value);
});

test('creates an org admin, a department admin under it and a member under that, and shows the three-level tree', async () => {
  await page.goto(`${consoleProcess.origin}/#/invitations`);
  await page.getByRole('button', { name: 'Create invitation', exact: true }).click();
  made.org = await createInDialog('Org admin', 'admin');
  await page.getByRole('button', { name: 'Create sub-invitation' }).click();
  made.department = await createInDialog('Department admin', 'admin');
  await page.getByRole('button', { name: 'Create sub-invitation' }).click();
  made.member = await createInDialog('Member', 'read_write');

  expect((await invitation(made.department.id)).parentId).toBe(made.org.id);
  expect((await invitation(made.member.id)).parentId).toBe(made.department.id);

  const member = await treeItem(['Org admin', 'Department admin', 'Member']);
  expect(await member.getAttribute('aria-level')).toBe('3');
  expect(await member.textContent()).toContain('active');
  const tree = page.getByRole('tree', { name: 'Delegation tree' });
  expect(await tree.getByRole('treeitem', { name: /^Department admin\b/ }).getAttribute('aria-level')).toBe('2');
  await screenshot('console-tree');
});

test('uploads a 2,000-row CSV, watches it reach completed, lists its failed rows and downloads its results', async () => {
  const rows = classTemplate(BATCH_ROWS).trimEnd().split('\n');
  for (const row of BAD_ROWS) rows[row] = `Broken-${row},superuser,120,no,no,yes,2`;
  await page.goto(`${consoleProcess.origin}/#/batches`);
  await page.getByLabel('CSV file').setInputFiles({
    name: 'class.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  await page.getByLabel('Include encoded invitations in the results').check();
  await page.getByRole('button', { name: 'Upload and start batch' }).click();
  await page.waitForURL(/#\/batches\/[^/]+$/);
  const batchId = decodeURIComponent(page.url().split('#/batches/')[1]!);

  const progress = page.getByRole('progressbar', { name: 'Rows done' });
  // Under way, past its first failed row (or already done, on a fast machine).
  await waitUntil(async () => Number(await progress.getAttribute('aria-valuenow')) >= BATCH_ROWS / 2);
  await screenshot('console-batch');
  await statusSays(`${(BATCH_ROWS - BAD_ROWS.length).toLocaleString('en-US')} succeeded, ${BAD_ROWS.length} failed`);
  expect(await progress.getAttribute('aria-valuenow')).toBe(String(BATCH_ROWS));
  expect(await progress.getAttribute('aria-valuemax')).toBe(String(BATCH_ROWS));

  const failed = page.getByRole('table').filter({ hasText: 'failed row(s)' });
  await failed.waitFor({ timeout: UI_TIMEOUT });
  for (const row of BAD_ROWS) {
    const line = failed.getByRole('row').filter({ hasText: `Broken-${row}` });
    // The header is line 1, so row N of the data is line N + 1.
    expect(await line.getByRole('cell').first().textContent()).toBe(String(row + 1));
    expect(await line.textContent()).toContain('superuser');
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download results' }).click(),
  ]);
  const file = readFileSync((await download.path())!, 'utf8');
  const lines = file.trimEnd().split(/\r?\n/);
  expect(lines).toHaveLength(BATCH_ROWS + 1);
  expect(lines[0]).toContain('Encoded Data');
  // Name,Type,Token,…,Status,Encoded Data,Error: no cell of these rows holds a comma or a quote.
  const rowsOf = lines.slice(1).map((line) => line.split(','));
  const status = lines[0]!.split(',').indexOf('Status');
  expect(rowsOf.filter((cells) => cells[status] === 'Success')).toHaveLength(BATCH_ROWS - BAD_ROWS.length);
  expect(rowsOf.filter((cells) => cells[status] === 'Failed').map((cells) => cells[0])).toEqual(
    BAD_ROWS.map((row) => `Broken-${row}`),
  );
  // Two students' tokens, to register devices with.
  studentTokens.push(...rowsOf.slice(0, 2).map((cells) => cells[2]!));
  const batch = await api<{ batch: BatchView }>('GET', `/batches/${batchId}`);
  expect(batch.batch).toMatchObject({ state: 'completed', succeeded: 1998, failed: 2 });
});

test('"Load more" in the tree, from the keyboard: focus moves on to the first invitation the page brought', async () => {
  await page.goto(`${consoleProcess.origin}/#/invitations`);
  const tree = page.getByRole('tree', { name: 'Delegation tree' });
  const topLevel = tree.locator('[role="treeitem"][aria-level="1"]:not(.tree-more)');
  await topLevel.nth(PAGE_SIZE_MAX - 1).waitFor({ timeout: UI_TIMEOUT });
  await tree.getByRole('treeitem', { name: 'Load more top-level invitations' }).focus();
  await page.keyboard.press('Enter');
  await topLevel.nth(PAGE_SIZE_MAX).waitFor({ timeout: UI_TIMEOUT });
  const firstBrought = await topLevel.nth(PAGE_SIZE_MAX).getAttribute('id');
  await waitUntil(async () => (await page.evaluate('document.activeElement?.id')) === firstBrought);
});

test('revokes the department admin with cascade, and the member’s node turns revoked', async () => {
  await page.goto(`${consoleProcess.origin}/#/invitations/${made.department.id}`);
  await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke Department admin' });
  await dialog.getByLabel('Reason').fill('department closed');
  await dialog.getByLabel('Cascade: also record every sub-invitation, at any depth, as revoked').check();
  await dialog.getByRole('button', { name: 'Revoke invitation' }).click();
  await page.waitForURL(/#\/jobs\/[^/]+$/);
  await statusSays('completed');

  const member = await treeItem(['Org admin', 'Department admin', 'Member'], { search: true });
  expect(await member.textContent()).toMatch(/revoked/);
  expect((await invitation(made.member.id)).status).toBe('revoked');
  expect((await invitation(made.org.id)).status).toBe('active');
});

test('runs the emergency revoke-all behind a typed confirmation, and every device is revoked', async () => {
  const registry = `${stack.endpoint}/registry`;
  const holders = [made.org.token, ...studentTokens];
  const devices = holders.map((_, n) => `laptop-${n + 1}`);
  for (const [n, token] of holders.entries()) {
    expect((await registerOnRegistry(registry, token, devices[n]!)).status).toBe(200);
  }

  await page.goto(`${consoleProcess.origin}/#/jobs`);
  const start = page.getByRole('button', { name: 'Revoke every device' });
  await page.getByLabel('Type REVOKE ALL to confirm').fill('revoke all');
  expect(await start.isDisabled()).toBe(true);
  await page.getByLabel('Type REVOKE ALL to confirm').fill('REVOKE ALL');
  await start.click();
  await page.waitForURL(/#\/jobs\/[^/]+$/);
  await statusSays('completed');

  await page.goto(`${consoleProcess.origin}/#/invitations/${made.org.id}`);
  const table = page.getByRole('table', { name: /registered/ });
  await table.waitFor({ timeout: UI_TIMEOUT });
  expect(await table.getByRole('row').filter({ hasText: 'laptop-1' }).textContent()).toContain('revoked');
  expect((await invitation(made.org.id)).status).toBe('suspended');
  for (const [n, token] of holders.entries()) {
    const { invitation: holder } = await api<InvitationAnswer>('POST', '/invitations/lookup', undefined, { token });
    const { devices: held } = await api<InvitationDevices>('GET', `/invitations/${holder.id}/devices`);
    expect(held.map(({ deviceId, status }) => [deviceId, status])).toEqual([[devices[n], 'revoked']]);
  }
});

test('shows the audit timeline, filtered like the CLI', async () => {
  await page.goto(`${consoleProcess.origin}/#/audit`);
  const timeline = page.getByRole('table').filter({ hasText: 'invitation.suspended' });
  await timeline.waitFor({ timeout: UI_TIMEOUT });
  await screenshot('console-audit');

  const filters = page.getByRole('search', { name: 'Filter audit events' });
  await filters.getByLabel('Action').selectOption('emergency.revoke_all');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  const emergency = page.getByRole('table').filter({ hasText: 'emergency.revoke_all' });
  await emergency.waitFor({ timeout: UI_TIMEOUT });
  expect(await emergency.textContent()).not.toContain('invitation.suspended');

  await filters.getByLabel('Action').selectOption('');
  await filters.getByLabel('Target id').fill(made.department.id);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  const department = page.getByRole('table').filter({ hasText: 'invitation.revoked' });
  await department.waitFor({ timeout: UI_TIMEOUT });
  expect(await department.textContent()).not.toContain('emergency.revoke_all');
  expect(await department.textContent()).toContain('department closed');
});
