import { FUNCTIONS, queueVisibilityTimeoutSeconds } from '../../../../system/functions';
import { DEAD_LETTER_RETENTION_DAYS, WEBHOOK_QUEUE, webhookQueueSettings } from '../../../../system/resources';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, deliveryAttempts } from '../../../../lambdas/domain/webhook';
import { queueEventSources, resourceProperties, sharedRegistry } from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const { deliveryQueue, deliveryDeadLetterQueue } = ids.webhooks;
const DAY_SECONDS = 24 * 60 * 60;

/** The webhook delivery queue, its dead-letter queue and alarm, and what feeds the dispatcher and the sender. */
describe('webhook deliveries', () => {
  test('the queue redrives a delivery to its dead-letter queue after one receive per attempt of the schedule', () => {
    expect(webhookQueueSettings(DEFAULT_RETRY_SCHEDULE_SECONDS).maxReceiveCount).toBe(8);
    expect(resourceProperties(template, deliveryQueue)).toMatchObject({
      VisibilityTimeout: queueVisibilityTimeoutSeconds('webhookDeliveries'),
      MessageRetentionPeriod: WEBHOOK_QUEUE.retentionDays * DAY_SECONDS,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deliveryDeadLetterQueue, 'Arn'] },
        maxReceiveCount: deliveryAttempts(DEFAULT_RETRY_SCHEDULE_SECONDS),
      },
      SqsManagedSseEnabled: true,
    });
    expect(resourceProperties(template, deliveryDeadLetterQueue)).toMatchObject({
      MessageRetentionPeriod: DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS,
    });
  });

  test('the whole retry schedule fits in the queue’s retention and each step in SQS’s 12-hour visibility limit', () => {
    const total = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThanOrEqual(DAY_SECONDS);
    expect(total).toBeLessThan(WEBHOOK_QUEUE.retentionDays * DAY_SECONDS);
    expect(Math.max(...DEFAULT_RETRY_SCHEDULE_SECONDS)).toBeLessThanOrEqual(12 * 60 * 60);
  });

  test('its dead-letter queue has an alarm', () => {
    expect(Object.keys(ids.monitoring.deadLetterAlarms)).toContain(deliveryDeadLetterQueue);
  });

  test('the sender is fed by the queue, reporting failures per message', () => {
    expect(queueEventSources(template, deliveryQueue)).toEqual([
      expect.objectContaining({
        FunctionName: { Ref: ids.functions.webhookSender.function },
        BatchSize: WEBHOOK_QUEUE.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: WEBHOOK_QUEUE.defaultMaxConcurrency },
      }),
    ]);
  });

  test('the dispatcher reads the audit stream, and no function is told to allow loopback webhooks', () => {
    expect(FUNCTIONS.eventDispatcher.trigger).toEqual({ kind: 'auditStream' });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const variables = (fn.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment
        ?.Variables;
      expect(variables ?? {}).not.toHaveProperty('REGISTRY_WEBHOOKS_ALLOW_LOOPBACK');
      expect(variables ?? {}).not.toHaveProperty('REGISTRY_WEBHOOK_RETRY_SCHEDULE');
    }
  });
});
