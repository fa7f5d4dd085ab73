import {
  advancedOperators,
  eqValues,
  FilterSyntaxError,
  orExpressionCount,
  parseFilter,
  type FilterNode,
} from './filter';
import { odataError, type EmulatorResponse } from './odata';

/**
 * What Graph checks on a directory collection query before it runs it, refused the way Graph refuses it.
 *
 * - `in`/`or`: "When using the in operator, the request is limited to 15 expressions in the filter clause by
 *   default, or a URL length of 2,048 characters when using advanced query capabilities", and an `eq` value is
 *   limited to 120 characters outside advanced queries (https://learn.microsoft.com/graph/known-issues, query
 *   parameters; https://learn.microsoft.com/graph/filter-query-parameter). The refusal text is the one the
 *   service returns: "Too many child clauses specified in search filter expression containing 'OR' operators".
 *   Graph documents no wording for an over-long advanced-query URL; the emulator answers 400 with its own.
 * - `ne`, `not`, `endsWith` and `$count` need `ConsistencyLevel: eventual` and `$count=true`; the error body is
 *   the one on https://learn.microsoft.com/graph/aad-advanced-queries (section "Error handling for advanced
 *   queries on directory objects")
 *   (without the header, `$count=true` is silently ignored: no `@odata.count`).
 * - `$top` is 1..999 on directory collections (https://learn.microsoft.com/graph/paging); the service answers
 *   Request_UnsupportedQuery "Invalid page size specified: 'N'. Must be between 1 and 999 inclusive."
 */
const IN_EXPRESSION_LIMIT = 15;
const ADVANCED_QUERY_URL_LIMIT = 2048;
const EQ_VALUE_LIMIT = 120;
const MAX_PAGE_SIZE = 999;
const GRAPH_ROOT = 'https://graph.microsoft.com';

export interface CollectionQuery {
  /** Parsed $filter, or null when none. */
  filter: FilterNode | null;
  /** ConsistencyLevel: eventual (an eventually consistent, advanced query). */
  eventual: boolean;
  /** `@odata.count` is answered: advanced query with $count=true. */
  count: boolean;
  /** Page size asked with $top, or null. */
  top: number | null;
}

export interface QueryInput {
  query: URLSearchParams;
  headers?: Record<string, string>;
  version: string;
  /** Path and query after the version, exactly as sent (for the URL length). */
  rawUrl?: string;
  path: string;
}

const unsupported = (message: string): EmulatorResponse => odataError(400, 'Request_UnsupportedQuery', message);

export function checkCollectionQuery(req: QueryInput): CollectionQuery | EmulatorResponse {
  const eventual = req.headers?.consistencylevel?.toLowerCase() === 'eventual';
  const countAsked = req.query.get('$count')?.toLowerCase() === 'true';
  const rawTop = req.query.get('$top');
  let top: number | null = null;
  if (rawTop !== null) {
    top = Number(rawTop);
    if (!/^\d+$/.test(rawTop) || top < 1 || top > MAX_PAGE_SIZE)
      return unsupported(`Invalid page size specified: '${rawTop}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
  }
  const rawFilter = req.query.get('$filter');
  let filter: FilterNode | null = null;
  if (rawFilter !== null) {
    try {
      filter = parseFilter(rawFilter);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      return odataError(400, 'BadRequest', `Invalid filter clause: ${error.message}`);
    }
    const advanced = [...advancedOperators(filter)];
    if (advanced.length && !(eventual && countAsked))
      return unsupported(
        `Operator '${advanced[0]}' is not supported because the required parameters might be missing. ` +
          'Try adding $count=true query parameter and ConsistencyLevel:eventual header. ' +
          'Refer to https://aka.ms/graph-docs/advanced-queries for more information',
      );
    if (eventual) {
      const url = `${GRAPH_ROOT}/${req.version}${req.rawUrl ?? `${req.path}?${req.query.toString()}`}`;
      if (url.length > ADVANCED_QUERY_URL_LIMIT)
        return unsupported(
          `The request URL has ${url.length} characters; advanced queries are limited to ` +
            `${ADVANCED_QUERY_URL_LIMIT} characters.`,
        );
    } else {
      const expressions = orExpressionCount(filter);
      if (expressions > IN_EXPRESSION_LIMIT)
        return unsupported(
          `Too many child clauses specified in search filter expression containing 'OR' operators: ` +
            `${expressions}. Max allowed: ${IN_EXPRESSION_LIMIT}.`,
        );
      const long = eqValues(filter).find((v) => v.length > EQ_VALUE_LIMIT);
      if (long !== undefined)
        return unsupported(
          `The value to match with 'eq' has ${long.length} characters; the limit is ${EQ_VALUE_LIMIT} ` +
            'outside advanced queries.',
        );
    }
  }
  return { filter, eventual, count: eventual && countAsked, top };
}

export function isResponse(value: CollectionQuery | EmulatorResponse): value is EmulatorResponse {
  return 'status' in value;
}
