import { sesSender } from '../../../../lambdas/adapters/ses-sender';
import { MailRefused } from '../../../../lambdas/ports/mail';
import { fakeApi } from '../../../support/fake-api';

/** SES's v2 API as the sender speaks it, against a local server standing in for `email.<region>.amazonaws.com`. */

const ses = fakeApi();
const SEND = 'POST /v2/email/outbound-emails';
const mail = { to: 'ada@example.org', subject: 'Prism Invitation', text: 'Hello Ada', invitationId: '01JINVITATION' };
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAFAKESESCREDENTIAL', AWS_SECRET_ACCESS_KEY: 'fake-ses-secret' };

const saved = { ...process.env };
beforeAll(() =>
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SESV2: ses.endpoint, ...CREDENTIALS }),
);
afterAll(() => {
  process.env = saved;
});

const send = sesSender({ from: 'prism@example.org', configurationSet: 'prism-registry-mail' });

test('sends a simple text message from the identity, through the configuration set, tagged with the invitation', async () => {
  ses.routes = { [SEND]: () => ({ body: { MessageId: '0100-ses-message' } }) };
  expect(await send(mail)).toEqual({ messageId: '0100-ses-message' });
  const [request] = ses.recorded;
  expect(JSON.parse(request!.body)).toEqual({
    FromEmailAddress: 'prism@example.org',
    Destination: { ToAddresses: ['ada@example.org'] },
    Content: {
      Simple: {
        Subject: { Data: 'Prism Invitation', Charset: 'UTF-8' },
        Body: { Text: { Data: 'Hello Ada', Charset: 'UTF-8' } },
      },
    },
    EmailTags: [{ Name: 'invitation', Value: '01JINVITATION' }],
    ConfigurationSetName: 'prism-registry-mail',
  });
  expect(request!.headers.authorization).toMatch(
    /Credential=AKIAFAKESESCREDENTIAL\/\d{8}\/eu-west-1\/ses\/aws4_request/,
  );
});

test('a refusal sending again cannot cure is permanent; the address it quotes stays in the error for masking', async () => {
  ses.routes = {
    [SEND]: () => ({
      status: 400,
      headers: { 'x-amzn-errortype': 'MessageRejected' },
      body: { message: 'Email address is not verified: ada@example.org' },
    }),
  };
  const refusal = await send(mail).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(MailRefused);
  expect(refusal).toMatchObject({ permanent: true, message: expect.stringContaining('MessageRejected') });
  expect((refusal as Error).message).not.toContain('fake-ses-secret');
});

test('throttling is retried by the transport, then left to the mail queue as a passing failure', async () => {
  ses.routes = {
    [SEND]: () => ({
      status: 400,
      headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
      body: { message: 'slow down' },
    }),
  };
  const refusal = await send(mail).catch((error: unknown) => error);
  expect(refusal).toMatchObject({ permanent: false });
  expect(ses.recorded.length).toBeGreaterThan(1);
});
