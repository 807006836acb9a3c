import { DynamoDocuments } from '../../../../../lambdas/adapters/aws/documents';
import { AwsJsonClient } from '../../../../../lambdas/adapters/aws/json-client';
import { DYNAMODB, EVENTBRIDGE } from '../../../../../lambdas/adapters/aws/services';
import { type Answer, fakeApi } from '../../../../support/fake-api';

const CREDENTIALS = {
  accessKeyId: 'AKIAFAKEJSONCREDENTIAL',
  secretAccessKey: 'fake-json-secret-never-to-be-shown',
  sessionToken: 'fake-json-session-token-never-to-be-shown',
};

const api = fakeApi();
const settings = () => ({ endpoint: api.endpoint, region: 'eu-west-1', credentials: CREDENTIALS });
const dynamodb = () => new AwsJsonClient(DYNAMODB, settings());
const documents = () => new DynamoDocuments(dynamodb());

const refusal = (status: number, type: string, message: string, more: object = {}): Answer => ({
  status,
  type: 'application/x-amz-json-1.0',
  body: { __type: type, message, ...more },
});

/** Answers each request with the next of `answers`, the last one from then on. */
function answering(...answers: Answer[]): void {
  api.routes['POST /'] = () => (answers.length > 1 ? answers.shift()! : answers[0]!);
}

const wireBody = (n: number) => JSON.parse(api.recorded[n]!.body) as Record<string, unknown>;

describe('the AWS JSON client', () => {
  test('sends each operation as a signed POST to /, named in X-Amz-Target, its input as the JSON body', async () => {
    answering({ body: { Entries: [{ EventId: '1' }], FailedEntryCount: 0 } });
    const events = new AwsJsonClient(EVENTBRIDGE, settings());

    const output = await events.call('PutEvents', { Entries: [{ Source: 'prism' }] });

    expect(output).toEqual({ Entries: [{ EventId: '1' }], FailedEntryCount: 0 });
    const [request] = api.recorded;
    expect(request).toMatchObject({ method: 'POST', url: '/', body: '{"Entries":[{"Source":"prism"}]}' });
    expect(request!.headers).toMatchObject({
      'x-amz-target': 'AWSEvents.PutEvents',
      'content-type': 'application/x-amz-json-1.1',
      'content-length': '32',
      'x-amz-security-token': CREDENTIALS.sessionToken,
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIAFAKEJSONCREDENTIAL\/\d{8}\/eu-west-1\/events\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  test("DynamoDB's requests are JSON 1.0, under its API version", async () => {
    answering({ body: {} });
    await dynamodb().call('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } });
    expect(api.recorded[0]!.headers).toMatchObject({
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'content-type': 'application/x-amz-json-1.0',
    });
  });

  test("an error is named by the code in the body's __type, without its namespace, with its message and status", async () => {
    answering(
      refusal(400, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', 'Requested resource not found'),
    );
    await expect(dynamodb().call('GetItem', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found (HTTP 400)',
      status: 400,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test("the code may come in the x-amzn-errortype header, the message as Message, and a body's other members stay", async () => {
    answering({
      status: 400,
      headers: { 'x-amzn-errortype': 'QueueDoesNotExist:http://internal.amazon.com/coral/com.amazonaws.sqs/' },
      body: { Message: 'The specified queue does not exist.', QueueUrl: 'q' },
    });
    await expect(dynamodb().call('SendMessage', {})).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist. (HTTP 400)',
      QueueUrl: 'q',
    });
  });

  test('an answer with no JSON error is named by its status', async () => {
    answering({ status: 403, type: 'text/html', body: '<html>Forbidden by proxy</html>' });
    await expect(dynamodb().call('GetItem', {})).rejects.toMatchObject({ name: 'Forbidden', status: 403 });
  });

  test('a throttled request is sent again, and the next answer taken', async () => {
    answering(
      refusal(400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'Slow down'),
      refusal(400, 'ThrottlingException', 'Rate exceeded'),
      { body: { Item: { pk: { S: 'a' } } } },
    );
    expect(await dynamodb().call('GetItem', {})).toEqual({ Item: { pk: { S: 'a' } } });
    expect(api.recorded).toHaveLength(3);
  }, 15_000);

  test('a 5xx is sent again, at most three times in all', async () => {
    answering(refusal(500, 'InternalServerError', 'Internal server error'));
    await expect(dynamodb().call('PutItem', {})).rejects.toMatchObject({ name: 'InternalServerError', status: 500 });
    expect(api.recorded).toHaveLength(3);
  }, 15_000);

  test.each([
    ['ConditionalCheckFailedException', 'The conditional request failed'],
    ['ValidationException', 'One or more parameter values were invalid'],
    ['TransactionCanceledException', 'Transaction cancelled'],
  ])('a %s is not sent again', async (code, message) => {
    answering(refusal(400, `com.amazonaws.dynamodb.v20120810#${code}`, message));
    await expect(dynamodb().call('UpdateItem', {})).rejects.toMatchObject({ name: code });
    expect(api.recorded).toHaveLength(1);
  });

  test('no credential or signature reaches the error, though the service echoes the request it refused', async () => {
    let signature = '';
    api.routes['POST /'] = (request) => {
      signature = /Signature=(\w+)/.exec(request.headers.authorization ?? '')![1]!;
      return refusal(
        400,
        'InvalidSignatureException',
        `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'POST\n/\n\nx-amz-security-token:${CREDENTIALS.sessionToken}'\nSignature ${signature} of ${CREDENTIALS.accessKeyId}`,
        { Echo: { authorization: request.headers.authorization } },
      );
    };
    const error: unknown = await dynamodb()
      .call('GetItem', {})
      .catch((refused: unknown) => refused);

    expect(error).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    const told = [String(error), (error as Error).stack, JSON.stringify(error)].join('\n');
    for (const secret of [...Object.values(CREDENTIALS), signature]) expect(told).not.toContain(secret);
  });

  test('in Lambda, each request carries the invocation’s trace header', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_LAMBDA_FUNCTION_NAME: 'registry',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    answering({ body: {} });
    try {
      await dynamodb().call('GetItem', {});
    } finally {
      process.env = saved;
    }
    expect(api.recorded[0]!.headers['x-amzn-trace-id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('DynamoDB documents', () => {
  test('an item goes out in typed attribute values, undefined attributes left out, and comes back plain', async () => {
    answering({ body: {} });
    await documents().put({
      TableName: 'registry',
      Item: { pk: 'INV#1', count: 3, tags: new Set(['a', 'b']), nested: { on: true, gone: undefined }, none: null },
      ConditionExpression: 'attribute_not_exists(pk) AND #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'active', ':gone': undefined },
    });
    expect(wireBody(0)).toEqual({
      TableName: 'registry',
      Item: {
        pk: { S: 'INV#1' },
        count: { N: '3' },
        tags: { SS: ['a', 'b'] },
        nested: { M: { on: { BOOL: true } } },
        none: { NULL: true },
      },
      ConditionExpression: 'attribute_not_exists(pk) AND #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'active' } },
    });

    answering({ body: { Item: wireBody(0).Item } });
    expect(await documents().get({ TableName: 'registry', Key: { pk: 'INV#1' }, ConsistentRead: true })).toEqual({
      Item: { pk: 'INV#1', count: 3, tags: new Set(['a', 'b']), nested: { on: true }, none: null },
    });
    expect(wireBody(1)).toEqual({ TableName: 'registry', Key: { pk: { S: 'INV#1' } }, ConsistentRead: true });
  });

  test("a query's start key goes out typed; its items and last key come back plain", async () => {
    answering({
      body: { Items: [{ pk: { S: 'a' }, n: { N: '1' } }], Count: 1, LastEvaluatedKey: { pk: { S: 'a' } } },
    });
    const page = await documents().query({
      TableName: 't',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'a' },
      ExclusiveStartKey: { pk: 'z' },
    });
    expect(page).toEqual({ Items: [{ pk: 'a', n: 1 }], Count: 1, LastEvaluatedKey: { pk: 'a' } });
    expect(wireBody(0)).toMatchObject({
      ExpressionAttributeValues: { ':pk': { S: 'a' } },
      ExclusiveStartKey: { pk: { S: 'z' } },
    });
  });

  test("a batch read's keys go out typed; its responses and unprocessed keys come back plain", async () => {
    answering({
      body: {
        Responses: { t: [{ pk: { S: 'a' }, v: { N: '2' } }] },
        UnprocessedKeys: { t: { Keys: [{ pk: { S: 'b' } }], ConsistentRead: true } },
      },
    });
    const answer = await documents().batchGet({
      RequestItems: { t: { Keys: [{ pk: 'a' }, { pk: 'b' }], ConsistentRead: true, ProjectionExpression: 'v' } },
    });
    expect(answer).toEqual({
      Responses: { t: [{ pk: 'a', v: 2 }] },
      UnprocessedKeys: { t: { Keys: [{ pk: 'b' }], ConsistentRead: true } },
    });
    expect(wireBody(0)).toEqual({
      RequestItems: {
        t: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }], ConsistentRead: true, ProjectionExpression: 'v' },
      },
    });
  });

  test("an update's attributes come back plain", async () => {
    answering({ body: { Attributes: { pk: { S: 'a' }, seen: { N: '7' } } } });
    const { Attributes } = await documents().update({
      TableName: 't',
      Key: { pk: 'a' },
      UpdateExpression: 'SET seen = :n',
      ExpressionAttributeValues: { ':n': 7 },
      ReturnValues: 'ALL_NEW',
    });
    expect(Attributes).toEqual({ pk: 'a', seen: 7 });
    expect(wireBody(0)).toMatchObject({ Key: { pk: { S: 'a' } }, ExpressionAttributeValues: { ':n': { N: '7' } } });
  });

  test("each item of a transaction goes out typed; a cancelled one's reasons carry their items plain", async () => {
    answering(
      refusal(400, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', 'Transaction cancelled', {
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { n: { N: '4' } } },
        ],
      }),
    );
    const error: unknown = await documents()
      .transactWrite({
        TransactItems: [
          { Put: { TableName: 't', Item: { pk: 'a', skipped: undefined } } },
          {
            Update: {
              TableName: 't',
              Key: { pk: 'b' },
              UpdateExpression: 'ADD n :one',
              ConditionExpression: 'n < :max',
              ExpressionAttributeValues: { ':one': 1, ':max': 4 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { ConditionCheck: { TableName: 't', Key: { pk: 'c' }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      })
      .catch((refused: unknown) => refused);

    expect(error).toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { n: 4 } },
      ],
    });
    expect(wireBody(0)).toEqual({
      TransactItems: [
        { Put: { TableName: 't', Item: { pk: { S: 'a' } } } },
        {
          Update: {
            TableName: 't',
            Key: { pk: { S: 'b' } },
            UpdateExpression: 'ADD n :one',
            ConditionExpression: 'n < :max',
            ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '4' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { ConditionCheck: { TableName: 't', Key: { pk: { S: 'c' } }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
    });
    expect(api.recorded).toHaveLength(1);
  });
});
