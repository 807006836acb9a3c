import type { S3Event } from 'aws-lambda';
import { config } from '../config';
import { defaultDeps } from '../usecases/deps';
import { splitArrivedObject } from '../usecases/split-batch';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/** S3 notification keys are URL-encoded, with `+` for spaces. */
const objectKey = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));

export const handler = lambdaHandler(async (event: S3Event): Promise<void> => {
  const limits = config.batchCsvLimits();
  for (const record of event.Records) {
    const key = objectKey(record.s3.object.key);
    logger.info('Splitting batch file', { key, size: record.s3.object.size });
    await splitArrivedObject(defaultDeps(), key, limits);
  }
});
