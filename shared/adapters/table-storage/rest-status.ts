import { RestError } from '@azure/data-tables';

/** The HTTP status of a Table Storage refusal (404 not found, 409 exists, 412 ETag), undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}
