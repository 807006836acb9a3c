import type { S3Event, S3EventRecord } from 'aws-lambda';
import { config } from '../config';
import type { BatchInput } from '../domain/batch';
import { splitArrivedObject } from '../usecases/batch/split';
import { defaultDeps } from '../adapters/composition';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/** S3 notification keys are URL-encoded, with `+` for spaces. */
const objectKey = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));

/** The object the event is about, which may no longer be the one stored under its key. Events leave the ETag unquoted. */
const arrivedObject = ({ s3: { object } }: S3EventRecord): BatchInput => ({
  eTag: `"${object.eTag}"`,
  ...(object.versionId && { versionId: object.versionId }),
  size: object.size,
});

export const handler = lambdaHandler(async (event: S3Event): Promise<void> => {
  const limits = config.batchCsvLimits();
  for (const record of event.Records) {
    const key = objectKey(record.s3.object.key);
    const { size } = record.s3.object;
    logger.info('Splitting batch file', { key, size });
    const arrival = await splitArrivedObject(defaultDeps(), key, limits, arrivedObject(record));
    if (arrival?.outcome === 'ignored') {
      logger.warn('Batch file ignored', { key, size, ...arrival });
    } else if (arrival?.outcome === 'refused') {
      logger.warn('Batch file refused and removed', { key, size, maxBytes: limits.maxBytes, ...arrival });
    }
  }
});
