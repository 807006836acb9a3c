import type * as z from 'zod/mini';
import { requestJsonSchema, type JsonSchema } from '../../lambdas/contract/route-schemas';

type Subschema = JsonSchema | boolean;

/** Assertions that mean to API Gateway's draft-04 validator what they mean to zod. */
const SAME_AS_ZOD = ['required', 'enum', 'minimum', 'maximum', 'minItems', 'maxItems'] as const;

/**
 * The request model of a route's body: the zod schema's draft-04 JSON Schema, cut down so that API Gateway
 * never refuses a body the handler would accept. It keeps the structure (types, required and unknown fields,
 * enums, numeric and array bounds) and leaves the rest to the handler, which still parses with the full schema:
 * - string lengths, patterns and formats: zod may normalise a string before measuring it (`name` is trimmed),
 *   counts UTF-16 units where API Gateway counts code points, and JavaScript and Java regexes differ;
 * - `integer` becomes `number`: API Gateway's parser takes `30.0` or `3e1` for a fraction, zod for 30;
 * - exclusive bounds, `oneOf`, `allOf`, `not`, `$ref` and other keywords API Gateway does not support or zod
 *   reads differently, and refinements, which JSON Schema cannot express (zod leaves them out already).
 * Dropping an assertion only ever widens what the model accepts.
 */
export function requestModelSchema(body: z.ZodMiniType): JsonSchema {
  const { $schema, ...schema } = requestJsonSchema(body, 'draft-04');
  return { $schema, ...structureOf(schema) };
}

function structureOf(schema: JsonSchema): JsonSchema {
  const model: JsonSchema = Object.fromEntries(
    SAME_AS_ZOD.filter((key) => key in schema).map((key) => [key, schema[key]]),
  );
  if (schema.type) {
    model.type = Array.isArray(schema.type) ? schema.type.map(numberForInteger) : numberForInteger(schema.type);
  }
  if (schema.properties) {
    model.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, subschema(value)]),
    );
  }
  if (schema.additionalProperties !== undefined) model.additionalProperties = subschema(schema.additionalProperties);
  if (schema.items) model.items = Array.isArray(schema.items) ? schema.items.map(subschema) : subschema(schema.items);
  if (schema.anyOf) model.anyOf = schema.anyOf.map(structureOf);
  return model;
}

const subschema = (schema: Subschema): Subschema => (typeof schema === 'boolean' ? schema : structureOf(schema));

const numberForInteger = <T extends string>(type: T): T | 'number' => (type === 'integer' ? 'number' : type);
