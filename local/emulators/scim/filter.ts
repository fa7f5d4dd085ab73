import SCIMMY from 'scimmy';

/**
 * Query filters (RFC 7644 §3.4.2.2) evaluated over stored resources with scimmy's own matcher, plus the two rules
 * scimmy's `Filter.match` leaves to the service provider:
 * - string comparisons follow the attribute's `caseExact` (RFC 7644 §3.4.2.2: "if the attribute has caseExact
 *   false, the comparison is case-insensitive"). In the core User and Group schemas every string attribute a client
 *   filters on is caseExact false except `id`, `externalId` and `$ref` (RFC 7643 §3.1, §4.1, §4.2), so values
 *   are lower-cased on both sides except under those names (and `meta`, whose dates must stay ISO 8601);
 * - attribute names may be URN-qualified (`urn:...:enterprise:2.0:User:employeeNumber`, RFC 7644 §3.10), so
 *   extension attributes are also offered under their qualified names.
 * Attribute names themselves are matched case-insensitively by scimmy (RFC 7643 §2.1).
 */
const CASE_EXACT = new Set(['id', 'externalid', '$ref', 'meta']);

type FilterExpression = InstanceType<typeof SCIMMY.Types.Filter>;

export function matchFilter<T extends Record<string, unknown>>(filter: FilterExpression, resources: T[]): T[] {
  const normalised = new SCIMMY.Types.Filter(
    (filter as unknown as Record<string, unknown>[]).map(
      (branch) => lowerCaseValues(branch) as Record<string, unknown>,
    ),
  );
  const candidates = resources.map((resource) => lowerCaseValues(withQualifiedNames(resource)) as object);
  const matched = new Set(normalised.match(candidates));
  return resources.filter((_, index) => matched.has(candidates[index]!));
}

/**
 * The comparisons of a filter made only of `attr eq "value"` joined by `or` (one for a single equality), for an
 * indexed look-up before the full match (the Entra look-ups: userName, externalId, or both in one request).
 */
export function equalities(filter: FilterExpression): { attribute: string; value: string }[] | undefined {
  const found: { attribute: string; value: string }[] = [];
  for (const branch of filter as unknown as Record<string, unknown>[]) {
    const entries = Object.entries(branch);
    if (entries.length !== 1) return undefined;
    const [attribute, expression] = entries[0]!;
    if (!Array.isArray(expression) || expression.length !== 2) return undefined;
    const [comparator, value] = expression as unknown[];
    if (typeof comparator !== 'string' || comparator.toLowerCase() !== 'eq' || typeof value !== 'string')
      return undefined;
    found.push({ attribute: attribute.toLowerCase(), value });
  }
  return found.length ? found : undefined;
}

/**
 * Why a filter expression is not valid (RFC 7644 §3.4.2.2), or undefined. scimmy's parser accepts a comparison
 * without its value (`userName eq`), which the grammar does not: every operator but `pr` compares to a value.
 */
export function filterSyntaxProblem(expression: string): string | undefined {
  let parsed: FilterExpression;
  try {
    parsed = new SCIMMY.Types.Filter(expression);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const incomplete = (node: unknown): boolean => {
    if (Array.isArray(node)) {
      if (node.every(Array.isArray)) return node.some(incomplete);
      const [first, ...rest] = node as unknown[];
      const comparison = String(first).toLowerCase() === 'not' ? rest : [first, ...rest];
      return String(comparison[0]).toLowerCase() !== 'pr' && comparison.length < 2;
    }
    return isObject(node) && Object.values(node).some(incomplete);
  };
  const branches = parsed as unknown as unknown[];
  return branches.some(incomplete) ? `a comparison in '${expression}' has no value` : undefined;
}

function withQualifiedNames(resource: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...resource };
  for (const [key, value] of Object.entries(resource)) {
    if (!key.toLowerCase().startsWith('urn:') || !isObject(value)) continue;
    for (const [name, sub] of Object.entries(value)) out[`${key}:${name}`] = sub;
  }
  return out;
}

function lowerCaseValues(value: unknown, key = ''): unknown {
  if (CASE_EXACT.has(key.toLowerCase())) return value;
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map((item) => lowerCaseValues(item));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(value)) out[name] = lowerCaseValues(sub, name);
    return out;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
