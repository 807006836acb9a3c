import { Stack } from 'aws-cdk-lib';
import { EventBus, Match, type EventPattern } from 'aws-cdk-lib/aws-events';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_EVENTS, SES_INVITATION_TAG, mailQueueSettings } from '../../system/resources';
import { DEAD_LETTER_RETENTION, SecureQueue, redrivenQueue } from './secure-queue';

/** Who the registry's e-mail comes from (docs/DEPLOY.md, "E-mail delivery"). */
export interface MailSettings {
  /** The From address of every message. */
  from: string;
  /** The SES verified identity that address sends as: the address itself, or its domain (or a parent domain). */
  sesIdentity: string;
}

type SesDetailType = keyof typeof SES_EVENTS.statusByDetailType;

/** The SES event each detail type the mail-events function takes stands for: what the configuration set publishes. */
const PUBLISHED_EVENTS: Record<SesDetailType, EmailSendingEvent> = {
  'Email Delivered': EmailSendingEvent.DELIVERY,
  'Email Bounced': EmailSendingEvent.BOUNCE,
  'Email Complaint Received': EmailSendingEvent.COMPLAINT,
  'Email Rejected': EmailSendingEvent.REJECT,
  'Email Rendering Failed': EmailSendingEvent.RENDERING_FAILURE,
};

/** The SES tag SES itself puts on every message sent through a configuration set, naming that set. */
const CONFIGURATION_SET_TAG = 'ses:configuration-set';

/**
 * Sending through SES: the configuration set the mailer sends through, which publishes SES's reports on its
 * messages to the account's default event bus (SES accepts no other), and what routes them to the mail-events
 * function. The messages carry an encoded invitation, a bearer secret: the set delivers them over TLS only. It
 * publishes its bounce and complaint rates to CloudWatch, the reputation SES judges the account by.
 */
export class SesSending extends Construct {
  public readonly from: string;
  /** The ARN of the verified identity the mailer may send as, and of the configuration set it must send through. */
  public readonly identityArn: string;
  public readonly configurationSet: ConfigurationSet;
  public readonly configurationSetArn: string;
  /**
   * SES's reports on this set's messages about an invitation (tagged SES_INVITATION_TAG), of the detail types
   * SES_EVENTS maps to a delivery status: another deployment's in the same account and region are left out.
   */
  public readonly reportPattern: EventPattern;
  /** Where EventBridge leaves a report it could not hand to the mail-events function. */
  public readonly reportDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { from, sesIdentity }: MailSettings) {
    super(scope, id);
    const stack = Stack.of(this);
    this.from = from;
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: sesIdentity });
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    const { configurationSetName } = this.configurationSet;
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSetName,
    });
    this.configurationSet.addEventDestination('Reports', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: Object.values(PUBLISHED_EVENTS),
    });
    this.reportPattern = {
      source: [SES_EVENTS.source],
      detailType: Object.keys(PUBLISHED_EVENTS),
      detail: {
        mail: { tags: { [SES_INVITATION_TAG]: Match.exists(), [CONFIGURATION_SET_TAG]: [configurationSetName] } },
      },
    };
    this.reportDeadLetterQueue = new SecureQueue(this, 'ReportDeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
  }
}

export interface MailDeliveryProps {
  /** Who the mail comes from; without it e-mail is off: no SES resource, and the mailer fails every message. */
  settings?: MailSettings;
}

/**
 * E-mail delivery (docs/SPEC.md §4.8): the mail queue (MAIL_QUEUE), one message per e-mail, redriven to its
 * dead-letter queue once received as many times as the retry schedule gives attempts; and, where the deployment
 * names a sender, sending through SES.
 */
export class MailDelivery extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly ses?: SesSending;

  constructor(scope: Construct, id: string, { settings }: MailDeliveryProps = {}) {
    super(scope, id);
    const { queue, deadLetterQueue } = redrivenQueue(this, 'Delivery', {
      queue: 'mailDeliveries',
      settings: mailQueueSettings(),
    });
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    if (settings) this.ses = new SesSending(this, 'Ses', settings);
  }
}
