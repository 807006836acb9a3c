import * as z from 'zod';
import { BATCH_CONCURRENCY } from './batch';
import { RegistryError } from './errors';
import { refuseControlCharacters } from './text';

/** The options a batch is asked for, before they are resolved against its parent (`BatchOptions`). */
export interface BatchRequest {
  parentId?: string;
  parentToken?: string;
  s3ConfigPath?: string;
  includeEncoded?: boolean;
  concurrency?: number;
  hasHeader?: boolean;
}

/** Object metadata a dropped CSV may carry (S3 lower-cases metadata names), and the option each sets. */
const METADATA_OPTIONS: Record<string, keyof BatchRequest> = {
  'parent-id': 'parentId',
  's3-config': 's3ConfigPath',
  'include-encoded': 'includeEncoded',
  concurrency: 'concurrency',
  'has-header': 'hasHeader',
};

const CONCURRENCY_RULE = `must be a whole number from ${BATCH_CONCURRENCY.min} to ${BATCH_CONCURRENCY.max}`;

const identifier = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine(refuseControlCharacters({ freeText: false }));

/** `true`/`false` as metadata gives them, and JSON booleans as a sidecar does. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], {
  error: 'must be true or false',
});

/** A dropped file's options: every value may come as text (metadata) or as JSON (a sidecar). */
const droppedFileOptions = z.strictObject({
  parentId: identifier(64).optional(),
  parentToken: identifier(64).optional(),
  s3ConfigPath: identifier(1024).optional(),
  includeEncoded: flag.optional(),
  concurrency: z.coerce
    .number()
    .pipe(
      z
        .number({ error: CONCURRENCY_RULE })
        .int({ error: CONCURRENCY_RULE })
        .min(BATCH_CONCURRENCY.min, { error: CONCURRENCY_RULE })
        .max(BATCH_CONCURRENCY.max, { error: CONCURRENCY_RULE }),
    )
    .optional(),
  hasHeader: flag.optional(),
});

function parseOptions(value: unknown, source: string): BatchRequest {
  const result = droppedFileOptions.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RegistryError(
    400,
    'invalid_batch_options',
    `${source}: ${issue.path.join('.') || 'options'}: ${issue.message}`,
  );
}

/** The options a sidecar `<key>.json` gives the file dropped at `key`. */
export function sidecarOptions(key: string, sidecar: string): BatchRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(sidecar);
  } catch {
    throw new RegistryError(400, 'invalid_sidecar', `${key}.json is not valid JSON`);
  }
  return parseOptions(parsed, `${key}.json`);
}

/** The options a dropped file's object metadata gives it; other metadata is not the registry's. */
export function metadataOptions(metadata: Record<string, string>): BatchRequest {
  const options: Record<string, string> = {};
  for (const [name, option] of Object.entries(METADATA_OPTIONS)) {
    if (metadata[name] !== undefined) options[option] = metadata[name];
  }
  return parseOptions(options, 'object metadata');
}
