import { BATCH_CONCURRENCY } from './batch';
import { RegistryError } from './errors';
import { refuseControlCharacters } from './text';
import * as z from './zod';

/** The options a batch is asked for, before they are resolved against its parent (`BatchOptions`). */
export interface BatchRequest {
  parentId?: string;
  parentToken?: string;
  s3ConfigPath?: string;
  includeEncoded?: boolean;
  concurrency?: number;
  hasHeader?: boolean;
  deliver?: boolean;
}

/** Object metadata a dropped CSV may carry (S3 lower-cases metadata names), and the option each sets. */
const METADATA_OPTIONS: Record<string, keyof BatchRequest> = {
  'parent-id': 'parentId',
  's3-config': 's3ConfigPath',
  'include-encoded': 'includeEncoded',
  concurrency: 'concurrency',
  'has-header': 'hasHeader',
  deliver: 'deliver',
};

const CONCURRENCY_RULE = `must be a whole number from ${BATCH_CONCURRENCY.min} to ${BATCH_CONCURRENCY.max}`;

const identifier = (max: number) =>
  z
    .string()
    .check(
      z.maxLength(max, { error: `must be at most ${max} characters` }),
      z.superRefine(refuseControlCharacters({ freeText: false })),
    );

/**
 * `true`/`false` as text gives them (query strings, S3 metadata), and JSON booleans (bodies, sidecars); the API's
 * options take it too.
 */
export const flag = z.union(
  [
    z.boolean(),
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((value) => value === 'true'),
    ),
  ],
  { error: 'must be true or false' },
);

/** A dropped file's options: every value may come as text (metadata) or as JSON (a sidecar). */
const droppedFileOptions = z.strictObject({
  parentId: z.optional(identifier(64)),
  parentToken: z.optional(identifier(64)),
  s3ConfigPath: z.optional(identifier(1024)),
  includeEncoded: z.optional(flag),
  concurrency: z.optional(
    z.pipe(
      z.coerce.number(),
      z
        .number({ error: CONCURRENCY_RULE })
        .check(
          z.int({ error: CONCURRENCY_RULE }),
          z.gte(BATCH_CONCURRENCY.min, { error: CONCURRENCY_RULE }),
          z.lte(BATCH_CONCURRENCY.max, { error: CONCURRENCY_RULE }),
        ),
    ),
  ),
  hasHeader: z.optional(flag),
  deliver: z.optional(flag),
});

function parseOptions(value: unknown, source: string): BatchRequest {
  const result = z.safeParse(droppedFileOptions, value);
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
