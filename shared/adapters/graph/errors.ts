/**
 * Typed Graph failures (https://learn.microsoft.com/graph/errors): the app reacts to kinds, never to
 * message text. Every error carries Graph's request-id for correlation.
 */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends GraphRequestError {}
/** Duplicate UPN / mailNickname / proxyAddresses: Request_BadRequest with details ObjectConflict. */
export class ConflictError extends GraphRequestError {
  constructor(
    message: string,
    status: number,
    code: string,
    requestId: string | null,
    readonly property: string | null,
  ) {
    super(message, status, code, requestId);
  }
}
class ThrottledError extends GraphRequestError {
  constructor(
    message: string,
    status: number,
    code: string,
    requestId: string | null,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message, status, code, requestId);
  }
}
export class ForbiddenError extends GraphRequestError {}

interface ODataErrorBody {
  error?: {
    code?: string;
    message?: string;
    innerError?: Record<string, unknown>;
    details?: { code?: string; target?: string }[];
  };
}

export function graphErrorFrom(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null } | Record<string, string> | undefined,
): GraphRequestError {
  const header = (name: string): string | null =>
    !headers
      ? null
      : typeof (headers as { get?: unknown }).get === 'function'
        ? (headers as { get(n: string): string | null }).get(name)
        : ((headers as Record<string, string>)[name] ?? null);
  const error = (body as ODataErrorBody | undefined)?.error ?? {};
  const code = error.code ?? `Http${status}`;
  const message = error.message ?? `Graph answered ${status}`;
  const requestId = (error.innerError?.['request-id'] as string | undefined) ?? header('request-id');
  const conflict = error.details?.find((d) => d.code === 'ObjectConflict' || d.code === 'ConflictingObjects');
  if (conflict) return new ConflictError(message, status, code, requestId, conflict.target ?? null);
  if (status === 404) return new NotFoundError(message, status, code, requestId);
  if (status === 429 || status === 503) {
    const retryAfter = Number(header('retry-after'));
    return new ThrottledError(message, status, code, requestId, Number.isFinite(retryAfter) ? retryAfter : null);
  }
  if (status === 403) {
    return new ForbiddenError(
      `${message} (the app needs the Graph application permission listed for this call ` +
        'in shared/adapters/graph/permissions.ts)',
      status,
      code,
      requestId,
    );
  }
  return new GraphRequestError(message, status, code, requestId);
}

/** "Already a member" answers 400 with this message (group-post-members); treated as success. */
export function isAlreadyMember(error: GraphRequestError): boolean {
  return error.status === 400 && /added object references already exist/i.test(error.message);
}
