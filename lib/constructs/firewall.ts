import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_RESPONSES, gatewayErrorBody } from '../../lambdas/gateway-responses';

export interface FirewallSettings {
  /** Requests one client address may send in any 5 minutes; beyond them AWS WAF answers 429 until it slows down. */
  requestsPer5Minutes: number;
}

export interface ApiFirewallProps extends FirewallSettings {
  stage: Stage;
}

/** AWS WAF's bounds on the limit of a rate-based rule. */
export const RATE_LIMIT = { min: 10, max: 2_000_000_000 };

/** Requests per client address per 5 minutes where a deployment turns the firewall on without choosing: 10 a second. */
export const DEFAULT_REQUESTS_PER_5_MINUTES = 3000;

const THROTTLED_BODY = 'throttled';

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  // Sampled requests keep their headers and query strings, where delegate and recipient tokens travel.
  sampledRequestsEnabled: false,
});

const managedRuleGroup = (name: string, priority: number): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  visibilityConfig: visibility(name),
});

/**
 * A regional AWS WAF WebACL in front of the API stage: a rate limit per client address, then AWS managed rule
 * groups that cannot refuse a legitimate request: the IP reputation list (addresses AWS has seen attack) and
 * known bad inputs (exploit payloads such as Log4Shell). Not the common rule set: its SizeRestrictions_BODY
 * refuses bodies over 8 KB, and `POST /batches` takes inline CSVs of up to 5 MiB; its cross-site scripting
 * rules would also judge the free text of names and CSV rows.
 */
export class ApiFirewall extends Construct {
  public readonly webAcl: CfnWebACL;
  public readonly association: CfnWebACLAssociation;

  constructor(scope: Construct, id: string, { stage, requestsPer5Minutes }: ApiFirewallProps) {
    super(scope, id);
    if (
      !Number.isInteger(requestsPer5Minutes) ||
      requestsPer5Minutes < RATE_LIMIT.min ||
      requestsPer5Minutes > RATE_LIMIT.max
    ) {
      throw new Error(
        `requestsPer5Minutes must be a whole number from ${RATE_LIMIT.min} to ${RATE_LIMIT.max}, got ${requestsPer5Minutes}`,
      );
    }

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      description: 'Prism invitation registry API',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // The WebACL's name in its metrics: two deployments in one account stay apart.
      visibilityConfig: visibility(`${Stack.of(this).stackName}-api`),
      // AWS WAF's own answers are fixed text: they cannot carry the request id.
      customResponseBodies: {
        [THROTTLED_BODY]: { contentType: 'APPLICATION_JSON', content: gatewayErrorBody(GATEWAY_RESPONSES.throttled) },
      },
      rules: [
        {
          name: 'RequestsPerClientAddress',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: GATEWAY_RESPONSES.throttled.status,
                customResponseBodyKey: THROTTLED_BODY,
              },
            },
          },
          statement: {
            rateBasedStatement: { limit: requestsPer5Minutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility('RequestsPerClientAddress'),
        },
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 1),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });

    this.association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
