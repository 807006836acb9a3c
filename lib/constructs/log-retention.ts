import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** How long the registry's log groups keep events: the API's access logs, as the functions' logs. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;
