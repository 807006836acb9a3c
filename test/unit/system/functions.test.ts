import { FUNCTIONS, leftOutClients } from '../../../system/functions';

describe('the AWS clients a function bundle leaves out', () => {
  test('are every optional client for a function granted its table alone', () => {
    expect(leftOutClients(FUNCTIONS.registry)).toEqual({
      'process.env.PRISM_BUNDLES_S3': '"false"',
      'process.env.PRISM_BUNDLES_SQS': '"false"',
      'process.env.PRISM_BUNDLES_EVENTBRIDGE': '"false"',
      'process.env.PRISM_BUNDLES_SECRETS_MANAGER': '"false"',
      'process.env.PRISM_BUNDLES_WEBHOOK_HTTP': '"false"',
      'process.env.PRISM_BUNDLES_SES': '"false"',
      'process.env.PRISM_BUNDLES_SMTP': '"false"',
    });
  });

  test('are none but the webhook requests and e-mail for a function granted a bucket, the row queue, the bus and the keys', () => {
    expect(leftOutClients(FUNCTIONS.batchWorker)).toEqual({
      'process.env.PRISM_BUNDLES_WEBHOOK_HTTP': '"false"',
      'process.env.PRISM_BUNDLES_SES': '"false"',
      'process.env.PRISM_BUNDLES_SMTP': '"false"',
    });
  });

  test('keep SES for the mailer alone, and SMTP for no deployed function (the embedded stack loads it unbundled)', () => {
    const keepingSes = Object.entries(FUNCTIONS).filter(
      ([, definition]) => !('process.env.PRISM_BUNDLES_SES' in leftOutClients(definition)),
    );
    expect(keepingSes.map(([name]) => name)).toEqual(['mailer']);
    for (const definition of Object.values(FUNCTIONS)) {
      expect(leftOutClients(definition)).toHaveProperty(['process.env.PRISM_BUNDLES_SMTP'], '"false"');
    }
  });

  test('keep the webhook requests for the webhook sender alone', () => {
    const keeping = Object.entries(FUNCTIONS).filter(
      ([, definition]) => !('process.env.PRISM_BUNDLES_WEBHOOK_HTTP' in leftOutClients(definition)),
    );
    expect(keeping.map(([name]) => name)).toEqual(['webhookSender']);
  });

  test('are every client but EventBridge for the audit publisher, which reaches neither table', () => {
    expect(leftOutClients(FUNCTIONS.auditPublisher)).toEqual({
      'process.env.PRISM_BUNDLES_DYNAMODB': '"false"',
      'process.env.PRISM_BUNDLES_S3': '"false"',
      'process.env.PRISM_BUNDLES_SQS': '"false"',
      'process.env.PRISM_BUNDLES_SECRETS_MANAGER': '"false"',
      'process.env.PRISM_BUNDLES_WEBHOOK_HTTP': '"false"',
      'process.env.PRISM_BUNDLES_SES': '"false"',
      'process.env.PRISM_BUNDLES_SMTP': '"false"',
    });
  });

  test('keep DynamoDB for a function that reaches the audit log alone', () => {
    expect(Object.keys(leftOutClients(FUNCTIONS.audit))).not.toContain('process.env.PRISM_BUNDLES_DYNAMODB');
  });

  test('follow each grant: job queues need SQS, the audit archive S3, removing inputs S3', () => {
    expect(Object.keys(leftOutClients(FUNCTIONS.jobs))).not.toContain('process.env.PRISM_BUNDLES_SQS');
    expect(Object.keys(leftOutClients(FUNCTIONS.auditArchiver))).not.toContain('process.env.PRISM_BUNDLES_S3');
    expect(Object.keys(leftOutClients({ ...FUNCTIONS.authorizer, removesInputs: true }))).not.toContain(
      'process.env.PRISM_BUNDLES_S3',
    );
  });
});
