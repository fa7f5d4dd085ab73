import type { ScimCall } from '../../ports/scim-sync';
import { Semaphore } from '../graph/semaphore';
import { RequestPacer } from './request-pacer';
import type { ScimCredentials } from './scim-auth';
import { errorDetail, isRetryableStatus, retryAfterSeconds, ScimRequestError } from './scim-error';

export interface ScimResponse {
  status: number;
  /** Parsed JSON, or null when the body is empty or not JSON. */
  body: unknown;
  text: string;
  headers: Headers;
}

/** Response headers servers put their request id in (the first present is recorded with the call). */
const REQUEST_ID_HEADERS = ['request-id', 'x-request-id', 'x-ms-request-id', 'x-correlation-id', 'client-request-id'];

/** RFC 7644 §3.1: SCIM messages are `application/scim+json`; plain JSON answers are accepted too. */
const SCIM_JSON = 'application/scim+json';

/**
 * HTTP to one target: its base URL, credentials and timeout (global fetch with AbortSignal.timeout). Every call is
 * appended to the caller's trail (method, path, status, request id); a call that got no answer (timeout, refused
 * connection) is recorded with status 0 and thrown as retryable. It never waits before or between calls; at most
 * `concurrency` requests are in flight from this process (policy `concurrency`), at most `ratePerSecond` start each
 * second (policy `ratePerSecond`, request-pacer.ts).
 */
export class ScimTransport {
  private readonly slots: Semaphore;
  private readonly pacer: RequestPacer | null;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: ScimCredentials,
    private readonly timeoutMs: number,
    concurrency = 4,
    ratePerSecond: number | null = null,
  ) {
    this.slots = new Semaphore(concurrency);
    this.pacer = ratePerSecond ? new RequestPacer(ratePerSecond) : null;
  }

  async send(
    trail: ScimCall[],
    method: ScimCall['method'],
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ScimResponse> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    const authorization = await this.credentials.authorization();
    const headers: Record<string, string> = { accept: `${SCIM_JSON}, application/json`, ...options.headers };
    if (authorization) headers.authorization = authorization;
    if (options.body !== undefined) headers['content-type'] = SCIM_JSON;
    let response: Response;
    let text: string;
    try {
      [response, text] = await this.slots.run(async () => {
        await this.pacer?.slot();
        const answer = await fetch(url, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        return [answer, await answer.text()] as const;
      });
    } catch (error) {
      trail.push({ method, path, status: 0, requestId: null });
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ScimRequestError(
        null,
        true,
        null,
        timedOut ? `${method} ${path}: no answer within ${this.timeoutMs} ms` : `${method} ${path}: ${describe(error)}`,
      );
    }
    const requestId = REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v) ?? null;
    trail.push({ method, path, status: response.status, requestId });
    let body: unknown = null;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    const result = { status: response.status, body, text, headers: response.headers };
    if (response.status === 401) this.credentials.refused();
    return result;
  }

  /** The error a response that is not a success stands for. */
  failure(method: string, path: string, response: ScimResponse): ScimRequestError {
    const renewable = response.status === 401 && this.credentials.renewable;
    return new ScimRequestError(
      response.status,
      renewable || isRetryableStatus(response.status),
      retryAfterSeconds(response.headers.get('retry-after')),
      `${method} ${path}: ${errorDetail(response.status, response.body, response.text)}`,
    );
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
