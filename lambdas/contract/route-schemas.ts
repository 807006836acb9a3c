import * as z from '../domain/zod';

export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** The dialects the route schemas are published in: API Gateway request models and the OpenAPI document. */
export type RouteSchemaTarget = 'draft-04' | 'openapi-3.0';

/**
 * The JSON Schema of what a client sends as a route's body or query: the schema's input side, so a
 * coerced number or a `true`/`false` flag is described as sent, not as the handler receives it.
 */
export const requestJsonSchema = (schema: z.ZodMiniType, target: RouteSchemaTarget): JsonSchema =>
  z.toJSONSchema(schema, { target, io: 'input' });
