import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_RESPONSES, gatewayErrorBody } from '../../lambdas/contract/gateway-responses';
import { ROUTES } from '../../lambdas/contract/routes';
import type { ThrottleLimits } from './throttling';

export interface FirewallSettings {
  /** Requests one client address may send to any route in 5 minutes; beyond them AWS WAF answers 429. */
  requestsPer5Minutes: number;
  /**
   * Requests one client address may send to the recipient routes (`/accept`, `/registry/*`) in 5 minutes, at most
   * `requestsPer5Minutes`: anyone can call them, and they share one throttle per route with every client.
   */
  recipientRequestsPer5Minutes: number;
}

export interface ApiFirewallProps extends FirewallSettings {
  stage: Stage;
}

/** AWS WAF's bounds on the limit of a rate-based rule. */
export const RATE_LIMIT = { min: 10, max: 2_000_000_000 };

/** The window both rate-based rules count over. */
export const EVALUATION_WINDOW_SECONDS = 300;

/**
 * Per client address: 3,000 requests in 5 minutes (10 a second) to the recipient routes, within which an office of
 * 1,000 devices behind one NAT address validating every 2 minutes (2,500) fits; twice that to all routes together,
 * so administrators and delegates behind that address still get through when its devices are near their limit.
 * docs/DEPLOY.md "Abuse limits" has the arithmetic.
 */
export const DEFAULT_FIREWALL: FirewallSettings = { requestsPer5Minutes: 6000, recipientRequestsPer5Minutes: 3000 };

/**
 * The largest share of a throttle one client address may take at its firewall limit: at most a tenth, so it takes
 * ten addresses or more at their limits to exhaust a throttle every client shares.
 */
export const MAX_ADDRESS_SHARE_OF_THROTTLE = 0.1;

const THROTTLED_BODY = 'throttled';

/**
 * What a recipient route's path contains wherever the API is served (`/v1/registry/validate` on the default
 * endpoint, `/registry/validate` or `/<base>/registry/validate` behind a custom domain): `/registry/` for the
 * routes below it, `/accept` for the route itself.
 */
export function recipientPathMarkers(): string[] {
  const markers = ROUTES.filter((route) => route.principal === 'recipient').map((route) => {
    const [first, ...rest] = route.path.split('/').slice(1);
    return rest.length > 0 ? `/${first}/` : `/${first}`;
  });
  return [...new Set(markers)];
}

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
 * A path containing `marker` once percent-decoded: a request spelling its path in escapes is counted too. Counting
 * more than the recipient routes costs only the address that sent such a path.
 */
const pathContains = (marker: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'CONTAINS',
    searchString: marker,
    textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
  },
});

const anyOf = (statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty =>
  statements.length === 1 ? statements[0]! : { orStatement: { statements } };

/** A rule answering 429 in the registry's error shape to an address over `limit` requests (of `scope`, if given). */
const rateRule = (
  name: string,
  priority: number,
  limit: number,
  scope?: CfnWebACL.StatementProperty,
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  action: {
    block: {
      customResponse: { responseCode: GATEWAY_RESPONSES.throttled.status, customResponseBodyKey: THROTTLED_BODY },
    },
  },
  statement: {
    rateBasedStatement: {
      limit,
      aggregateKeyType: 'IP',
      evaluationWindowSec: EVALUATION_WINDOW_SECONDS,
      ...(scope && { scopeDownStatement: scope }),
    },
  },
  visibilityConfig: visibility(name),
});

function checkLimit(name: keyof FirewallSettings, value: number): void {
  if (!Number.isInteger(value) || value < RATE_LIMIT.min || value > RATE_LIMIT.max) {
    throw new Error(`${name} must be a whole number from ${RATE_LIMIT.min} to ${RATE_LIMIT.max}, got ${value}`);
  }
}

/**
 * Refuses firewall limits that let one client address take more than MAX_ADDRESS_SHARE_OF_THROTTLE of the stage's
 * throttle or of a recipient route's: then a single client could throttle every other, and the reference client
 * takes any answer but 200 from `/registry/validate` as "valid, from the local cache".
 */
export function checkFirewallBitesFirst(
  { requestsPer5Minutes, recipientRequestsPer5Minutes }: FirewallSettings,
  stage: ThrottleLimits,
  recipientRoute: ThrottleLimits,
): void {
  const held = [
    ['requestsPer5Minutes', requestsPer5Minutes, 'the stage', stage.rateLimit],
    ['recipientRequestsPer5Minutes', recipientRequestsPer5Minutes, 'each recipient route', recipientRoute.rateLimit],
  ] as const;
  for (const [name, limit, throttled, rateLimit] of held) {
    const perSecond = limit / EVALUATION_WINDOW_SECONDS;
    if (perSecond > MAX_ADDRESS_SHARE_OF_THROTTLE * rateLimit) {
      throw new Error(
        `Firewall ${name} (${limit}, ${perSecond.toFixed(1)} a second) lets one client address take more than ` +
          `${MAX_ADDRESS_SHARE_OF_THROTTLE * 100}% of the ${rateLimit} a second ${throttled} is throttled to: ` +
          'lower it or raise the throttle',
      );
    }
  }
}

/**
 * A regional AWS WAF WebACL in front of the API stage: a rate limit per client address on the recipient routes,
 * one on all routes, then AWS managed rule groups that cannot refuse a legitimate request: the IP reputation list
 * (addresses AWS has seen attack) and known bad inputs (exploit payloads such as Log4Shell). Not the common rule
 * set: its SizeRestrictions_BODY refuses bodies over 8 KB, and `POST /batches` takes inline CSVs of up to 5 MiB;
 * its cross-site scripting rules would also judge the free text of names and CSV rows.
 */
export class ApiFirewall extends Construct {
  public readonly webAcl: CfnWebACL;
  public readonly association: CfnWebACLAssociation;

  constructor(
    scope: Construct,
    id: string,
    { stage, requestsPer5Minutes, recipientRequestsPer5Minutes }: ApiFirewallProps,
  ) {
    super(scope, id);
    checkLimit('requestsPer5Minutes', requestsPer5Minutes);
    checkLimit('recipientRequestsPer5Minutes', recipientRequestsPer5Minutes);
    if (recipientRequestsPer5Minutes > requestsPer5Minutes) {
      throw new Error(
        `recipientRequestsPer5Minutes (${recipientRequestsPer5Minutes}) must not exceed requestsPer5Minutes ` +
          `(${requestsPer5Minutes}): the recipient routes count towards both`,
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
        rateRule(
          'RecipientRequestsPerClientAddress',
          0,
          recipientRequestsPer5Minutes,
          anyOf(recipientPathMarkers().map(pathContains)),
        ),
        rateRule('RequestsPerClientAddress', 1, requestsPer5Minutes),
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 2),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });

    this.association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
