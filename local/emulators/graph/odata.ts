import { randomUUID } from 'node:crypto';

/** Graph's error body (https://learn.microsoft.com/graph/errors). */
export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function odataError(
  status: number,
  code: string,
  message: string,
  details?: { code: string; target: string }[],
): EmulatorResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': requestId },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': requestId,
        },
        ...(details ? { details } : {}),
      },
    },
  };
}

export const notFound = (id: string): EmulatorResponse =>
  odataError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string, details?: { code: string; target: string }[]): EmulatorResponse =>
  odataError(400, 'Request_BadRequest', message, details);

export function ok(body: unknown, status = 200): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json', 'request-id': randomUUID() }, body };
}

export function noContent(status = 204): EmulatorResponse {
  return { status, headers: { 'request-id': randomUUID() } };
}

/** One `prop eq 'v'` or `prop in ('a','b')` clause of a $filter, OR-combined. */
export interface FilterClause {
  property: string;
  values: string[];
}

/**
 * The subset of OData $filter the app uses on users: `eq` and `in` on string properties joined with
 * `or` (https://learn.microsoft.com/graph/filter-query-parameter). Anything else is refused the way
 * Graph refuses unsupported filters (400 Request_UnsupportedQuery).
 */
export function parseFilter(filter: string): FilterClause[] | null {
  const clauses: FilterClause[] = [];
  for (const part of filter.split(/\s+or\s+/i)) {
    const eq = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(part);
    if (eq) {
      clauses.push({ property: eq[1]!, values: [eq[2]!.replace(/''/g, "'")] });
      continue;
    }
    const inList = /^\s*([A-Za-z]+)\s+in\s+\((.*)\)\s*$/.exec(part);
    if (inList) {
      const values = [...inList[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
      clauses.push({ property: inList[1]!, values });
      continue;
    }
    return null;
  }
  return clauses;
}

export function select<T extends Record<string, unknown>>(doc: T, $select: string | null): Record<string, unknown> {
  if (!$select) return doc;
  const keys = $select.split(',').map((k) => k.trim());
  return Object.fromEntries(
    keys
      .filter((k) => k in doc)
      .map((k) => [k, doc[k]])
      .concat([['id', doc.id]]),
  );
}
