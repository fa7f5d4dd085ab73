import { HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { GraphRequestError } from './errors';

/**
 * How long one Graph round trip may take before the app gives up on it. The JavaScript Graph client sets no
 * timeout: a connection Graph accepts and never answers would hold the activity (and its person) forever, as
 * far as the app can tell. Microsoft's other SDKs give up after 100 s: .NET's HttpClient.Timeout
 * (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.timeout, default 100 s) and the Go SDK's
 * per-request default (https://github.com/microsoft/kiota-http-go/pull/24). The step then fails like any
 * transient Graph error and the durable retry runs it again.
 */
export const DEFAULT_GRAPH_REQUEST_TIMEOUT_MS = 100_000;

/**
 * A Graph request that got no complete answer within the timeout (a write may or may not have been applied).
 * No HTTP status: Graph never answered. The Graph client wraps what a middleware throws in a GraphError named
 * after it; GraphDirectory turns that back into this type.
 */
export class GraphTimeoutError extends GraphRequestError {
  constructor(message: string) {
    super(message, 0, 'requestTimeout', null);
  }

  static after(timeoutMs: number, url: string): GraphTimeoutError {
    return new GraphTimeoutError(`Graph request got no answer within ${timeoutMs} ms (${url})`);
  }
}

/**
 * Gives each attempt its own deadline: placed right before the HTTP handler, so the retry handler's waits
 * (Retry-After) do not count against it and each retried attempt gets the whole timeout again.
 */
export class RequestTimeoutHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const caller = options.signal;
    options.signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    try {
      await this.next!.execute(context);
    } catch (error) {
      if (deadline.aborted && !caller?.aborted) throw GraphTimeoutError.after(this.timeoutMs, requestUrl(context));
      throw error;
    } finally {
      // The next attempt (a retry of this context) starts with the caller's own signal, not a spent deadline.
      if (caller) options.signal = caller;
      else delete options.signal;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function requestUrl(context: Context): string {
  const request = context.request;
  return typeof request === 'string' ? request : request.url;
}

/** The chain with the timeout handler inserted right before its HTTP handler (the last one). */
export function withRequestTimeout(chain: Middleware[], timeoutMs: number): Middleware[] {
  const last = chain.at(-1);
  if (!(last instanceof HTTPMessageHandler)) throw new Error('the Graph middleware chain must end in its HTTP handler');
  return [...chain.slice(0, -1), new RequestTimeoutHandler(timeoutMs), last];
}
