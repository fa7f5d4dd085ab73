/**
 * Builds `WHERE a AND b ...` from optional filters: each entry is a SQL condition with its parameters,
 * or undefined when that filter is not set.
 */
export function whereClause(conditions: ([string, ...unknown[]] | undefined)[]): { sql: string; args: unknown[] } {
  const present = conditions.filter((c): c is [string, ...unknown[]] => c !== undefined);
  return {
    sql: present.length ? `WHERE ${present.map((c) => c[0]).join(' AND ')}` : '',
    args: present.flatMap((c) => c.slice(1)),
  };
}
