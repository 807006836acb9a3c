import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateKeyRing, loadOrCreateLocalCredentials } from '../../../../local/stack/credentials';

const folder = mkdtempSync(join(tmpdir(), 'prism-credentials-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('local credentials and key ring files', () => {
  it('are created on first use with mode 0600 and reused afterwards', () => {
    const credentialsFile = join(folder, 'first', 'credentials.json');
    const keysFile = join(folder, 'first', 'keys.json');
    const credentials = loadOrCreateLocalCredentials(credentialsFile);
    const keys = loadOrCreateKeyRing(keysFile);

    expect(credentials.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(credentials.secretAccessKey).toHaveLength(40);
    expect(Buffer.from(keys.k1!, 'base64url')).toHaveLength(48);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(loadOrCreateLocalCredentials(credentialsFile)).toEqual(credentials);
    expect(loadOrCreateKeyRing(keysFile)).toEqual(keys);
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8'))).toEqual(credentials);
  });

  it('differ from one data folder to another', () => {
    const a = loadOrCreateLocalCredentials(join(folder, 'a', 'credentials.json'));
    const b = loadOrCreateLocalCredentials(join(folder, 'b', 'credentials.json'));
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.secretAccessKey).not.toBe(b.secretAccessKey);
  });

  it('refuse a damaged file with a way out', () => {
    const damaged = join(folder, 'damaged.json');
    writeFileSync(damaged, '{"currentKid":"k2","k1":"x"}');
    expect(() => loadOrCreateKeyRing(damaged)).toThrow(`${damaged} is not valid: delete it (or run \`npm run reset\`)`);
  });
});
