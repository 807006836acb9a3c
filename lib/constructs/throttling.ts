import type { StageOptions } from 'aws-cdk-lib/aws-apigateway';
import { ROUTES } from '../../lambdas/contract/routes';

export interface ThrottleLimits {
  /** Requests a second, sustained. */
  rateLimit: number;
  /** Requests API Gateway takes at once above the sustained rate. */
  burstLimit: number;
}

/**
 * The whole stage, every route together: 1,500 validations a second (each about one write and four reads) stay
 * within what a new on-demand table serves at once (4,000 writes or 12,000 reads a second, or a mix), and well
 * below the account's regional 10,000 a second, which other APIs share.
 */
export const DEFAULT_STAGE_THROTTLE: ThrottleLimits = { rateLimit: 1500, burstLimit: 3000 };

/**
 * Each recipient route on its own: anyone can call them, and each call reads the table. 1,000 a second is
 * 300,000 validations in 5 minutes: a fleet of that many devices validating every 5 minutes, with a burst of
 * 2,000 for a room of devices starting at once. Every client shares it, so the firewall holds each address to a
 * small share of it (checkFirewallBitesFirst).
 */
export const DEFAULT_RECIPIENT_ROUTE_THROTTLE: ThrottleLimits = { rateLimit: 1000, burstLimit: 2000 };

/** `limits`, with `defaults` for the ones left out (or given as undefined). */
export const withDefaults = (limits: Partial<ThrottleLimits> = {}, defaults: ThrottleLimits): ThrottleLimits => ({
  rateLimit: limits.rateLimit ?? defaults.rateLimit,
  burstLimit: limits.burstLimit ?? defaults.burstLimit,
});

/** Stage settings holding the stage to `stage` and each recipient route to the tighter `recipientRoute`. */
export function throttlingOptions(
  stage: ThrottleLimits,
  recipientRoute: ThrottleLimits,
): Pick<StageOptions, 'throttlingRateLimit' | 'throttlingBurstLimit' | 'methodOptions'> {
  if (recipientRoute.rateLimit > stage.rateLimit || recipientRoute.burstLimit > stage.burstLimit) {
    throw new Error(
      `Recipient route throttling (${JSON.stringify(recipientRoute)}) must not exceed the stage's (${JSON.stringify(stage)})`,
    );
  }
  const recipientRoutes = ROUTES.filter((route) => route.principal === 'recipient');
  return {
    throttlingRateLimit: stage.rateLimit,
    throttlingBurstLimit: stage.burstLimit,
    methodOptions: Object.fromEntries(
      recipientRoutes.map((route) => [
        `${route.path}/${route.method}`,
        { throttlingRateLimit: recipientRoute.rateLimit, throttlingBurstLimit: recipientRoute.burstLimit },
      ]),
    ),
  };
}
