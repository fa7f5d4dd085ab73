/**
 * Splits "is any of these values taken" lookups into `$filter`s Graph accepts: "When using the in operator, the
 * request is limited to 15 expressions in the filter clause by default" (each `eq`, and each value of an `in`,
 * is one expression; https://learn.microsoft.com/graph/known-issues, query parameters, and
 * https://learn.microsoft.com/graph/filter-query-parameter). The caller sends the filters as GETs inside one
 * `$batch`, so the lookup stays one round trip.
 */
const FILTER_EXPRESSION_LIMIT = 15;

export interface EqualityTerm {
  property: string;
  value: string;
}

export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `p eq 'v'` / `p in ('a','b')` clauses joined with `or`, at most `limit` expressions per filter. */
export function equalityFilters(terms: EqualityTerm[], limit = FILTER_EXPRESSION_LIMIT): string[] {
  const seen = new Set<string>();
  const unique = terms.filter((t) => {
    const key = `${t.property}\u0000${t.value.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const filters: string[] = [];
  for (let start = 0; start < unique.length; start += limit) {
    const byProperty = new Map<string, string[]>();
    for (const t of unique.slice(start, start + limit))
      byProperty.set(t.property, [...(byProperty.get(t.property) ?? []), t.value]);
    filters.push(
      [...byProperty]
        .map(([property, values]) =>
          values.length === 1
            ? `${property} eq ${odataString(values[0]!)}`
            : `${property} in (${values.map(odataString).join(',')})`,
        )
        .join(' or '),
    );
  }
  return filters;
}
