import { z } from 'zod';

/**
 * Shapes of what the client reads from a target, validated before use. Lenient where servers differ in harmless
 * ways (a numeric `id`, `totalResults` as text, "True"/"false" strings, `resources` in another case, a missing
 * `meta`), strict where the client depends on a value (every resource has an `id`: RFC 7643 §3.1).
 */

/** Top-level keys in any case (RFC 7643 §2.1: attribute names are case-insensitive) → the spelling given here. */
function canonicalKeys(keys: readonly string[]) {
  return (value: unknown): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const canonical = keys.find((k) => k.toLowerCase() === key.toLowerCase());
      out[canonical ?? key] = v;
    }
    return out;
  };
}

const Boolish = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((text) => text.toLowerCase() === 'true'),
]);

const Count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/** A resource as returned: an `id` (text or number) and whatever else it holds. */
export const ScimResourceBody = z.preprocess(
  canonicalKeys(['id', 'meta', 'userName', 'externalId', 'displayName', 'members', 'active']),
  z.looseObject({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    meta: z.looseObject({ version: z.string().optional() }).nullish(),
  }),
);
export type ScimResourceBody = z.infer<typeof ScimResourceBody>;

/** A query answer (RFC 7644 §3.4.2): `Resources` may be missing when nothing matched. */
export const ListResponseBody = z.preprocess(
  canonicalKeys(['Resources', 'totalResults', 'startIndex', 'itemsPerPage']),
  z.looseObject({
    totalResults: Count.optional(),
    startIndex: Count.optional(),
    itemsPerPage: Count.optional(),
    Resources: z.array(z.unknown()).nullish(),
  }),
);

const Supported = z.preprocess(canonicalKeys(['supported']), z.looseObject({ supported: Boolish.optional() }));

/** /ServiceProviderConfig (RFC 7643 §5): only the capabilities the client adapts to. */
export const ServiceProviderConfigBody = z.preprocess(
  canonicalKeys(['patch', 'filter', 'bulk', 'etag']),
  z.looseObject({
    patch: Supported.optional(),
    filter: z
      .preprocess(
        canonicalKeys(['supported', 'maxResults']),
        z.looseObject({ supported: Boolish.optional(), maxResults: Count.optional() }),
      )
      .optional(),
    bulk: z
      .preprocess(
        canonicalKeys(['supported', 'maxOperations']),
        z.looseObject({ supported: Boolish.optional(), maxOperations: Count.optional() }),
      )
      .optional(),
    etag: Supported.optional(),
  }),
);

interface SchemaAttribute {
  name?: string;
  type?: string;
  subAttributes?: SchemaAttribute[] | null;
}
const SchemaAttribute: z.ZodType<SchemaAttribute> = z.lazy(() =>
  z.looseObject({
    name: z.string().optional(),
    type: z.string().optional(),
    subAttributes: z.array(SchemaAttribute).nullish(),
  }),
);

/** One /Schemas entry (RFC 7643 §7). */
export const SchemaBody = z.looseObject({ id: z.string(), attributes: z.array(SchemaAttribute).nullish() });
export type SchemaBody = z.infer<typeof SchemaBody>;

/** One /ResourceTypes entry (RFC 7643 §6). */
export const ResourceTypeBody = z.looseObject({
  name: z.string().optional(),
  endpoint: z.string().optional(),
  schema: z.string().optional(),
  schemaExtensions: z.array(z.looseObject({ schema: z.string() })).nullish(),
});

/** OAuth 2.0 token response (RFC 6749 §5.1); expires_in is sometimes text. */
export const TokenResponseBody = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: Count.optional(),
});
