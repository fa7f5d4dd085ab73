import type * as z from 'zod/mini';

/**
 * Every answer the console can get from a call, as a value the pages switch on (no exceptions to forget):
 * - `unavailable`: the route does not exist on this app (yet): the Functions host answers an unknown route 404 and a
 *   known route with another method 405, both with no body; a function's own 404 carries a JSON `error`.
 * - `unauthorized`: no or wrong admin key (local), not signed in (Azure); `forbidden`: signed in without the role.
 */
export type ApiResult<T> =
  | { kind: 'ok'; status: number; data: T }
  | { kind: 'unavailable' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'error'; status: number; message: string };

const KEY_STORAGE = 'entra-jml.console.adminKey';

/** The local admin key, kept for this browser tab only (sessionStorage), never in a URL or a cookie. */
export const adminKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string): void => sessionStorage.setItem(KEY_STORAGE, key),
  clear: (): void => sessionStorage.removeItem(KEY_STORAGE),
};

/** The message of an error body: `{error}`, `{message}` or `{problems:[{path, reason}]}` (the ops API's 400s). */
function messageOf(body: unknown, fallback: string): string {
  if (typeof body !== 'object' || body === null) return fallback;
  const b = body as { error?: unknown; message?: unknown; problems?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (typeof b.message === 'string') return b.message;
  if (Array.isArray(b.problems))
    return b.problems
      .map((p: { path?: unknown; reason?: unknown }) => `${String(p.path ?? '')}: ${String(p.reason ?? '')}`)
      .join('; ');
  return fallback;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
}

/** Called when a call answers 401, so the shell can ask for the key (local) or offer sign-in (Azure). */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(callback: () => void): void {
  onUnauthorized = callback;
}

/**
 * One call to the app (same origin). The admin key goes in `x-functions-key` (the Functions host's header); in
 * Azure the App Service Authentication cookie travels by itself (same-origin credentials).
 */
export async function call<S extends z.ZodMiniType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<ApiResult<z.infer<S>>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = adminKey.get();
  if (key) headers['x-functions-key'] = key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    return { kind: 'error', status: 0, message: `the app did not answer (${String(error)})` };
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (response.status === 401) {
    onUnauthorized();
    return { kind: 'unauthorized' };
  }
  if (response.status === 403) return { kind: 'forbidden', message: messageOf(body, 'your account lacks the role') };
  if ((response.status === 404 || response.status === 405) && body === undefined) return { kind: 'unavailable' };
  if (response.status === 404) return { kind: 'not-found', message: messageOf(body, 'not found') };
  if (!response.ok) return { kind: 'error', status: response.status, message: messageOf(body, response.statusText) };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
    return { kind: 'error', status: response.status, message: `unexpected answer from ${path} (${where})` };
  }
  return { kind: 'ok', status: response.status, data: parsed.data as z.infer<S> };
}

/** The text an action's result shows: what happened, in words. */
export function describeFailure(result: Exclude<ApiResult<unknown>, { kind: 'ok' }>): string {
  switch (result.kind) {
    case 'unavailable':
      return 'not available on this app yet';
    case 'unauthorized':
      return 'not signed in, or the admin key is wrong';
    case 'forbidden':
      return `refused: ${result.message}`;
    case 'not-found':
      return result.message;
    case 'error':
      return result.status ? `failed (${result.status}): ${result.message}` : `failed: ${result.message}`;
  }
}

/** Query string from the defined values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
