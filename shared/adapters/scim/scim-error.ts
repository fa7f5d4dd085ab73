import { z } from 'zod';

/**
 * A SCIM call that did not succeed, as the sync reports it: retryable for 429, 5xx, timeouts and connection failures
 * (the orchestration waits `retryAfterSeconds` with a durable timer: the adapter never sleeps), not for other 4xx.
 */
export class ScimRequestError extends Error {
  /** When the target answered (made right after the answer): Retry-After counts from then (RFC 9110 §10.2.3). */
  readonly answeredAt = Date.now();

  constructor(
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterSeconds: number | null,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimRequestError';
  }
}

/** 429 and 5xx are the target's way to say "later" (RFC 7644 §3.12 lists 500/501/503; 429 from RFC 6585). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. A date in the past
 * is 0.
 */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The SCIM error response (RFC 7644 §3.12); `status` is a string there, some servers send a number. */
const ScimErrorBody = z.looseObject({
  detail: z.string().optional(),
  scimType: z.string().optional(),
  status: z.union([z.string(), z.number()]).optional(),
});

const MAX_DETAIL = 500;

function firstText(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  return undefined;
}

/**
 * A readable detail from whatever the target answered: the SCIM error schema, the shapes others use instead
 * (`{error: {message}}`, `{error: "..."}`, `{message}`, `{errors: [{message}]}`, `{Errors: {description}}`), or the
 * text itself, cut to 500 characters.
 */
export function errorDetail(status: number, body: unknown, text: string): string {
  const scim = ScimErrorBody.safeParse(body);
  let detail: string | undefined;
  if (scim.success && (scim.data.detail || scim.data.scimType)) {
    detail = [scim.data.scimType, scim.data.detail].filter(Boolean).join(': ');
  } else if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const error = record.error ?? record.Error;
    const errors = record.errors ?? record.Errors;
    const firstError: unknown = Array.isArray(errors) ? (errors as unknown[])[0] : errors;
    detail = firstText(
      error,
      (error as Record<string, unknown> | undefined)?.message,
      record.message,
      record.Message,
      record.error_description,
      (firstError as Record<string, unknown> | undefined)?.message,
      (firstError as Record<string, unknown> | undefined)?.description,
      record.title,
    );
  }
  detail ??= text.trim() ? text.trim() : undefined;
  const summary = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  return summary.length > MAX_DETAIL ? `${summary.slice(0, MAX_DETAIL - 1)}…` : summary;
}
