import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signingIdentity } from '../../../cli/credentials';
import { isLoopback, regionOf, resolveEndpoint } from '../../../cli/endpoint';
import { CliError } from '../../../cli/errors';
import { DEFAULT_ENDPOINT } from '../../../local/stack/paths';
import { scratchFolder } from '../../support/scratch';

const href = (option: string | undefined, env: Record<string, string>) => resolveEndpoint(option, env).href;

describe('resolveEndpoint', () => {
  const env = {
    PRISM_REGISTRY_API: 'https://prism.example.com/api',
    CWS_REGISTRY_API: 'https://cws.example.com/v1/registry',
  };

  it('prefers --endpoint over both variables', () => {
    expect(href('http://127.0.0.1:9999', env)).toBe('http://127.0.0.1:9999/');
  });

  it('takes PRISM_REGISTRY_API over CWS_REGISTRY_API', () => {
    expect(href(undefined, env)).toBe('https://prism.example.com/api');
  });

  it.each(['CWS_REGISTRY_API', 'PRISM_REGISTRY_API'])(
    'strips the /registry suffix of %s to get the API base',
    (name) => {
      expect(href(undefined, { [name]: 'https://cws.example.com/v1/registry' })).toBe('https://cws.example.com/v1');
      expect(href(undefined, { [name]: 'https://cws.example.com/prod/registry/' })).toBe(
        'https://cws.example.com/prod',
      );
      expect(href(undefined, { [name]: 'https://cws.example.com/prod/' })).toBe('https://cws.example.com/prod');
    },
  );

  it('strips it from --endpoint too', () => {
    expect(href('http://127.0.0.1:4580/registry', {})).toBe('http://127.0.0.1:4580/');
  });

  it('keeps a CWS_REGISTRY_API without the suffix as it is (the seed guide’s example)', () => {
    expect(href(undefined, { CWS_REGISTRY_API: 'https://registry.example.com/api' })).toBe(
      'https://registry.example.com/api',
    );
  });

  it('falls back to the embedded stack’s default address, ignoring empty variables', () => {
    const home = scratchFolder('prism-cli-');
    const stackDefault = new URL(DEFAULT_ENDPOINT).href;
    expect(href(undefined, { PRISM_REGISTRY_HOME: home })).toBe(stackDefault);
    expect(href(undefined, { PRISM_REGISTRY_HOME: home, PRISM_REGISTRY_API: ' ', CWS_REGISTRY_API: '' })).toBe(
      stackDefault,
    );
  });

  it('finds a running embedded stack on another port through its stack file', () => {
    const home = scratchFolder('prism-cli-');
    const record = { endpoint: 'http://127.0.0.1:5999', pid: process.pid, startedAt: '2025-01-01T00:00:00Z' };
    writeFileSync(join(home, 'stack.json'), JSON.stringify(record));
    expect(href(undefined, { PRISM_REGISTRY_HOME: home })).toBe('http://127.0.0.1:5999/');
  });

  it('drops a trailing slash so route paths join cleanly', () => {
    expect(resolveEndpoint('https://abc.execute-api.eu-west-1.amazonaws.com/prod/', {}).pathname).toBe('/prod');
  });

  it('names the source of a bad URL', () => {
    expect(() => resolveEndpoint(undefined, { PRISM_REGISTRY_API: 'not a url' })).toThrow(/PRISM_REGISTRY_API/);
    expect(() => resolveEndpoint('ftp://example.com', {})).toThrow(/--endpoint: must be an http or https URL/);
  });
});

describe('isLoopback and regionOf', () => {
  it.each(['http://127.0.0.1:4580', 'http://localhost:1', 'http://[::1]:4580', 'http://127.1.2.3'])(
    '%s is loopback',
    (url) => expect(isLoopback(new URL(url))).toBe(true),
  );

  it.each(['https://example.com', 'http://10.0.0.1', 'http://127.0.0.1.example.com'])('%s is not', (url) =>
    expect(isLoopback(new URL(url))).toBe(false),
  );

  it('reads the region of an execute-api host', () => {
    expect(regionOf(new URL('https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/prod'))).toBe('ap-southeast-2');
    expect(regionOf(new URL('https://registry.example.com'))).toBeUndefined();
  });
});

describe('signingIdentity', () => {
  const home = scratchFolder('prism-cli-');
  const stack = new URL('http://127.0.0.1:4580');

  it('uses the embedded stack’s credentials file under PRISM_REGISTRY_HOME', async () => {
    const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret', region: 'local-1' };
    writeFileSync(join(home, 'credentials.json'), JSON.stringify(credentials));
    await expect(signingIdentity(stack, { PRISM_REGISTRY_HOME: home })).resolves.toEqual({
      region: 'local-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' },
    });
  });

  it('says to start the stack when a loopback endpoint has no credentials file', async () => {
    const empty = scratchFolder('prism-cli-');
    await expect(signingIdentity(stack, { PRISM_REGISTRY_HOME: empty })).rejects.toThrow(/npm start/);
  });

  it('rejects a malformed credentials file', async () => {
    const broken = scratchFolder('prism-cli-');
    writeFileSync(join(broken, 'credentials.json'), '{"accessKeyId":1}');
    await expect(signingIdentity(stack, { PRISM_REGISTRY_HOME: broken })).rejects.toMatchObject({
      code: 'bad_credentials_file',
    });
  });

  it('takes the region of an AWS endpoint from its host, then from AWS_REGION', async () => {
    const aws = new URL('https://a1b2c3.execute-api.eu-central-1.amazonaws.com/prod');
    await expect(signingIdentity(aws, { AWS_REGION: 'us-east-1' })).resolves.toMatchObject({ region: 'eu-central-1' });
    const custom = new URL('https://registry.example.com');
    await expect(signingIdentity(custom, { AWS_REGION: 'us-east-1' })).resolves.toMatchObject({ region: 'us-east-1' });
  });

  it('asks for AWS_REGION when the endpoint does not tell', async () => {
    const error = await signingIdentity(new URL('https://registry.example.com'), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'region_unknown' });
  });
});
