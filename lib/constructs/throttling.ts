import type { StageOptions } from 'aws-cdk-lib/aws-apigateway';
import { ROUTES } from '../../lambdas/routes';

export interface ThrottleLimits {
  /** Requests a second, sustained. */
  rateLimit: number;
  /** Requests API Gateway takes at once above the sustained rate. */
  burstLimit: number;
}

/** The whole stage, every route together (the account's regional limit is 10,000 a second). */
export const DEFAULT_STAGE_THROTTLE: ThrottleLimits = { rateLimit: 500, burstLimit: 1000 };

/**
 * Each recipient route on its own: they take no credentials, so anyone can call them, yet each call reads the
 * table. Enough for a fleet of clients validating at start-up; a flood from one address is the firewall's.
 */
export const DEFAULT_RECIPIENT_ROUTE_THROTTLE: ThrottleLimits = { rateLimit: 50, burstLimit: 100 };

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
