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

/** 403 as Graph answers a call the token's roles do not allow (https://learn.microsoft.com/graph/errors). */
export const forbidden = (): EmulatorResponse =>
  odataError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const badRequest = (message: string, details?: { code: string; target: string }[]): EmulatorResponse =>
  odataError(400, 'Request_BadRequest', message, details);

export function ok(body: unknown, status = 200): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json', 'request-id': randomUUID() }, body };
}

export function noContent(status = 204): EmulatorResponse {
  return { status, headers: { 'request-id': randomUUID() } };
}

export function select<T extends Record<string, unknown>>(doc: T, $select: string | null): Record<string, unknown> {
  if (!$select) return doc;
  // Graph always keeps the type annotation of items in directoryObject collections (memberOf, members).
  const keys = ['@odata.type', ...$select.split(',').map((k) => k.trim()), 'id'];
  return Object.fromEntries(keys.filter((k) => k in doc).map((k) => [k, doc[k]]));
}
